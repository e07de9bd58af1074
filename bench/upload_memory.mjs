#!/usr/bin/env node
// Upload memory bound: how much a 10 MB upload grows the server's memory.
// For each scenario a fresh server (demo data, temp data dir) is started, warmed up with
// one small upload of the same kind, then its VmHWM (peak RSS) and VmRSS are read from
// /proc/<pid>/status before and after the uploads:
//   (a) one 10 MB file, chunked protocol (1 MB PUTs)        → PASS if growth ≤ file size
//   (b) one 10 MB file, single-request endpoint (buffers)   → reported only
//   (c) 5 concurrent 10 MB files, chunked                   → PASS if growth ≤ one file's size
//   (d) 5 concurrent 10 MB files, single-request            → reported only
// Usage: node bench/upload_memory.mjs   (PARLEY_SERVER=path/to/parley-server, release build;
// default build/server/parley-server). Exit code 1 when a chunked scenario fails.
import { randomBytes, createHash } from 'node:crypto';
import { startServer, signIn, call } from '../tests/http/server.mjs';

const MB = 1024 * 1024;
const FILE = 10 * MB;
const REQ = 8;  // Camille Laurent's request, routed to Claire Martin (demo data)

const pdf = (size) => Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(size - 9)]);
const sha256 = (b) => createHash('sha256').update(b).digest('hex');

async function chunked(server, cookie, data, name) {
  const q = new URLSearchParams({ kind: 'other', name, size: String(data.length) });
  const b = await call(server, `/api/v1/requests/${REQ}/uploads?${q}`, { cookie, method: 'POST' });
  if (b.status !== 201) throw new Error(`open: ${b.status} ${b.text}`);
  const { upload_id: id, chunk_size: chunk } = b.json;
  for (let off = 0; off < data.length; off += chunk) {
    const r = await call(server, `/api/v1/uploads/${id}?offset=${off}`, {
      cookie, method: 'PUT', body: data.subarray(off, off + chunk),
      headers: { 'content-type': 'application/offset+octet-stream' },
    });
    if (r.status !== 200) throw new Error(`PUT: ${r.status} ${r.text}`);
  }
  const done = await call(server, `/api/v1/uploads/${id}/complete`, { cookie, method: 'POST' });
  if (done.status !== 201) throw new Error(`complete: ${done.status} ${done.text}`);
  return done.json;
}

async function single(server, cookie, data, name) {
  const r = await call(server, `/api/v1/requests/${REQ}/attachments?kind=other&name=${name}`, {
    cookie, method: 'POST', body: data, headers: { 'content-type': 'application/pdf' },
  });
  if (r.status !== 201) throw new Error(`single: ${r.status} ${r.text}`);
  return r.json;
}

async function scenario(label, upload, count) {
  const server = await startServer({ pollTimeout: 2 });
  try {
    const { cookie } = await signIn(server.login('Claire Martin'));
    await upload(server, cookie, pdf(2 * MB), 'warmup.pdf');
    const files = Array.from({ length: count }, () => pdf(FILE));
    await new Promise((r) => setTimeout(r, 200));
    const before = server.memory();
    const t0 = performance.now();
    const got = await Promise.all(files.map((f, i) => upload(server, cookie, f, `file-${i}.pdf`)));
    const ms = performance.now() - t0;
    const after = server.memory();
    got.forEach((a, i) => { if (a.sha256 !== sha256(files[i])) throw new Error('stored bytes differ'); });
    return { label, count, before, after, growth: after.hwm - before.hwm, ms };
  } finally {
    await server.stop();
  }
}

const mb = (n) => (n / MB).toFixed(1).padStart(6);
const rows = [
  await scenario('(a) chunked, 1 × 10 MB', chunked, 1),
  await scenario('(b) single request, 1 × 10 MB', single, 1),
  await scenario('(c) chunked, 5 × 10 MB concurrent', chunked, 5),
  await scenario('(d) single request, 5 × 10 MB concurrent', single, 5),
];
console.log('scenario                                   HWM before  HWM after  growth  growth/file(10 MB)  RSS after  time   verdict');
let failed = false;
for (const r of rows) {
  const chunkedRow = r.label.includes('chunked');
  const pass = r.growth <= FILE;
  if (chunkedRow && !pass) failed = true;
  const verdict = chunkedRow ? (pass ? 'PASS (≤ file size)' : 'FAIL (> file size)') : 'reported (buffers the body)';
  console.log(`${r.label.padEnd(42)} ${mb(r.before.hwm)} MB ${mb(r.after.hwm)} MB ${mb(r.growth)} MB ` +
    `${(r.growth / FILE).toFixed(2).padStart(10)}          ${mb(r.after.rss)} MB ${(r.ms / 1000).toFixed(2)} s  ${verdict}`);
}
process.exit(failed ? 1 : 0);
