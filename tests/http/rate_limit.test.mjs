// Abuse limits: a user posting far faster than a person gets 429 with Retry-After and
// the wait in words, nothing is posted twice or lost, and other users are not slowed;
// sign-in links tried in a loop from one address are refused for a while.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, call, getJson, postMessage, newKey } from './server.mjs';

let server;
let M; let B; let rid;
let signedInAt;  // the two sign-ins of before(): the address's bucket refills from then
before(async () => {
  server = await startServer({ args: ['--rate-limits', 'on'] });
  M = (await signIn(server.manufacturer)).cookie;
  B = (await signIn(server.buyers[0])).cookie;
  signedInAt = Date.now();
  rid = (await getJson(server, B, '/requests')).json.requests[0].id;
});
after(async () => { await server.stop(); });

test('a flood of posts from one user: 429 with Retry-After after the burst; others unaffected', async () => {
  const marker = `flood-${newKey()}`;
  const total0 = (await getJson(server, M, `/requests/${rid}`)).json.message_total;
  const results = [];
  for (let i = 0; i < 90; i++) results.push(await postMessage(server, B, rid, { body: `${marker} ${i}` }, newKey()));
  const ok = results.filter((r) => r.status === 201).length;
  const limited = results.filter((r) => r.status === 429);
  assert.ok(ok >= 55 && ok <= 70, `the burst (60, plus the refill while posting) went through: ${ok}`);
  assert.ok(limited.length >= 20, `the rest was refused: ${limited.length}`);
  const r = limited[0];
  assert.ok(Number(r.headers.get('retry-after')) >= 1, 'Retry-After in seconds');
  assert.equal(r.json.error.code, 'rate_limited');
  assert.ok(r.json.error.retry_after >= 1);
  assert.match(r.json.error.message, /wait \d+ seconds/);
  // Another user at the same time (same address, well under its limit) is answered normally.
  const other = await postMessage(server, M, rid, { body: `${marker} seller` }, newKey());
  assert.equal(other.status, 201, other.text);
  // What was accepted is there once; nothing refused was posted.
  const d = (await getJson(server, M, `/requests/${rid}`)).json;
  assert.equal(d.message_total - total0, ok + 1, 'the accepted posts and the seller\'s, nothing else');
  // Reads are not limited per user.
  assert.equal((await getJson(server, B, `/requests/${rid}`)).status, 200);
  // After the wait the user posts again.
  await new Promise((res) => setTimeout(res, Number(r.headers.get('retry-after')) * 1000 + 100));
  assert.equal((await postMessage(server, B, rid, { body: `${marker} later` }, newKey())).status, 201);
});

test('sign-in links tried in a loop from one address: 429 after 20, the page says to wait', async () => {
  const statuses = [];
  for (let i = 0; i < 26; i++) {
    const r = await fetch(`${server.base}/login/${'x'.repeat(43)}${i}`, { redirect: 'manual' });
    statuses.push(r.status);
    if (r.status === 429) {
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.match(await r.text(), /Wait \d+ seconds/);
    } else await r.arrayBuffer();
  }
  // 20 per address, the two sign-ins of before() included, plus one every 5 s since
  // (a slow machine spends seconds on the tests before); then refused, every time.
  const first429 = statuses.indexOf(429);
  const refilled = Math.ceil((Date.now() - signedInAt) / 5000);
  assert.ok(first429 >= 18 && first429 <= Math.min(20, 18 + refilled), `${statuses.join(',')} (${refilled} refilled)`);
  assert.ok(statuses.slice(0, first429).every((s) => s === 401));
  assert.ok(statuses.slice(first429).every((s) => s === 429));
});
