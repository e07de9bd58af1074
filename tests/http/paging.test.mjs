// Volume over HTTP: inbox pages follow a keyset cursor (no duplicates, no gaps while
// messages arrive between fetches), filters and totals, search with highlights, a
// thread's newest page and its older pages (every message and event exactly once, also
// while new messages arrive), clear 400s for bad paging parameters, and large answers
// gzipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { gunzipSync } from 'node:zlib';
import { startServer, signIn, postMessage, newKey, getJson, expectError } from './server.mjs';

let server;
let M; let A;

before(async () => {
  server = await startServer();
  M = (await signIn(server.manufacturer)).cookie;
  A = (await signIn(server.buyers[0])).cookie;
});
after(async () => {
  if (!server) return;
  const { code } = await server.stop();
  assert.equal(code, 0);
});

const ordered = (rows) => rows.every((r, i) => i === 0 || rows[i - 1].last_activity > r.last_activity ||
  (rows[i - 1].last_activity === r.last_activity && rows[i - 1].id > r.id));

test('inbox pages: a cursor, no duplicates and no gaps while buyers write between fetches', async () => {
  const all = (await getJson(server, M, '/requests?limit=100')).json;
  assert.ok(all.total >= 20, `total ${all.total}`);
  assert.equal(all.requests.length, all.total);
  assert.ok(ordered(all.requests), 'newest activity first');

  // Buyers whose requests sit low in the list write while the manufacturer pages.
  const buyers = await Promise.all(server.buyers.slice(0, 6).map(async (b) => {
    const cookie = (await signIn(b)).cookie;
    const mine = (await getJson(server, cookie, '/requests')).json.requests;
    return { cookie, rid: mine[0].id };
  }));
  const moved = new Set();
  const seen = [];
  let page = '';
  for (let i = 0; i < 100; i++) {
    const r = await getJson(server, M, `/requests?limit=4${page ? `&page=${encodeURIComponent(page)}` : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.requests.length <= 4);
    assert.ok(ordered(r.json.requests));
    seen.push(...r.json.requests.map((x) => x.id));
    if (!r.json.next_page) break;
    page = r.json.next_page;
    const b = buyers[i % buyers.length];
    const p = await postMessage(server, b.cookie, b.rid, { body: `between pages ${i}` }, newKey());
    assert.equal(p.status, 201);
    moved.add(b.rid);
  }
  const counts = new Map();
  for (const id of seen) counts.set(id, (counts.get(id) || 0) + 1);
  for (const [id, n] of counts) assert.equal(n, 1, `request ${id} listed ${n} times`);
  for (const r of all.requests) if (!moved.has(r.id)) assert.ok(counts.has(r.id), `request ${r.id} skipped`);
  // The next first page starts with what was written last.
  const fresh = (await getJson(server, M, '/requests?limit=3')).json;
  assert.ok(moved.has(fresh.requests[0].id));
  assert.match(fresh.requests[0].snippet, /^between pages/);
});

test('inbox filters: status, unread, country, handler; totals and badges', async () => {
  const all = (await getJson(server, M, '/requests?limit=100')).json.requests;
  for (const status of ['to_answer', 'answered']) {
    const r = (await getJson(server, M, `/requests?status=${status}&limit=100`)).json;
    const want = all.filter((x) => x.status === status).map((x) => x.id);
    assert.deepEqual(r.requests.map((x) => x.id), want, status);
    assert.equal(r.total, want.length);
  }
  const unread = (await getJson(server, M, '/requests?unread=1&limit=100')).json;
  assert.deepEqual(unread.requests.map((x) => x.id), all.filter((x) => x.unread).map((x) => x.id));
  assert.equal(unread.unread, unread.total, 'the badge counts all unread');
  const country = all[all.length - 1].country;
  const byCountry = (await getJson(server, M, `/requests?country=${country}&limit=100`)).json;
  assert.deepEqual(byCountry.requests.map((x) => x.id), all.filter((x) => x.country === country).map((x) => x.id));
  const mine = (await getJson(server, M, '/requests?handler=me&limit=100')).json;
  assert.deepEqual(mine.requests.map((x) => x.id), all.filter((x) => !x.handler_name).map((x) => x.id));
  // Bad parameters: a clear 400, never a 500.
  for (const q of ['status=maybe', 'country=Spain', 'handler=you', 'limit=0', 'limit=101', 'page=12', 'page=x_1',
    'unread=1&page=0_0'])
    expectError(await getJson(server, M, `/requests?${q}`), 400, 'invalid_query', q);
  expectError(await getJson(server, A, '/requests?status=to_answer'), 400, 'invalid_query', 'buyer status');
});

test('search: accents folded, ranked rows with the matching message and highlight ranges', async () => {
  const all = (await getJson(server, M, '/requests?limit=100')).json.requests;
  const target = all.find((x) => x.message_count >= 10);
  const d = (await getJson(server, M, `/requests/${target.id}`)).json;
  const word = `Zéphyrine${Date.now()}`;
  const posted = await postMessage(server, M, target.id, { body: `Our offer for ${word} stands until Friday.` }, newKey());
  assert.equal(posted.status, 201);
  const folded = word.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase();
  for (const q of [word, folded, word.slice(0, 6)]) {
    const r = (await getJson(server, M, `/requests?q=${encodeURIComponent(q)}`)).json;
    const row = r.requests.find((x) => x.id === target.id);
    assert.ok(row, `found by ${q}`);
    if (q === word.slice(0, 6)) continue;  // a prefix also finds other words
    assert.equal(r.requests[0].id, target.id, 'best match first');
    assert.equal(row.match_message_id, posted.json.id);
    assert.ok(row.match_text.includes(word));
    assert.equal(row.match_ranges.length, 1);
    const [at, len] = row.match_ranges[0];
    assert.equal(Buffer.from(row.match_text).subarray(at, at + len).toString(), word);
    assert.equal(r.search, q);
  }
  // The buyer's product matches too; another buyer's request is never found.
  const other = (await getJson(server, A, `/requests?q=${encodeURIComponent(word)}`)).json.requests;
  assert.ok(!other.some((x) => x.id === target.id) || (await getJson(server, A, `/requests/${target.id}`)).status === 200);
  const byProduct = (await getJson(server, M, `/requests?q=${encodeURIComponent(d.product)}`)).json.requests;
  assert.ok(byProduct.some((x) => x.id === target.id), 'found by product');
  // Paging through hits by offset; nothing found is an empty page, not an error.
  const none = (await getJson(server, M, '/requests?q=qwxzzyq')).json;
  assert.deepEqual(none.requests, []);
  assert.equal(none.next_page, '');
  assert.equal(none.total, 0);
  const many = (await getJson(server, M, '/requests?q=a&limit=2')).json;
  // `total`: the requests found over all pages, the same on every page.
  const seen = [...many.requests];
  for (let page = many.next_page; page;) {
    const next = (await getJson(server, M, `/requests?q=a&limit=2&page=${page}`)).json;
    for (const r of next.requests) assert.ok(!seen.some((x) => x.id === r.id), 'a hit is on one page only');
    assert.equal(next.total, many.total);
    seen.push(...next.requests);
    page = next.next_page;
  }
  assert.equal(seen.length, many.total, 'total counts every hit');
  assert.equal(many.total_more, false);
});

test('thread pages: the newest page, older pages down to the first message, every message and event once', async () => {
  const all = (await getJson(server, M, '/requests?limit=100')).json.requests;
  const long = all.find((x) => x.message_count === 50) || all.sort((a, b) => b.message_count - a.message_count)[0];
  for (let i = 0; i < 70; i++) {
    const p = await postMessage(server, M, long.id, { body: `paging message ${i}` }, newKey());
    assert.equal(p.status, 201);
    if (i % 20 === 3) assert.equal((await getJson(server, A, '/requests')).status, 200);
  }
  const first = await getJson(server, M, `/requests/${long.id}`);
  assert.equal(first.status, 200);
  const d = first.json;
  assert.equal(d.messages.length, 50);
  assert.ok(d.message_total >= 120, `total ${d.message_total}`);
  assert.equal(d.older, d.messages[49].id);
  const ids = d.messages.map((m) => m.id);
  const events = d.events.map((e) => e.id);
  let before = d.older;
  let pages = 0;
  // New messages arrive while older pages are fetched: they do not shift the pages.
  while (before) {
    const arrived = await postMessage(server, M, long.id, { body: `while paging ${pages}` }, newKey());
    assert.equal(arrived.status, 201);
    const h = await getJson(server, M, `/requests/${long.id}/history?before=${before}`);
    assert.equal(h.status, 200, h.text);
    assert.ok(h.json.messages.length <= 50 && h.json.messages.length > 0);
    assert.ok(h.json.messages.every((m) => m.id < before));
    ids.push(...h.json.messages.map((m) => m.id));
    events.push(...h.json.events.map((e) => e.id));
    before = h.json.older;
    if (before) assert.equal(before, h.json.messages[h.json.messages.length - 1].id);
    assert.ok(++pages < 10);
  }
  assert.equal(ids.length, d.message_total, 'every message once');
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every((id, i) => i === 0 || ids[i - 1] > id), 'newest first across pages');
  assert.equal(new Set(events).size, events.length, 'no event twice');
  // A link to an old message: the page reaches down to it.
  const oldest = ids[ids.length - 1];
  const jump = (await getJson(server, M, `/requests/${long.id}?down_to=${oldest}`)).json;
  assert.equal(jump.messages[jump.messages.length - 1].id, oldest);
  assert.equal(jump.older, 0);
  const part = (await getJson(server, M, `/requests/${long.id}/history?before=${ids[10]}&down_to=${ids[80]}`)).json;
  assert.equal(part.messages[0].id, ids[11]);
  assert.equal(part.messages[part.messages.length - 1].id, ids[80]);
  for (const q of ['', 'before=0', 'before=x', `before=${ids[5]}&down_to=${ids[2]}`, `before=${ids[5]}&limit=0`])
    expectError(await getJson(server, M, `/requests/${long.id}/history?${q}`), 400, 'invalid_query', q);
  expectError(await getJson(server, M, `/requests/${long.id}?down_to=abc`), 400, 'invalid_query');
  // Translating a message far down the thread: it is found (not a 404), and a bad list is a 400.
  const tr = await getJson(server, M, `/requests/${long.id}/translations?to=en&items=m${oldest}`);
  assert.ok([200, 422, 503].includes(tr.status), `translation of an old message: ${tr.status} ${tr.text}`);
  const many = Array.from({ length: 201 }, (_, i) => `m${ids[i % ids.length]}`).join(',');
  expectError(await getJson(server, M, `/requests/${long.id}/translations?to=en&items=${many}`), 400, 'too_many_items');
  // Another buyer's thread: 404 as for the request.
  const B = (await signIn(server.buyers[1])).cookie;
  expectError(await getJson(server, B, `/requests/${long.id}/history?before=${ids[3]}`), 404, 'not_found');
});

test('a jump window: a page around an old message, newer pages up to the newest, no gaps while messages arrive', async () => {
  const all = (await getJson(server, M, '/requests?limit=100')).json.requests;
  const long = all.sort((a, b) => b.message_count - a.message_count)[0];
  assert.ok(long.message_count >= 100, `a long thread: ${long.message_count}`);
  // Every message id, newest first (the page of a link reaches down to the oldest).
  const full = (await getJson(server, M, `/requests/${long.id}`)).json;
  const everything = (await getJson(server, M, `/requests/${long.id}?down_to=${(await (async () => {
    let before = full.older; let last = full.messages[full.messages.length - 1].id;
    while (before) {
      const h = (await getJson(server, M, `/requests/${long.id}/history?before=${before}&limit=200`)).json;
      if (h.messages.length) last = h.messages[h.messages.length - 1].id;
      before = h.older;
    }
    return last;
  })())}`)).json;
  const ids = everything.messages.map((m) => m.id);
  assert.equal(ids.length, everything.message_total);
  const target = ids[ids.length - 7];  // near the oldest
  const around = await getJson(server, M, `/requests/${long.id}/history?around=${target}&limit=20`);
  assert.equal(around.status, 200, around.text);
  const w = around.json;
  const at = w.messages.findIndex((m) => m.id === target);
  assert.ok(at >= 0, 'the page holds the message jumped to');
  assert.equal(at, 10, 'half the page newer than it');
  assert.equal(w.messages.length, 17, 'and the rest older, down to the first message');
  assert.equal(w.older, 0);
  assert.equal(w.newer, w.messages[0].id);
  assert.deepEqual(w.messages.map((m) => m.id), ids.slice(ids.length - 17), 'a contiguous slice');
  // Newer pages up to the newest while messages keep arriving: each continues the last.
  const got = w.messages.map((m) => m.id).reverse();  // oldest first
  const events = w.events.map((e) => e.id);
  let after = w.newer;
  let pages = 0;
  while (after) {
    const arrived = await postMessage(server, M, long.id, { body: `while paging up ${pages}` }, newKey());
    assert.equal(arrived.status, 201);
    const h = await getJson(server, M, `/requests/${long.id}/history?after=${after}&limit=30`);
    assert.equal(h.status, 200, h.text);
    assert.ok(h.json.messages.length > 0 && h.json.messages.length <= 30);
    assert.ok(h.json.messages.every((m) => m.id > after));
    assert.ok(h.json.messages.every((m, i, a) => i === 0 || a[i - 1].id > m.id), 'newest first');
    got.push(...h.json.messages.map((m) => m.id).reverse());
    events.push(...h.json.events.map((e) => e.id));
    assert.equal(h.json.older, h.json.messages[h.json.messages.length - 1].id);
    after = h.json.newer;
    if (after) assert.equal(after, h.json.messages[0].id);
    assert.ok(++pages < 20);
  }
  // Nothing skipped, nothing twice: the same as one page from the newest down to the window.
  const now = (await getJson(server, M, `/requests/${long.id}?down_to=${got[0]}`)).json;
  assert.deepEqual(got, now.messages.map((m) => m.id).reverse());
  assert.equal(new Set(events).size, events.length, 'no event twice');
  assert.deepEqual([...events].sort((a, b) => a - b), now.events.map((e) => e.id));
  // Above the newest: an empty page, no newer.
  const top = (await getJson(server, M, `/requests/${long.id}/history?after=${got[got.length - 1]}`)).json;
  assert.equal(top.messages.length, 0);
  assert.equal(top.newer, 0);
  assert.deepEqual(top.events, []);
  // A message of another request, or none: 404 no_message; bad combinations: 400.
  const other = all.find((r) => r.id !== long.id && r.message_count > 0);
  const otherMsg = (await getJson(server, M, `/requests/${other.id}`)).json.messages[0].id;
  expectError(await getJson(server, M, `/requests/${long.id}/history?around=${otherMsg}`), 404, 'no_message');
  for (const q of [`after=${target}&before=${ids[0]}`, `around=${target}&after=${target}`, `after=${target}&down_to=${ids[3]}`,
    'after=x', `around=${target}&limit=201`])
    expectError(await getJson(server, M, `/requests/${long.id}/history?${q}`), 400, 'invalid_query', q);
});

// A page as the browser fetches it: gzipped when accepted (and only then), the same JSON.
function rawGet(path, cookie, acceptEncoding) {
  return new Promise((resolve, reject) => {
    const headers = { cookie };
    if (acceptEncoding) headers['accept-encoding'] = acceptEncoding;
    http.get(server.base + path, { headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

test('large JSON answers are gzipped for clients that accept it, small ones and others are not', async () => {
  const path = '/api/v1/requests?limit=100';
  const plain = await rawGet(path, M, '');
  assert.equal(plain.status, 200);
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.ok(plain.body.length >= 8 * 1024, `the demo inbox is ${plain.body.length} bytes`);
  const zipped = await rawGet(path, M, 'gzip, deflate, br');
  assert.equal(zipped.status, 200);
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.match(zipped.headers.vary ?? '', /Accept-Encoding/i);
  assert.ok(zipped.body.length < plain.body.length / 2, `${zipped.body.length} of ${plain.body.length} bytes`);
  const a = JSON.parse(gunzipSync(zipped.body).toString());
  const b = JSON.parse(plain.body.toString());
  assert.deepEqual(a.requests.map((r) => r.id), b.requests.map((r) => r.id));
  assert.equal(a.total, b.total);
  // Refused with q=0; a small answer is never worth it.
  assert.equal((await rawGet(path, M, 'gzip;q=0')).headers['content-encoding'], undefined);
  assert.equal((await rawGet('/api/v1/me', M, 'gzip')).headers['content-encoding'], undefined);
});
