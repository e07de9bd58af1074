// Leads into the CRM with two instances on one PostgreSQL database (as behind nginx): both
// run the dispatcher and the sender, and still every request and event reaches the
// manufacturer's receiver exactly once (the dispatcher's lease, the queue's unique
// delivery per event, due rows claimed with SKIP LOCKED), whichever instance the writes
// went through; a receiver that fails once gets that delivery again, still once when done.
// PostgreSQL only: skipped (visibly) without PARLEY_TEST_DATABASE_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { PG_BASE, startServer, signIn, call, getJson, postJson, postMessage, newKey } from './server.mjs';

const skip = PG_BASE ? false : 'PostgreSQL only: set PARLEY_TEST_DATABASE_URL (scripts/test.sh does)';
const args = ['--crm-allow-private', '--crm-retry', '1'];

let a, b, receiver;
const servers = [];
const got = [];
let failEvery = 0;  // answer 500 to every n-th POST (0: never)

before(async () => {
  if (skip) return;
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const fail = failEvery && (got.length + 1) % failEvery === 0;
      got.push({ body, ok: !fail, delivery: req.headers['parley-delivery'] });
      res.writeHead(fail ? 500 : 200);
      res.end();
    });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  a = await startServer({ args });
  servers.push(a);
  b = await startServer({ peer: a, demo: false, args });
  servers.push(b);
});
after(async () => {
  for (const s of servers.reverse()) await s.stop();
  receiver?.close();
});

test('two instances: every event reaches the webhook once, whichever instance took the write', { skip }, async () => {
  const M = (await signIn(a.login('Marta Iglesias'))).cookie;
  const P = (await signIn(a.login('Pierre Dubois'))).cookie;
  const mId = (await getJson(a, M, '/me')).json.id;
  const put = await call(b, '/api/v1/integrations/webhook', {
    cookie: M, method: 'PUT', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ url: `http://127.0.0.1:${receiver.address().port}/hook` }),
  });
  assert.equal(put.status, 200, put.text);
  failEvery = 4;
  // Requests and messages through both instances, interleaved.
  const rids = [];
  for (let i = 0; i < 6; i++) {
    const via = i % 2 ? b : a;
    const r = await postJson(via, P, '/requests', { manufacturer_id: mId, product: `Cluster ${i}`, message: `Lot ${i}` });
    assert.equal(r.status, 201, r.text);
    rids.push(r.json.id);
    for (let k = 0; k < 3; k++)
      assert.equal((await postMessage(k % 2 ? a : b, M, r.json.id, { body: `m${i}.${k}` }, newKey())).status, 201);
  }
  const expected = rids.length * (1 + 3);  // request.created + Marta's three messages each
  const end = Date.now() + 30000;
  const delivered = () => got.filter((g) => g.ok).map((g) => JSON.parse(g.body))
    .filter((j) => rids.includes(j.request?.id) && ['request.created', 'message.created'].includes(j.type));
  while (new Set(delivered().map((j) => j.id)).size < expected && Date.now() < end)
    await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 3000));  // a second copy would come by now
  const ours = delivered();
  assert.equal(ours.length, expected, `delivered: ${ours.map((j) => j.id).join(' ')}`);
  assert.equal(new Set(ours.map((j) => j.id)).size, expected, 'each event once');
  // The failed tries were tried again as the same delivery.
  const failed = got.filter((g) => !g.ok);
  assert.ok(failed.length > 0, 'some tries failed');
  for (const f of failed)
    assert.ok(got.some((g) => g.ok && g.delivery === f.delivery), `delivery ${f.delivery} done after its failure`);
});
