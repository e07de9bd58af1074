// GET /api/v1/events long-polling (server started with --poll-timeout 2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, call, postMessage, newKey } from './server.mjs';

let server;
let M; let A; let B;
let reqA;

before(async () => {
  server = await startServer({ pollTimeout: 2 });
  M = (await signIn(server.manufacturer)).cookie;
  A = (await signIn(server.buyers[0])).cookie;
  B = (await signIn(server.buyers[1])).cookie;
  reqA = (await call(server, '/api/v1/requests', { cookie: A })).json.requests[0].id;
});
after(async () => {
  if (!server) return; // start failed: that error is reported by before()
  const { code } = await server.stop();
  assert.equal(code, 0);
});

const cursorOf = async (cookie) => (await call(server, '/api/v1/requests', { cookie })).json.cursor;
const poll = (cookie, after, signal) => {
  const t0 = Date.now();
  return fetch(`${server.base}/api/v1/events?after=${after}`, { headers: { cookie }, signal })
    .then(async (r) => ({ status: r.status, json: await r.json(), ms: Date.now() - t0, at: Date.now() }));
};

test('answers at once when newer visible events exist', async () => {
  const c = await cursorOf(A);
  const p = await postMessage(server, M, reqA, { body: 'news for A' }, newKey());
  assert.equal(p.status, 201);
  const r = await poll(A, c);
  assert.equal(r.status, 200);
  assert.ok(r.ms < 500, `took ${r.ms} ms`);
  const ev = r.json.events.find((e) => e.message_id === p.json.id);
  assert.ok(ev, 'message event present');
  assert.equal(ev.kind, 'message');
  assert.equal(ev.request_id, reqA);
  assert.equal(ev.actor_id, p.json.author_id);
  assert.equal(r.json.cursor, r.json.events.at(-1).id);
  for (let i = 1; i < r.json.events.length; i++) assert.ok(r.json.events[i].id > r.json.events[i - 1].id);
  // From 0: everything visible, oldest first, capped at 100 per batch.
  const all = await poll(M, 0);
  assert.ok(all.json.events.length > 0 && all.json.events.length <= 100);
});

test('a waiting poll wakes within a second when the other side posts', async () => {
  const c = await cursorOf(A);
  const waiting = poll(A, c);
  await new Promise((r) => setTimeout(r, 300));
  const sentAt = Date.now();
  const p = await postMessage(server, M, reqA, { body: 'wake up' }, newKey());
  assert.equal(p.status, 201);
  const r = await waiting;
  assert.equal(r.status, 200);
  assert.ok(r.at - sentAt < 1000, `woke ${r.at - sentAt} ms after the post`);
  assert.equal(r.json.events.length, 1);
  assert.equal(r.json.events[0].message_id, p.json.id);
  assert.equal(r.json.cursor, r.json.events[0].id);
});

test('a read mark wakes the other side with a "read" event', async () => {
  await postMessage(server, A, reqA, { body: 'did you read this?' }, newKey());
  const c = await cursorOf(A);
  const waiting = poll(A, c);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await call(server, `/api/v1/requests/${reqA}/read`, { cookie: M, method: 'POST' })).status, 204);
  const r = await waiting;
  assert.equal(r.json.events.length, 1);
  assert.equal(r.json.events[0].kind, 'read');
  assert.equal(r.json.events[0].actor_id, (await call(server, '/api/v1/me', { cookie: M })).json.id);
});

test('times out after --poll-timeout with no events and a cursor', async () => {
  const c = await cursorOf(A);
  const r = await poll(A, c);
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.events, []);
  assert.equal(r.json.cursor, c);
  assert.ok(r.ms >= 1800 && r.ms < 4000, `held ${r.ms} ms`);
});

test('events of other buyers\' requests do not wake, but the cursor moves past them', async () => {
  const c = await cursorOf(B);
  const waiting = poll(B, c);
  await new Promise((r) => setTimeout(r, 200));
  const p = await postMessage(server, A, reqA, { body: 'B must not see this' }, newKey());
  const r = await waiting;
  assert.deepEqual(r.json.events, []);
  assert.ok(r.ms >= 1800, 'was not woken');
  assert.ok(r.json.cursor >= c + 1, 'cursor skips the invisible event');
  // And polling from 0 never reveals it.
  const all = await poll(B, 0);
  assert.ok(!all.json.events.some((e) => e.message_id === p.json.id));
});

test('many simultaneous waiters are all woken', async () => {
  const c = await cursorOf(M);
  const n = 200;
  const waits = Array.from({ length: n }, () => poll(M, c));
  await new Promise((r) => setTimeout(r, 500));
  const sentAt = Date.now();
  const p = await postMessage(server, A, reqA, { body: 'to everyone' }, newKey());
  const rs = await Promise.all(waits);
  for (const r of rs) {
    assert.equal(r.status, 200);
    assert.equal(r.json.events[0].message_id, p.json.id);
    assert.ok(r.at - sentAt < 1500);
  }
});

test('a client that disconnects while waiting does not disturb the server', async () => {
  const c = await cursorOf(A);
  const ac = new AbortController();
  const dropped = poll(A, c, ac.signal).catch((e) => e);
  await new Promise((r) => setTimeout(r, 100));
  ac.abort();
  assert.equal((await dropped).name, 'AbortError');
  const p = await postMessage(server, M, reqA, { body: 'after the abort' }, newKey());
  assert.equal(p.status, 201);
  const r = await poll(A, c);
  assert.ok(r.json.events.some((e) => e.message_id === p.json.id));
  assert.ok(server.alive());
});

test('invalid after is 400; missing after means 0', async () => {
  for (const v of ['abc', '-1', '1.5', '', '1e3', '99999999999999999999', '%zz']) {
    const r = await call(server, `/api/v1/events?after=${v}`, { cookie: A });
    assert.equal(r.status, 400, `after=${v}`);
    assert.equal(r.json.error.code, 'invalid_cursor');
  }
  const r = await call(server, '/api/v1/events', { cookie: A });
  assert.equal(r.status, 200);
  assert.ok(r.json.events.length > 0);
  // A cursor from the future waits, then echoes the larger value.
  const f = await poll(A, 1e12);
  assert.deepEqual(f.json.events, []);
  assert.equal(f.json.cursor, 1e12);
});
