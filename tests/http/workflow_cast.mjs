// The demo cast for the workflow tests: one server with the demo data (long-polls
// answered after 2 s), the people signed in, and the helpers every workflow test uses.
//
// Demo cast: Marta Iglesias (manufacturer); her network: Tomás Navarro (area manager,
// ES PT, auto-CC), Claire Martin (distributor, FR BE MA), Jonas Weber (distributor,
// DE AT CH); buyers Pierre Dubois (FR), Luca Ferri (IT), Javier Morales (ES)...
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, postMessage, newKey, postJson, getJson } from './server.mjs';

// Registers the server's start and stop with the calling test file; returns `w`, whose
// fields are filled before the first test (then `ready(w)` is called): w.server, w.u (key → { cookie, me }) and the
// cookies w.M (Marta), w.T (Tomás), w.C (Claire), w.J (Jonas), w.P (Pierre), w.L (Luca),
// w.X (Javier), with the helpers below.
export function demoCast(ready = () => {}) {
  const w = { u: {} };
  before(async () => {
    w.server = await startServer({ pollTimeout: 2 });
    const who = {
      M: 'Marta Iglesias', T: 'Tomás Navarro', C: 'Claire Martin', J: 'Jonas Weber',
      P: 'Pierre Dubois', L: 'Luca Ferri', X: 'Javier Morales',
    };
    for (const [k, name] of Object.entries(who)) {
      const { cookie } = await signIn(w.server.login(name));
      const me = (await getJson(w.server, cookie, '/me')).json;
      w.u[k] = { cookie, me };
      w[k] = cookie;
    }
    ready(w);
  });
  after(async () => {
    if (!w.server) return;
    const { code } = await w.server.stop();
    assert.equal(code, 0);
  });

  w.id = (k) => w.u[k].me.id;
  w.detail = async (cookie, rid) => {
    const r = await getJson(w.server, cookie, `/requests/${rid}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  w.kinds = (d) => d.events.map((e) => e.kind);
  w.has = (d, kind, pred = () => true) => d.events.some((e) => e.kind === kind && pred(e));
  w.inboxRow = async (cookie, rid) =>
    (await getJson(w.server, cookie, '/requests')).json.requests.find((r) => r.id === rid);
  let productNo = 0;
  // A new request by a buyer to Marta; returns the buyer's detail.
  w.newRequest = async (cookie, product = `Test product ${++productNo}`) => {
    const r = await postJson(w.server, cookie, '/requests',
      { manufacturer_id: w.id('M'), product, message: `Please quote ${product}.` });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  // Conversation ids of a request by seller name, as the buyer sees them (all of them).
  w.convs = async (buyerCookie, rid) => {
    const d = await w.detail(buyerCookie, rid);
    return Object.fromEntries(d.conversations.map((c) => [c.seller.name, c.id]));
  };
  w.say = (cookie, rid, body, conversation_id) =>
    postMessage(w.server, cookie, rid, conversation_id ? { body, conversation_id } : { body }, newKey());
  return w;
}
