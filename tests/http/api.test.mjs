// JSON API: me, inbox, thread, posting (validation, idempotency), read marks,
// visibility matrix, unknown routes and methods.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, call, postMessage, newKey } from './server.mjs';

let server;
let M; let A; let B; // cookies: manufacturer, buyer A, buyer B
let me = {};
let reqA; let reqB; // request ids of buyer A and buyer B

before(async () => {
  server = await startServer();
  M = (await signIn(server.manufacturer)).cookie;
  A = (await signIn(server.buyers[0])).cookie;
  B = (await signIn(server.buyers[1])).cookie;
  for (const [k, c] of [['M', M], ['A', A], ['B', B]]) me[k] = (await call(server, '/api/v1/me', { cookie: c })).json;
  reqA = (await call(server, '/api/v1/requests', { cookie: A })).json.requests[0].id;
  reqB = (await call(server, '/api/v1/requests', { cookie: B })).json.requests[0].id;
});
after(async () => {
  if (!server) return; // start failed: that error is reported by before()
  const { code } = await server.stop();
  assert.equal(code, 0);
});

const isError = (r, status, code) => {
  assert.equal(r.status, status, r.text);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.json.error.code, code);
  assert.equal(typeof r.json.error.message, 'string');
  assert.ok(r.json.error.message.length > 0);
};

test('GET /api/v1/me returns the user', async () => {
  // The User's fields, the session's scope (0: a demo link's full session) and the
  // user's colour theme (dark mode; "system" until chosen).
  assert.deepEqual(Object.keys(me.M).sort(),
    ['company', 'country', 'id', 'language', 'name', 'role', 'scope_request_id', 'theme']);
  assert.equal(me.M.scope_request_id, 0);
  assert.equal(me.M.theme, 'system');
  assert.equal(me.M.role, 'manufacturer');
  assert.equal(me.M.company, 'Hidráulica Iberia S.A.');
  assert.equal(me.A.role, 'buyer');
  assert.ok(!('email' in me.A) && !('phone' in me.A), 'contact details stay private');
});

test('inbox: manufacturer sees all, buyers their own; newest activity first', async () => {
  const r = await call(server, '/api/v1/requests', { cookie: M });
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const inbox = r.json;
  assert.equal(inbox.me.id, me.M.id);
  assert.ok(inbox.requests.length >= 20);
  assert.equal(inbox.unread, inbox.requests.filter((x) => x.unread).length);
  assert.ok(inbox.unread > 0 && inbox.unread < inbox.requests.length);
  assert.ok(inbox.cursor > 0);
  assert.equal(inbox.total, inbox.requests.length);
  assert.equal(inbox.next_page, '', 'one page holds the demo');
  // ordering
  for (let i = 1; i < inbox.requests.length; i++) {
    const p = inbox.requests[i - 1]; const q = inbox.requests[i];
    assert.ok(p.last_activity > q.last_activity || (p.last_activity === q.last_activity && p.id > q.id), 'newest first');
  }
  const langs = new Set(inbox.requests.map((x) => x.language));
  for (const l of ['es', 'fr', 'de', 'it', 'pt', 'en']) assert.ok(langs.has(l), `language ${l}`);
  assert.ok(inbox.requests.some((x) => x.message_count === 50), 'the 50-message thread');
  for (const x of inbox.requests) assert.ok(x.snippet.length > 0 && x.product.length > 0);

  for (const [c, id] of [[A, reqA], [B, reqB]]) {
    const b = (await call(server, '/api/v1/requests', { cookie: c })).json;
    assert.equal(b.requests.length, 1);
    assert.equal(b.requests[0].id, id);
  }
  assert.notEqual(reqA, reqB);
});

test('thread detail: messages newest first', async () => {
  const inbox = (await call(server, '/api/v1/requests', { cookie: M })).json;
  const long = inbox.requests.find((x) => x.message_count === 50);
  const r = await call(server, `/api/v1/requests/${long.id}`, { cookie: M });
  assert.equal(r.status, 200);
  const d = r.json;
  assert.equal(d.id, long.id);
  assert.equal(d.messages.length, 50);
  assert.equal(d.product, long.product);
  assert.equal(d.manufacturer_name, 'Marta Iglesias');
  assert.equal(d.buyer.name, long.buyer_name);
  for (let i = 1; i < d.messages.length; i++) assert.ok(d.messages[i - 1].id > d.messages[i].id);
  for (const m of d.messages) {
    assert.equal(m.request_id, long.id);
    assert.ok(['buyer', 'manufacturer'].includes(m.author_role));
  }
});

test('visibility matrix: other users\' requests are 404 on every endpoint', async () => {
  const cases = [
    [M, reqA, true], [M, reqB, true], [A, reqA, true], [A, reqB, false], [B, reqA, false], [B, reqB, true],
    [M, 999999, false], [A, 999999, false],
  ];
  for (const [cookie, id, visible] of cases) {
    const who = cookie === M ? 'M' : cookie === A ? 'A' : 'B';
    const d = await call(server, `/api/v1/requests/${id}`, { cookie });
    const p = await postMessage(server, cookie, id, { body: `visibility check by ${who}` }, newKey());
    const r = await call(server, `/api/v1/requests/${id}/read`, { cookie, method: 'POST' });
    if (visible) {
      assert.equal(d.status, 200, `${who} GET ${id}`);
      assert.equal(p.status, 201, `${who} POST ${id}`);
      assert.equal(r.status, 204, `${who} read ${id}`);
    } else {
      isError(d, 404, 'not_found');
      isError(p, 404, 'not_found');
      isError(r, 404, 'not_found');
    }
  }
  // Invisible and missing look the same.
  const hidden = await call(server, `/api/v1/requests/${reqB}`, { cookie: A });
  const missing = await call(server, '/api/v1/requests/999999', { cookie: A });
  assert.equal(hidden.text, missing.text);
});

test('non-numeric, zero, negative and huge ids are 404', async () => {
  for (const id of ['abc', '0', '-1', '1e3', '99999999999999999999999', '%31', ' 1', '1.0']) {
    isError(await call(server, `/api/v1/requests/${id}`, { cookie: M }), 404, 'not_found');
  }
});

test('posting: 201 with the Message, shown first in the thread, unread for the other side', async () => {
  const text = 'Gracias por su consulta, le enviamos la oferta hoy. 🚀';
  const r = await postMessage(server, M, reqA, { body: `  ${text}\n` }, newKey());
  assert.equal(r.status, 201);
  const m = r.json;
  assert.equal(m.body, text, 'trimmed, UTF-8 intact');
  assert.equal(m.request_id, reqA);
  assert.equal(m.author_id, me.M.id);
  assert.equal(m.author_role, 'manufacturer');
  assert.equal(m.author_name, 'Marta Iglesias');
  assert.ok(m.created > Date.now() - 60000);
  const d = (await call(server, `/api/v1/requests/${reqA}`, { cookie: A })).json;
  assert.equal(d.messages[0].id, m.id);
  const inboxA = (await call(server, '/api/v1/requests', { cookie: A })).json;
  assert.equal(inboxA.requests[0].unread, true);
  assert.equal(inboxA.requests[0].snippet.startsWith('Gracias'), true);
  // Author's own inbox: read.
  const inboxM = (await call(server, '/api/v1/requests', { cookie: M })).json;
  assert.equal(inboxM.requests.find((x) => x.id === reqA).unread, false);
  // Reading clears it.
  assert.equal((await call(server, `/api/v1/requests/${reqA}/read`, { cookie: A, method: 'POST' })).status, 204);
  assert.equal((await call(server, '/api/v1/requests', { cookie: A })).json.requests[0].unread, false);
  assert.equal((await call(server, '/api/v1/requests', { cookie: A })).json.unread, 0);
});

test('idempotent retry returns the same message (200) and no duplicate', async () => {
  const key = newKey();
  const body = { body: `retry me ${key}` };
  const r1 = await postMessage(server, A, reqA, body, key);
  const r2 = await postMessage(server, A, reqA, body, key);
  const r3 = await postMessage(server, A, reqA, body, key);
  assert.equal(r1.status, 201);
  assert.equal(r2.status, 200);
  assert.equal(r3.status, 200);
  assert.equal(r2.json.id, r1.json.id);
  assert.deepEqual(r3.json, r1.json);
  const d = (await call(server, `/api/v1/requests/${reqA}`, { cookie: M })).json;
  assert.equal(d.messages.filter((x) => x.body === body.body).length, 1);
  // Concurrent retries too.
  const key2 = newKey();
  const many = await Promise.all(Array.from({ length: 8 }, () => postMessage(server, A, reqA, { body: key2 }, key2)));
  assert.equal(new Set(many.map((x) => x.json.id)).size, 1);
  assert.equal(many.filter((x) => x.status === 201).length, 1);
  const d2 = (await call(server, `/api/v1/requests/${reqA}`, { cookie: M })).json;
  assert.equal(d2.messages.filter((x) => x.body === key2).length, 1);
  // The same key on another request: conflict.
  const other = await postMessage(server, M, reqB, { body: 'x' }, key2 + '-m');
  assert.equal(other.status, 201);
  isError(await postMessage(server, M, reqA, { body: 'x' }, key2 + '-m'), 409, 'idempotency_key_reused');
});

test('message validation errors', async () => {
  isError(await postMessage(server, A, reqA, { body: 'no key' }, undefined), 400, 'idempotency_key_required');
  isError(await postMessage(server, A, reqA, { body: 'long key' }, 'k'.repeat(201)), 400, 'idempotency_key_too_long');
  isError(await postMessage(server, A, reqA, '{"body": "unterminated', newKey()), 400, 'malformed_json');
  isError(await postMessage(server, A, reqA, 'not json at all', newKey()), 400, 'malformed_json');
  isError(await postMessage(server, A, reqA, '', newKey()), 400, 'malformed_json');
  isError(await postMessage(server, A, reqA, '{"body":"\xff"}'.replace('\xff', '\\ud800'), newKey()), 400, 'malformed_json');
  isError(await postMessage(server, A, reqA, { body: 5 }, newKey()), 400, 'invalid_field');
  isError(await postMessage(server, A, reqA, { body: ['a'] }, newKey()), 400, 'invalid_field');
  isError(await postMessage(server, A, reqA, { text: 'wrong key' }, newKey()), 400, 'invalid_field');
  isError(await postMessage(server, A, reqA, '[]', newKey()), 400, 'invalid_field');
  isError(await postMessage(server, A, reqA, { body: '   \n\t ' }, newKey()), 400, 'empty_message');
  isError(await postMessage(server, A, reqA, { body: 'x'.repeat(20001) }, newKey()), 413, 'message_too_long');
  // Multi-byte: 20000 bytes allowed, 20001 bytes not (limit is in UTF-8 bytes).
  assert.equal((await postMessage(server, A, reqA, { body: 'é'.repeat(10000) }, newKey())).status, 201);
  isError(await postMessage(server, A, reqA, { body: 'é'.repeat(10000) + 'x' }, newKey()), 413, 'message_too_long');
  // JSON body over 256 KiB (but under the transport cut-off): JSON 413.
  isError(await postMessage(server, A, reqA, JSON.stringify({ body: 'x', pad: 'y'.repeat(300 * 1024) }), newKey()),
    413, 'body_too_large');
});

test('read marks: 204, idempotent', async () => {
  for (let i = 0; i < 3; i++) {
    const r = await call(server, `/api/v1/requests/${reqB}/read`, { cookie: M, method: 'POST' });
    assert.equal(r.status, 204);
    assert.equal(r.text, '');
  }
  const inbox = (await call(server, '/api/v1/requests', { cookie: M })).json;
  assert.equal(inbox.requests.find((x) => x.id === reqB).unread, false);
});

test('unknown API paths are 404 JSON, wrong methods 405 JSON with Allow', async () => {
  for (const p of ['/api/v1/nope', '/api/v2/me', '/api', '/api/', '/api/v1/requests/1/nope', '/api/v1/me/',
    '/api/v1/requests/', '/api/v1/requests//messages', '/api/v1/requests/1/messages/2']) {
    isError(await call(server, p, { cookie: M }), 404, 'not_found');
  }
  const wrong = [
    ['POST', '/api/v1/me', 'GET'], ['DELETE', '/api/v1/requests', 'GET, POST'], ['PUT', '/api/v1/requests/1', 'GET'],
    ['GET', '/api/v1/requests/1/messages', 'POST'], ['GET', '/api/v1/requests/1/read', 'POST'],
    ['POST', '/api/v1/events', 'GET'], ['PATCH', '/api/v1/requests/1/messages', 'POST'],
  ];
  for (const [method, path, allow] of wrong) {
    const r = await call(server, path, { cookie: M, method });
    isError(r, 405, 'method_not_allowed');
    assert.equal(r.headers.get('allow'), allow);
  }
});
