// Protocol fuzzing of a running server (built with ASan + UBSan by bench/fuzz_api.sh):
// the JSON API (mutated bodies for every state-changing endpoint), the chunked upload
// protocol (random offsets, lengths, bytes, completes and cancels, several at once) and
// LMTP sessions (random commands, pipelining, splits, DATA with dot-stuffing).
// Deterministic for a given FUZZ_SEED. Counts executions and findings: a 500, a lost
// server, or a sanitizer report in its log.
//
// Usage (from bench/fuzz_api.sh): node bench/fuzz_api.mjs <base-url> <lmtp-port> <cookie>...
import net from 'node:net';

const [base, lmtpPort, ...cookies] = process.argv.slice(2);
const seconds = Number(process.env.FUZZ_SECONDS || 60);
let seed = Number(process.env.FUZZ_SEED || 1);

// xorshift32: reproducible runs.
function rnd() {
  seed ^= seed << 13; seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5; seed >>>= 0;
  return seed / 0x100000000;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const int = (n) => Math.floor(rnd() * n);

const findings = [];
const counts = { json: 0, upload: 0, lmtp: 0 };

// --- JSON values: valid shapes, then mutated ---------------------------------------
const SCALARS = [0, -1, 1, 2 ** 53, -(2 ** 63), 1e308, -1e-308, 3.5, NaN, true, false, null, '', 'x',
  '\u0000', '\u202E', '😀'.repeat(3), 'a'.repeat(70000), '<script>', "'; DROP TABLE x;--", '../../etc/passwd',
  '%00', '\\u0000', '9'.repeat(40)];
function value(depth = 0) {
  const r = rnd();
  if (depth > 3 || r < 0.55) return pick(SCALARS);
  if (r < 0.75) return Array.from({ length: int(5) }, () => value(depth + 1));
  const o = {};
  for (let i = 0; i < int(5); i++) o[pick(FIELDS)] = value(depth + 1);
  return o;
}
const FIELDS = ['body', 'conversation_id', 'attachments', 'translate_to', 'email', 'user_id', 'note', 'reason',
  'text', 'outcome', 'stars', 'comment', 'name', 'company', 'country', 'language', 'role', 'zones', 'auto_cc',
  'lines', 'quantity', 'unit_price', 'currency', 'valid_until', 'terms', 'online_payment', 'accepted_by',
  'product', 'message', 'up_to', 'message_id', 'translate', 'languages', 'x'];
const ENDPOINTS = [
  ['POST', '/api/v1/requests/{id}/messages'], ['POST', '/api/v1/requests/{id}/read'],
  ['POST', '/api/v1/requests/{id}/phone'], ['POST', '/api/v1/requests/{id}/cc'],
  ['POST', '/api/v1/requests/{id}/forward'], ['POST', '/api/v1/requests/{id}/decline'],
  ['POST', '/api/v1/requests/{id}/close'], ['POST', '/api/v1/requests/{id}/rating'],
  ['POST', '/api/v1/requests'], ['PUT', '/api/v1/me/settings'], ['POST', '/api/v1/network/members'],
  ['POST', '/api/v1/network/members/{id}'], ['POST', '/api/v1/requests/{id}/quotes'],
  ['POST', '/api/v1/quotes/{id}/revise'], ['POST', '/api/v1/quotes/{id}/open'], ['POST', '/api/v1/quotes/{id}/accept'],
  ['POST', '/api/v1/quotes/{id}/pay'], ['GET', '/api/v1/requests?q={s}&status={s}&page={s}'],
  ['GET', '/api/v1/requests/{id}/history?before={n}&after={n}&around={n}&limit={n}'],
  ['GET', '/api/v1/requests/{id}/translations?to={s}'], ['GET', '/api/v1/events?after={n}'],
];
function text(body) {
  const s = JSON.stringify(body);
  const r = rnd();
  if (r < 0.6 || s === undefined) return s ?? 'null';
  if (r < 0.7) return s.slice(0, int(s.length + 1));                      // truncated
  if (r < 0.78) return '['.repeat(int(5000)) + ']'.repeat(int(5000));     // deep nesting
  if (r < 0.86) return s.replace(/"([a-z_]+)":/, '"$1":1,"$1":');          // duplicate key
  if (r < 0.92) return '\uFEFF' + s;                                      // byte-order mark
  return Buffer.from(Array.from({ length: int(300) }, () => int(256))).toString('latin1');  // bytes
}
function fill(path) {
  return path.replace(/\{id\}/g, () => String(pick([1, 2, 3, 5, 8, 0, -1, 999999, '1e3', 'abc', '%00'])))
    .replace(/\{n\}/g, () => String(pick([0, 1, 50, -5, 2 ** 62, 'x', ''])))
    .replace(/\{s\}/g, () => encodeURIComponent(pick(['', 'a', 'ñ', '你好', '"', '%', 'open', '\u202E', 'x'.repeat(500)])));
}

async function request(method, path, { cookie, body, headers = {} } = {}) {
  try {
    const r = await fetch(base + path, { method, body, headers: { ...(cookie ? { cookie } : {}), ...headers },
      redirect: 'manual', signal: AbortSignal.timeout(15000) });
    await r.arrayBuffer();
    if (r.status >= 500 && r.status !== 503) findings.push(`${r.status} on ${method} ${path.slice(0, 120)}`);
    return r.status;
  } catch (e) {
    findings.push(`no answer on ${method} ${path.slice(0, 120)}: ${e.cause?.code || e.name}`);
    return 0;
  }
}

async function fuzzJson() {
  const [method, p] = pick(ENDPOINTS);
  const body = method === 'GET' ? undefined : text(value());
  await request(method, fill(p), { cookie: pick(cookies), body,
    headers: body === undefined ? {} : { 'content-type': 'application/json', 'idempotency-key': `f${int(1e9)}` } });
  counts.json++;
}

// --- chunked uploads --------------------------------------------------------------
const MAGIC = ['%PDF-1.4\n', '\x89PNG\r\n\x1a\n', '\xFF\xD8\xFF', 'PK\x03\x04', 'MZ', 'plain text ', ''];
async function fuzzUpload() {
  const cookie = pick(cookies);
  const size = pick([1, 63, 64, 65, 1000, 1048576, 1048577, 10485760, 10485761, 0, -3, 'x']);
  const name = encodeURIComponent(pick(['a.pdf', 'b.txt', 'c.js', '..', '\u202Efdp.exe', 'x'.repeat(400), 'd.png', '']));
  const kind = pick(['other', 'quote', 'contract']);
  const q = `kind=${kind}&name=${name}&size=${size}`;
  let r;
  try {
    r = await fetch(`${base}/api/v1/requests/${pick([1, 2, 3, 8])}/uploads?${q}`, { method: 'POST', headers: { cookie },
      signal: AbortSignal.timeout(15000) });
  } catch (e) { findings.push(`no answer on upload begin: ${e.cause?.code || e.name}`); return; }
  const j = await r.json().catch(() => ({}));
  if (r.status >= 500) findings.push(`${r.status} on upload begin ${q}`);
  counts.upload++;
  if (!j.upload_id) return;
  let offset = 0;
  for (let step = 0; step < 1 + int(6); step++) {
    const op = rnd();
    const path = `/api/v1/uploads/${encodeURIComponent(j.upload_id)}`;
    if (op < 0.65) {
      const len = pick([0, 1, 10, 64, 4096, 65536, 1048576, 1048577]);
      const at = rnd() < 0.8 ? offset : pick([0, offset + 1, -1, 2 ** 40, 'x']);
      const head = offset === 0 ? pick(MAGIC) : '';
      const bytes = Buffer.concat([Buffer.from(head, 'latin1'), Buffer.alloc(Math.max(0, len - head.length), int(256))]);
      const st = await request('PUT', `${path}?offset=${at}`, { cookie, body: bytes,
        headers: { 'content-type': 'application/offset+octet-stream' } });
      if (st === 200) offset += bytes.length;
    } else if (op < 0.85) {
      await request('POST', `${path}/complete`, { cookie });
    } else if (op < 0.95) {
      await request('GET', path, { cookie });
    } else {
      await request('DELETE', path, { cookie });
    }
    counts.upload++;
  }
}

// --- LMTP ----------------------------------------------------------------------------
const LMTP_LINES = ['LHLO fuzz.example', 'LHLO', 'HELO x', 'EHLO x', 'MAIL FROM:<a@b.example>', 'MAIL FROM:<>',
  'MAIL FROM:<a@b.example> SIZE=99999999999', 'MAIL FROM:', 'RCPT TO:<r+AAAAAAAAAAAAAAAAAAAA@relay.localhost>',
  'RCPT TO:<nobody@x>', 'RCPT TO:', 'DATA', 'RSET', 'NOOP', 'VRFY x', 'QUIT', 'BDAT 10', 'STARTTLS',
  '\x00\x01\x02', 'x'.repeat(5000), 'MAIL FROM:<' + 'a'.repeat(2000) + '@b>'];
function lmtpScript() {
  const lines = [];
  for (let i = 0; i < 3 + int(15); i++) {
    const l = pick(LMTP_LINES);
    lines.push(l);
    if (l === 'DATA' && rnd() < 0.7) {
      for (let k = 0; k < int(20); k++) lines.push(pick(['From: a@b.example', 'Subject: x', '', '..dot', '.', 'hi', '>quoted', '\r', 'x'.repeat(int(3000))]));
      lines.push('.');
    }
  }
  const eol = pick(['\r\n', '\n', '\r\n', '\r']);
  return lines.join(eol) + eol;
}
function fuzzLmtp() {
  return new Promise((resolve) => {
    const s = net.connect(Number(lmtpPort), '127.0.0.1');
    const script = Buffer.from(lmtpScript(), 'latin1');
    let done = false;
    const finish = () => { if (!done) { done = true; s.destroy(); counts.lmtp++; resolve(); } };
    s.on('error', finish);
    s.on('close', finish);
    s.setTimeout(5000, finish);
    s.on('connect', async () => {
      // Random splits: the session must cope with any segmentation.
      for (let i = 0; i < script.length && !s.destroyed;) {
        const n = 1 + int(200);
        s.write(script.subarray(i, i + n));
        i += n;
        if (rnd() < 0.1) await new Promise((r) => setTimeout(r, 1));
      }
      setTimeout(finish, 50);
    });
  });
}

async function alive() {
  try {
    const r = await fetch(`${base}/api/v1/me`, { signal: AbortSignal.timeout(5000) });
    await r.arrayBuffer();
    return r.status === 401;
  } catch { return false; }
}

const deadline = Date.now() + seconds * 1000;
let lost = false;
while (Date.now() < deadline && !lost) {
  // Four at a time: the server sees concurrent work, as in real life.
  await Promise.all(Array.from({ length: 4 }, () => {
    const r = rnd();
    return r < 0.55 ? fuzzJson() : r < 0.8 ? fuzzUpload() : fuzzLmtp();
  }));
  if ((counts.json + counts.upload + counts.lmtp) % 200 < 4 && !(await alive())) lost = true;
}
if (!lost && !(await alive())) lost = true;
if (lost) findings.push('the server stopped answering');
console.log(JSON.stringify({ seconds, seed: Number(process.env.FUZZ_SEED || 1), executions: counts, findings: findings.slice(0, 20), finding_count: findings.length }));
process.exit(findings.length ? 1 : 0);
