// Chunked, resumable uploads against the real server: a file goes up as PUTs
// of at most 1 MB into a temp file and becomes a pending attachment on "complete".
// End to end (bytes and SHA-256 back, content dedupe), offset mismatch (409 with the
// offset), resume after a connection dropped mid-chunk, size and type refusals (413 on
// the declared size, 415 on the first chunk), cancel, other users (404), and the
// memory bound: a 10 MB chunked upload must not grow the server's peak RSS by the
// file's size. An upload lives in the database: an instance starting on the same data
// leaves it alone and continues it.
//
// Request 8: Camille Laurent (buyer) routed to Claire Martin (distributor); Jonas Weber
// (another distributor) may not see it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, startSignedIn, stopCleanly, signIn, call, expectError } from './server.mjs';

let server;
const u = {};
const REQ = 8;
const MB = 1024 * 1024;

before(async () => { server = await startSignedIn({ C: 'Claire Martin', J: 'Jonas Weber', M: 'Marta Iglesias', B: 'Camille Laurent' }, u); });
after(() => stopCleanly(server));

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const pdf = (size) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);

function begin(cookie, size, { kind = 'other', name = 'file.pdf', rid = REQ } = {}) {
  const q = new URLSearchParams({ kind, name, size: String(size) });
  return call(server, `/api/v1/requests/${rid}/uploads?${q}`, { cookie, method: 'POST' });
}
const status = (cookie, id) => call(server, `/api/v1/uploads/${id}`, { cookie });
const putChunk = (cookie, id, offset, body) => call(server, `/api/v1/uploads/${id}?offset=${offset}`, {
  cookie, method: 'PUT', body, headers: { 'content-type': 'application/offset+octet-stream' },
});
const complete = (cookie, id) => call(server, `/api/v1/uploads/${id}/complete`, { cookie, method: 'POST' });
const cancel = (cookie, id) => call(server, `/api/v1/uploads/${id}`, { cookie, method: 'DELETE' });

// The whole protocol; returns the answer of "complete".
async function chunked(cookie, data, opts = {}) {
  const b = await begin(cookie, data.length, opts);
  assert.equal(b.status, 201, b.text);
  const { upload_id: id, chunk_size: chunk } = b.json;
  for (let off = 0; off < data.length; off += chunk) {
    const r = await putChunk(cookie, id, off, data.subarray(off, off + chunk));
    if (r.status !== 200) return r;
    assert.equal(r.json.offset, Math.min(off + chunk, data.length));
  }
  return complete(cookie, id);
}

async function downloadBytes(cookie, id) {
  const r = await fetch(`${server.base}/api/v1/attachments/${id}`, { headers: { cookie } });
  assert.equal(r.status, 200);
  return Buffer.from(await r.arrayBuffer());
}

// Files under <data-dir>/files: { stored: content-addressed files, tmp: temp uploads }.
function files() {
  const root = join(server.dataDir, 'files');
  const out = { stored: [], tmp: [] };
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else (p.startsWith(join(root, 'tmp') + '/') ? out.tmp : out.stored).push(p.slice(root.length + 1));
    }
  };
  walk(root);
  out.stored.sort();
  return out;
}
const tmpSizes = () => files().tmp.map((f) => statSync(join(server.dataDir, 'files', f)).size);

test('end to end: chunks in, the same bytes out, identical content stored once', async () => {
  const data = pdf(2 * MB + 12345);
  const b = await begin(u.C, data.length, { name: 'Big quote.pdf', kind: 'quote' });
  assert.equal(b.status, 201, b.text);
  assert.match(b.json.upload_id, /^[A-Za-z0-9_-]{40,}$/);
  assert.equal(b.json.chunk_size, 1048576);
  assert.equal(b.json.offset, 0);
  assert.equal(b.json.size, data.length);
  const id = b.json.upload_id;
  for (let off = 0; off < data.length; off += MB) {
    const r = await putChunk(u.C, id, off, data.subarray(off, off + MB));
    assert.equal(r.status, 200, r.text);
  }
  const before = files().stored;
  const done = await complete(u.C, id);
  assert.equal(done.status, 201, done.text);
  const a = done.json;
  assert.equal(a.type, 'application/pdf');
  assert.equal(a.kind, 'quote');
  assert.equal(a.name, 'Big quote.pdf');
  assert.equal(a.size, data.length);
  assert.equal(a.message_id, 0);
  assert.equal(a.sha256, sha256(data));
  assert.ok((await downloadBytes(u.C, a.id)).equals(data));
  assert.deepEqual(files().stored, [...before, `${a.sha256.slice(0, 2)}/${a.sha256.slice(2)}`].sort());
  assert.deepEqual(files().tmp, [], 'the temp file was moved into the store');
  // Pending: the uploader only.
  assert.equal((await fetch(`${server.base}/api/v1/attachments/${a.id}`, { headers: { cookie: u.B } })).status, 404);

  // "complete" again (a retry after a lost answer) gives the same attachment.
  const again = await complete(u.C, id);
  assert.equal(again.status, 201);
  assert.equal(again.json.id, a.id);

  // The same content again, chunked or in one request: same hash, no second file.
  const twice = await chunked(u.C, data, { name: 'copy.pdf' });
  assert.equal(twice.status, 201, twice.text);
  assert.notEqual(twice.json.id, a.id);
  assert.equal(twice.json.sha256, a.sha256);
  const single = await call(server, `/api/v1/requests/${REQ}/attachments?kind=other&name=one.pdf`, {
    cookie: u.C, method: 'POST', body: data, headers: { 'content-type': 'application/pdf' },
  });
  assert.equal(single.status, 201, single.text);
  assert.equal(single.json.sha256, a.sha256);
  assert.equal(files().stored.length, before.length + 1);
  assert.deepEqual(files().tmp, []);
});

test('types decided on the whole file: text cut between chunks, an Office ZIP entry after the first chunk', async () => {
  // A 3-byte character across the 1 MB boundary.
  const text = Buffer.concat([Buffer.alloc(MB - 1, 0x61), Buffer.from('你好\n')]);
  const t = await chunked(u.C, text, { name: 'notes.csv' });
  assert.equal(t.status, 201, t.text);
  assert.equal(t.json.type, 'text/csv; charset=utf-8');
  // Text that turns binary after the first chunk: refused at "complete", nothing kept.
  const bad = await chunked(u.C, Buffer.concat([Buffer.alloc(MB, 0x61), Buffer.from([0, 1, 2])]), { name: 'x.txt' });
  expectError(bad, 415, 'unsupported_type');
  // A ZIP whose "word/" entry comes after the first megabyte.
  const entry = (name, data) => {
    const n = Buffer.from(name);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(n.length, 26);
    return Buffer.concat([h, n, data]);
  };
  const docx = Buffer.concat([entry('[Content_Types].xml', randomBytes(MB + 100)), entry('word/document.xml', Buffer.from('<w/>'))]);
  const d = await chunked(u.C, docx, { name: 'offer.docx' });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.type, 'application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  const zip = await chunked(u.C, Buffer.concat([entry('a.exe', randomBytes(MB + 100)), entry('b.exe', Buffer.from('x'))]),
    { name: 'offer.docx' });
  expectError(zip, 415, 'unsupported_type');
  assert.deepEqual(files().tmp, []);
});

test('offset mismatch: 409 with the current offset; incomplete uploads do not complete', async () => {
  const data = pdf(MB + 500);
  const id = (await begin(u.C, data.length)).json.upload_id;
  assert.equal((await putChunk(u.C, id, 0, data.subarray(0, MB))).status, 200);
  const dup = await putChunk(u.C, id, 0, data.subarray(0, MB));  // sent twice
  expectError(dup, 409, 'offset_mismatch');
  assert.equal(dup.json.offset, MB);
  const ahead = await putChunk(u.C, id, MB + 10, data.subarray(MB + 10));
  expectError(ahead, 409, 'offset_mismatch');
  assert.equal(ahead.json.offset, MB);
  const early = await complete(u.C, id);
  expectError(early, 409, 'upload_incomplete');
  assert.equal(early.json.offset, MB);
  expectError(await call(server, `/api/v1/uploads/${id}?offset=abc`, { cookie: u.C, method: 'PUT', body: 'x' }),
    400, 'invalid_field');
  expectError(await putChunk(u.C, id, MB, Buffer.alloc(0)), 400, 'empty_chunk');
  assert.equal((await putChunk(u.C, id, MB, data.subarray(MB))).status, 200);
  const done = await complete(u.C, id);
  assert.equal(done.status, 201, done.text);
  assert.ok((await downloadBytes(u.C, done.json.id)).equals(data));
});

test('a connection dropped mid-chunk leaves nothing visible; the upload resumes from its offset', async () => {
  const data = pdf(3 * MB);
  const id = (await begin(u.C, data.length, { name: 'resumed.pdf' })).json.upload_id;
  assert.equal((await putChunk(u.C, id, 0, data.subarray(0, MB))).status, 200);
  const stored = files().stored;
  // Half of the second chunk, then the socket dies.
  await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      s.write(`PUT /api/v1/uploads/${id}?offset=${MB} HTTP/1.1\r\nHost: x\r\nCookie: ${u.C}\r\n` +
        `Content-Type: application/offset+octet-stream\r\nContent-Length: ${MB}\r\n\r\n`);
      s.write(data.subarray(MB, MB + MB / 2), () => setTimeout(() => { s.destroy(); resolve(); }, 100));
    });
    s.on('error', resolve);
  });
  await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(files().stored, stored, 'no half file in the store');
  assert.deepEqual(tmpSizes(), [MB], 'the temp file holds the complete chunks only');
  // The client asks where to continue (or reads it from a 409).
  const st = await status(u.C, id);
  assert.equal(st.status, 200, st.text);
  assert.equal(st.json.offset, MB);
  assert.equal(st.json.size, data.length);
  const retry = await putChunk(u.C, id, 2 * MB, data.subarray(2 * MB));
  assert.equal(retry.json.offset, MB);
  for (let off = st.json.offset; off < data.length; off += MB)
    assert.equal((await putChunk(u.C, id, off, data.subarray(off, off + MB))).status, 200);
  const done = await complete(u.C, id);
  assert.equal(done.status, 201, done.text);
  assert.ok((await downloadBytes(u.C, done.json.id)).equals(data));
  assert.deepEqual(files().tmp, []);
});

test('size limits: 413 on the declared size, on more than declared, on a chunk over 1 MB', async () => {
  expectError(await begin(u.C, 10 * MB + 1), 413, 'file_too_large');
  expectError(await begin(u.C, 0), 400, 'empty_file');
  expectError(await call(server, `/api/v1/requests/${REQ}/uploads?kind=other&name=a.pdf`, { cookie: u.C, method: 'POST' }),
    400, 'invalid_field');
  expectError(await call(server, `/api/v1/requests/${REQ}/uploads?kind=other&name=a.pdf&size=-1`, { cookie: u.C, method: 'POST' }),
    400, 'invalid_field');
  expectError(await begin(u.C, 100, { kind: 'bogus' }), 400, 'invalid_field');
  const b = await begin(u.C, 10 * MB);  // exactly the limit is fine
  assert.equal(b.status, 201, b.text);
  expectError(await putChunk(u.C, b.json.upload_id, 0, pdf(MB + 1)), 413, 'chunk_too_large');
  const small = (await begin(u.C, 100)).json.upload_id;
  expectError(await putChunk(u.C, small, 0, pdf(101)), 413, 'file_too_large');
  expectError(await putChunk(u.C, small, 0, Buffer.from('%PDF-1.4')), 400, 'chunk_too_small');
  assert.equal((await putChunk(u.C, small, 0, pdf(100))).status, 200);
  expectError(await putChunk(u.C, small, 100, Buffer.from('x')), 413, 'file_too_large');
  assert.equal((await cancel(u.C, small)).status, 204);
  assert.equal((await cancel(u.C, b.json.upload_id)).status, 204);
});

test('415 on the first chunk: the upload is dropped at once', async () => {
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0]), Buffer.alloc(MB - 10, 0)]);
  const id = (await begin(u.C, 5 * MB, { name: 'setup.pdf' })).json.upload_id;
  const r = await putChunk(u.C, id, 0, exe);
  expectError(r, 415, 'unsupported_type');
  assert.match(r.json.error.message, /PDF, PNG, JPEG/);
  assert.equal((await status(u.C, id)).status, 404);
  assert.equal((await putChunk(u.C, id, MB, exe)).status, 404);
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(200, 1)]);
  const q = await chunked(u.C, png, { kind: 'quote', name: 'quote.pdf' });
  expectError(q, 415, 'unsupported_type');
  assert.match(q.json.error.message, /PDF/);
  // Text is accepted only under a text name: a script is dropped at its first chunk.
  const script = Buffer.from(`#!/bin/sh\n${'echo hello\n'.repeat(20000)}`);
  const sid = (await begin(u.C, script.length, { name: 'install.sh' })).json.upload_id;
  const sr = await putChunk(u.C, sid, 0, script.subarray(0, MB));
  expectError(sr, 415, 'unsupported_type', 'a shell script');
  assert.match(sr.json.error.message, /Files named \.sh are not accepted/);
  assert.equal((await status(u.C, sid)).status, 404);
  assert.deepEqual(files().tmp, []);
});

test('cancel removes the temp file; others get 404 on every verb', async () => {
  const data = pdf(2 * MB);
  const id = (await begin(u.C, data.length)).json.upload_id;
  assert.equal((await putChunk(u.C, id, 0, data.subarray(0, MB))).status, 200);
  assert.deepEqual(tmpSizes(), [MB]);
  // Someone else (even on the same request) cannot see, write, finish or cancel it.
  for (const who of [u.J, u.M, u.B]) {
    expectError(await status(who, id), 404, 'not_found');
    expectError(await putChunk(who, id, MB, data.subarray(MB)), 404, 'not_found');
    expectError(await complete(who, id), 404, 'not_found');
    expectError(await cancel(who, id), 404, 'not_found');
  }
  expectError(await status(u.C, 'no-such-upload'), 404, 'not_found');
  assert.equal((await call(server, `/api/v1/uploads/${id}`, { method: 'GET' })).status, 401);
  assert.equal((await call(server, `/api/v1/uploads/${id}/complete`, { cookie: u.C })).status, 405);
  assert.equal((await status(u.C, id)).json.offset, MB, 'untouched by the others');
  // Jonas may not upload to a request he cannot see.
  expectError(await begin(u.J, 100), 404, 'not_found');

  const c = await cancel(u.C, id);
  assert.equal(c.status, 204);
  assert.deepEqual(files().tmp, []);
  expectError(await status(u.C, id), 404, 'not_found');
  expectError(await putChunk(u.C, id, MB, data.subarray(MB)), 404, 'not_found');
  expectError(await complete(u.C, id), 404, 'not_found');
  expectError(await cancel(u.C, id), 404, 'not_found');
});

test('an upload survives an instance starting on the same data: its temp file stays, it continues there', async () => {
  const data = pdf(MB + 777);
  const id = (await begin(u.C, data.length)).json.upload_id;
  assert.equal((await putChunk(u.C, id, 0, data.subarray(0, MB))).status, 200);
  assert.deepEqual(tmpSizes(), [MB]);
  const other = await startServer({ dataDir: server.dataDir, demo: false });
  try {
    assert.deepEqual(tmpSizes(), [MB], 'the starting instance left the temp file alone');
    const seen = await call(other, `/api/v1/uploads/${id}`, { cookie: u.C });
    assert.equal(seen.status, 200, seen.text);
    assert.equal(seen.json.offset, MB);
    const r = await call(other, `/api/v1/uploads/${id}?offset=${MB}`, {
      cookie: u.C, method: 'PUT', body: data.subarray(MB), headers: { 'content-type': 'application/offset+octet-stream' },
    });
    assert.equal(r.status, 200, r.text);
    assert.equal((await status(u.C, id)).json.offset, data.length, 'seen by the first instance');
    const done = await call(other, `/api/v1/uploads/${id}/complete`, { cookie: u.C, method: 'POST' });
    assert.equal(done.status, 201, done.text);
    assert.equal(done.json.sha256, sha256(data));
    const again = await complete(u.C, id);
    assert.equal(again.status, 201, again.text);
    assert.equal(again.json.id, done.json.id, 'complete answers the same attachment on either');
    assert.ok((await downloadBytes(u.C, done.json.id)).equals(data));
  } finally {
    await other.stop();
  }
  assert.deepEqual(files().tmp, []);
});

test('memory: a 10 MB chunked upload grows the server\'s peak RSS by less than the file', async () => {
  // A server of its own, so that no earlier test has already raised the peak.
  const own = await startServer({ pollTimeout: 2 });
  try {
    const { cookie } = await signIn(own.login('Claire Martin'));
    const up = async (data, name) => {
      const q = new URLSearchParams({ kind: 'other', name, size: String(data.length) });
      const b = await call(own, `/api/v1/requests/${REQ}/uploads?${q}`, { cookie, method: 'POST' });
      assert.equal(b.status, 201, b.text);
      for (let off = 0; off < data.length; off += b.json.chunk_size) {
        const r = await call(own, `/api/v1/uploads/${b.json.upload_id}?offset=${off}`, {
          cookie, method: 'PUT', body: data.subarray(off, off + b.json.chunk_size),
        });
        assert.equal(r.status, 200, r.text);
      }
      return call(own, `/api/v1/uploads/${b.json.upload_id}/complete`, { cookie, method: 'POST' });
    };
    // Warm up (allocator arenas, code paths), then measure the peak around a 10 MB upload.
    assert.equal((await up(pdf(2 * MB), 'warm.pdf')).status, 201);
    const before = own.memory();
    const data = pdf(10 * MB);
    const done = await up(data, 'ten.pdf');
    assert.equal(done.status, 201, done.text);
    const afterMem = own.memory();
    const growth = afterMem.hwm - before.hwm;
    const mb = (n) => (n / MB).toFixed(1);
    console.log(`# VmHWM ${mb(before.hwm)} → ${mb(afterMem.hwm)} MB (growth ${mb(growth)} MB), ` +
      `VmRSS ${mb(before.rss)} → ${mb(afterMem.rss)} MB, file 10 MB`);
    assert.ok(growth <= 10 * MB, `peak RSS grew by ${mb(growth)} MB for a 10 MB file`);
    assert.equal(done.json.sha256, sha256(data));
  } finally {
    await own.stop();
  }
});
