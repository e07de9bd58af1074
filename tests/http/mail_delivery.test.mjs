// Delivery status of e-mail notifications against a real SMTP server on
// 127.0.0.1 (smtp_sink.py): every message's author sees, per recipient, how its mail
// went (Message.deliveries, by name only); a 5xx becomes failed_permanent with its kind
// and ONE "delivery_failed" event that only the author's side sees; the author (and no
// one else) retries with POST /api/v1/deliveries/{id}/retry; a 4xx then success is one
// delivery and no event.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, call, expectError } from './server.mjs';
import { startSink, waitFor } from './smtp_sink.mjs';

const STEFAN = 's.mueller@mueller-foerdertechnik.de';
const MARTA = 'marta.iglesias@hidraulica-iberia.es';

let sink, server;
const C = {};
const ID = {};

before(async () => {
  sink = await startSink();
  server = await startServer({ args: ['--smtp-url', sink.url, '--smtp-tls', 'none', '--relay-domain', 'relay.parley.test',
    '--mail-from', 'parley@parley.test', '--mail-retry-base-ms', '200'] });
  // Stefan (buyer, DE); Marta (manufacturer); Jonas (distributor for DE: his own conversation
  // of Stefan's requests); Javier (another buyer).
  for (const [k, name] of [['S', 'Stefan Müller'], ['M', 'Marta Iglesias'], ['J', 'Jonas Weber'], ['X', 'Javier Morales']]) {
    C[k] = (await signIn(server.login(name))).cookie;
    ID[k] = (await getJson(server, C[k], '/me')).json.id;
  }
});

after(async () => {
  await stopCleanly(server);
  if (sink) await sink.stop();
});

async function newRequest(product) {
  const r = await postJson(server, C.S, '/requests', { manufacturer_id: ID.M, product, message: `Please quote ${product}.` });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

const detail = async (cookie, rid) => {
  const r = await getJson(server, cookie, `/requests/${rid}`);
  assert.equal(r.status, 200, r.text);
  return { ...r.json, text: r.text };
};
const messageIn = (d, id) => d.messages.find((m) => m.id === id);
const failedEvents = (d, messageId) => d.events.filter((e) => e.kind === 'delivery_failed' && e.message_id === messageId);
// Events after `after` that `cookie` receives through the long-poll, until it times out (pollTimeout 2 s).
async function polled(cookie, after) {
  const out = [];
  for (let i = 0; i < 20; i++) {
    const r = await getJson(server, cookie, `/events?after=${after}`);
    assert.equal(r.status, 200, r.text);
    out.push(...r.json.events);
    if (r.json.events.length === 0) break;
    after = r.json.cursor;
  }
  return out;
}

test('5xx: failed_permanent with its kind for the author only; one event for the author side; retry → sent', async (t) => {
  t.after(() => sink.reject(STEFAN, false));  // the next tests need a working mailbox even if this one fails
  const rid = await newRequest('Bomba de engranajes');
  const cursor = (await getJson(server, C.M, '/requests')).json.cursor;
  sink.reject(STEFAN);
  const marker = `not for Stefan's mailbox ${newKey()}`;
  const p = await postMessage(server, C.M, rid, { body: marker }, newKey());
  assert.equal(p.status, 201, p.text);
  const mid = p.json.id;

  // The author's GET shows it failed (the cached detail was dropped when the status changed)
  // and, a moment later (the event is recorded after the status), the failure event.
  const mine = await waitFor('failed_permanent and its event in Marta\'s detail', async () => {
    const d = await detail(C.M, rid);
    const dv = messageIn(d, mid).deliveries.find((x) => x.recipient_id === ID.S);
    return dv && dv.status === 'failed_permanent' && failedEvents(d, mid).length > 0 ? { d, dv } : null;
  });
  assert.equal(mine.dv.recipient_name, 'Stefan Müller');
  assert.equal(mine.dv.error_kind, 'address_rejected');
  assert.ok(mine.dv.id > 0 && mine.dv.updated > 0);
  assert.equal('to_address' in mine.dv, false);
  assert.equal(mine.d.text.includes(STEFAN), false, 'the buyer\'s address never reaches the seller');
  // Exactly one event, for this message, naming the recipient and the kind.
  const evs = failedEvents(mine.d, mid);
  assert.equal(evs.length, 1, JSON.stringify(mine.d.events));
  assert.equal(evs[0].text, 'address_rejected');
  assert.equal(evs[0].target_name, 'Stefan Müller');
  assert.equal(evs[0].actor_id, ID.M);
  // Live: Marta's long-poll got it; Stefan's and Jonas's did not.
  assert.ok((await polled(C.M, cursor)).some((e) => e.kind === 'delivery_failed' && e.message_id === mid));
  for (const k of ['S', 'J', 'X']) {
    assert.equal((await polled(C[k], cursor)).some((e) => e.kind === 'delivery_failed'), false, `${k} polls no failure`);
  }
  // The buyer sees the message, without deliveries and without the event.
  const theirs = await detail(C.S, rid);
  assert.deepEqual(messageIn(theirs, mid).deliveries, []);
  assert.equal(failedEvents(theirs, mid).length, 0);
  // Jonas (the distributor's conversation of the same request) sees no trace of it.
  const jonas = await detail(C.J, rid);
  assert.equal(messageIn(jonas, mid), undefined);
  assert.equal(jonas.events.some((e) => e.kind === 'delivery_failed'), false);

  // Retry: only the author; anyone else gets the 404 of a missing row.
  const did = mine.dv.id;
  for (const k of ['S', 'J', 'X']) expectError(await postJson(server, C[k], `/deliveries/${did}/retry`), 404, 'not_found', k);
  expectError(await postJson(server, C.M, '/deliveries/99999999/retry'), 404, 'not_found', 'missing');
  expectError(await postJson(server, C.M, '/deliveries/abc/retry'), 404, 'not_found', 'not a number');
  assert.equal((await postJson(server, undefined, `/deliveries/${did}/retry`)).status, 401);
  assert.equal((await getJson(server, C.M, `/deliveries/${did}/retry`)).status, 405);
  sink.reject(STEFAN, false);
  const toStefan = () => sink.messages().filter((m) => m.envelope.rcpt_tos.includes(STEFAN)).length;
  const before = toStefan();
  const r = await postJson(server, C.M, `/deliveries/${did}/retry`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, rid, 'the answer is the request detail');
  const again = messageIn(r.json, mid).deliveries.find((x) => x.id === did);
  assert.ok(['queued', 'sent'].includes(again.status), again.status);
  assert.equal(again.error_kind, '');
  await waitFor('sent after the retry', async () => {
    const d = await detail(C.M, rid);
    return messageIn(d, mid).deliveries.find((x) => x.id === did).status === 'sent';
  });
  await waitFor('the mail in the sink', () => toStefan() === before + 1);
  expectError(await postJson(server, C.M, `/deliveries/${did}/retry`), 409, 'not_failed', 'retry of a sent mail');
  assert.equal(failedEvents(await detail(C.M, rid), mid).length, 1, 'the failure stays in the history, once');
});

test('4xx then success: one delivery, sent, no event', async () => {
  const rid = await newRequest('Cilindro hidráulico');
  sink.tempfailOnce(STEFAN);
  const p = await postMessage(server, C.M, rid, { body: `slow mailbox ${newKey()}` }, newKey());
  assert.equal(p.status, 201, p.text);
  const d = await waitFor('sent', async () => {
    const x = await detail(C.M, rid);
    const dv = messageIn(x, p.json.id).deliveries.filter((y) => y.recipient_id === ID.S);
    return dv.length === 1 && dv[0].status === 'sent' ? x : null;
  });
  assert.equal(failedEvents(d, p.json.id).length, 0);
  assert.equal(messageIn(d, p.json.id).deliveries.filter((y) => y.recipient_id === ID.S).length, 1);
});

test('a buyer\'s message that bounces at the seller: the buyer sees it; the other conversation does not', async () => {
  const rid = await newRequest('Válvula de retención');
  const d0 = await detail(C.S, rid);
  const convM = d0.conversations.find((x) => x.seller.id === ID.M).id;
  sink.reject(MARTA);
  try {
    const p = await postMessage(server, C.S, rid, { body: `to Marta ${newKey()}`, conversation_id: convM }, newKey());
    assert.equal(p.status, 201, p.text);
    const d = await waitFor('failed for Marta', async () => {
      const x = await detail(C.S, rid);
      const dv = messageIn(x, p.json.id).deliveries.find((y) => y.recipient_id === ID.M);
      return dv && dv.status === 'failed_permanent' && failedEvents(x, p.json.id).length === 1 ? x : null;
    });
    assert.equal(failedEvents(d, p.json.id)[0].target_name, 'Marta Iglesias');
    // Marta reads the message without its deliveries; Jonas's conversation knows nothing of it.
    assert.deepEqual(messageIn(await detail(C.M, rid), p.json.id).deliveries, []);
    assert.equal((await detail(C.J, rid)).events.some((e) => e.kind === 'delivery_failed'), false);
  } finally {
    sink.reject(MARTA, false);
  }
});
