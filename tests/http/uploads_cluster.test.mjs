// Chunked uploads across instances on one PostgreSQL database and one files directory
// (as behind nginx): an upload begun on A continues, completes and is cancelled on B,
// the bytes are right on either; a chunk at a stale offset gets 409 with where the
// upload stands, and of two writers of one chunk one wins; an instance starting up leaves
// the uploads in progress alone.
// PostgreSQL only: skipped (visibly) without PARLEY_TEST_DATABASE_URL.
//
// Request 8: Camille Laurent (buyer) routed to Claire Martin (distributor).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { PG_BASE, startServer, signIn, call } from './server.mjs';

const skip = PG_BASE ? false : 'PostgreSQL only: set PARLEY_TEST_DATABASE_URL (scripts/test.sh does)';
const REQ = 8;
const MB = 1024 * 1024;

let a, b;
let cookie;
const servers = [];

before(async () => {
  if (skip) return;
  a = await startServer();
  servers.push(a);
  b = await startServer({ peer: a, demo: false });
  servers.push(b);
  cookie = (await signIn(a.login('Claire Martin'))).cookie;
});
after(async () => {
  for (const s of servers.reverse()) await s.stop();
});

const sha256 = (x) => createHash('sha256').update(x).digest('hex');
const pdf = (size) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);

function begin(server, size, name = 'cluster.pdf') {
  const q = new URLSearchParams({ kind: 'other', name, size: String(size) });
  return call(server, `/api/v1/requests/${REQ}/uploads?${q}`, { cookie, method: 'POST' });
}
const status = (server, id) => call(server, `/api/v1/uploads/${id}`, { cookie });
const putChunk = (server, id, offset, body) => call(server, `/api/v1/uploads/${id}?offset=${offset}`, {
  cookie, method: 'PUT', body, headers: { 'content-type': 'application/offset+octet-stream' },
});
const complete = (server, id) => call(server, `/api/v1/uploads/${id}/complete`, { cookie, method: 'POST' });
const cancel = (server, id) => call(server, `/api/v1/uploads/${id}`, { cookie, method: 'DELETE' });
const tmpFiles = () => {
  const dir = join(a.filesDir, 'tmp');
  return existsSync(dir) ? readdirSync(dir) : [];
};

async function download(server, id) {
  const r = await fetch(`${server.base}/api/v1/attachments/${id}`, { headers: { cookie } });
  assert.equal(r.status, 200);
  return Buffer.from(await r.arrayBuffer());
}

test('an upload begun on A continues and completes on B; the file is right on A', { skip }, async () => {
  const data = pdf(MB + 4321);
  const s = await begin(a, data.length);
  assert.equal(s.status, 201, s.text);
  const id = s.json.upload_id;
  assert.equal(s.json.chunk_size, MB);

  const r1 = await putChunk(a, id, 0, data.subarray(0, MB));
  assert.equal(r1.status, 200, r1.text);
  assert.equal(r1.json.offset, MB);
  const seen = await status(b, id);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.offset, MB);

  // A chunk at a stale offset on B: 409 with where the upload stands (set by A).
  const stale = await putChunk(b, id, 0, data.subarray(0, MB));
  assert.equal(stale.status, 409, stale.text);
  assert.equal(stale.json.error.code, 'offset_mismatch');
  assert.equal(stale.json.offset, MB);

  const r2 = await putChunk(b, id, MB, data.subarray(MB));
  assert.equal(r2.status, 200, r2.text);
  assert.equal(r2.json.offset, data.length);
  // And the same chunk again on A: already there.
  const again = await putChunk(a, id, MB, data.subarray(MB));
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.offset, data.length);

  const done = await complete(b, id);
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.size, data.length);
  assert.equal(done.json.sha256, sha256(data));
  // complete is idempotent from any instance: the same attachment.
  const twice = await complete(a, id);
  assert.equal(twice.status, 201, twice.text);
  assert.equal(twice.json.id, done.json.id);
  const bytes = await download(a, done.json.id);
  assert.equal(bytes.length, data.length);
  assert.ok(bytes.equals(data), 'byte for byte');
  assert.equal(sha256(await download(b, done.json.id)), sha256(data));
  assert.ok(!tmpFiles().length, 'the temp file was moved into the store');
});

test('an instance starting up leaves the uploads in progress (and their temp files) alone', { skip }, async () => {
  const data = pdf(MB + 100);
  const s = await begin(a, data.length);
  assert.equal(s.status, 201, s.text);
  const id = s.json.upload_id;
  assert.equal((await putChunk(a, id, 0, data.subarray(0, MB))).status, 200);
  const before = tmpFiles();
  assert.equal(before.length, 1);

  const c = await startServer({ peer: a, demo: false });
  servers.push(c);
  assert.deepEqual(tmpFiles(), before, 'the temp file is still there');
  const seen = await status(c, id);
  assert.equal(seen.status, 200, seen.text);
  assert.equal(seen.json.offset, MB);
  const r2 = await putChunk(c, id, MB, data.subarray(MB));
  assert.equal(r2.status, 200, r2.text);
  const done = await complete(b, id);
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.sha256, sha256(data));
  assert.ok((await download(a, done.json.id)).equals(data));
});

test('cancel on one instance is seen on the other', { skip }, async () => {
  const data = pdf(MB + 10);
  const s = await begin(b, data.length);
  assert.equal(s.status, 201, s.text);
  const id = s.json.upload_id;
  assert.equal((await putChunk(b, id, 0, data.subarray(0, MB))).status, 200);
  const gone = await cancel(a, id);
  assert.equal(gone.status, 204, gone.text);
  for (const server of [a, b]) {
    assert.equal((await status(server, id)).status, 404);
    assert.equal((await putChunk(server, id, MB, data.subarray(MB))).status, 404);
    assert.equal((await complete(server, id)).status, 404);
    assert.equal((await cancel(server, id)).status, 404);
  }
  assert.deepEqual(tmpFiles(), [], 'the temp file is gone');
});

test('two instances completing at once make one attachment', { skip }, async () => {
  const data = pdf(200 * 1024);
  const s = await begin(a, data.length, 'twice.pdf');
  assert.equal(s.status, 201, s.text);
  const id = s.json.upload_id;
  assert.equal((await putChunk(a, id, 0, data)).status, 200);
  const [x, y] = await Promise.all([complete(a, id), complete(b, id)]);
  assert.equal(x.status, 201, x.text);
  assert.equal(y.status, 201, y.text);
  assert.equal(x.json.id, y.json.id);
  assert.ok((await download(b, x.json.id)).equals(data));
});

test('the same chunk sent to A and B at once: one writes it, the other gets 409 with the new offset', { skip }, async () => {
  const size = MB + 50;
  const s = await begin(a, size, 'race.pdf');
  assert.equal(s.status, 201, s.text);
  const id = s.json.upload_id;
  // Different bytes at the same offset: the file must hold the winner's, whole.
  const x = pdf(size);
  const y = pdf(size);
  const [ra, rb] = await Promise.all([putChunk(a, id, 0, x.subarray(0, MB)), putChunk(b, id, 0, y.subarray(0, MB))]);
  const answers = [ra.status, rb.status].sort();
  assert.deepEqual(answers, [200, 409], `${ra.text} ${rb.text}`);
  const lost = ra.status === 409 ? ra : rb;
  assert.equal(lost.json.error.code, 'offset_mismatch');
  assert.equal(lost.json.offset, MB);
  const winner = ra.status === 200 ? x : y;
  const r2 = await putChunk(ra.status === 200 ? b : a, id, MB, winner.subarray(MB));
  assert.equal(r2.status, 200, r2.text);
  const done = await complete(a, id);
  assert.equal(done.status, 201, done.text);
  assert.equal(done.json.sha256, sha256(winner), 'the winner\'s bytes, whole');
});
