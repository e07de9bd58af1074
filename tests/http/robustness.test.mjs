// Hostile input: oversized bodies, huge Content-Length, broken HTTP, garbage paths and
// bodies. Nothing may produce a 500 or take the server down. Clean exit on SIGTERM.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, signIn, call, postMessage, newKey } from './server.mjs';

let server;
let M; let reqId;

before(async () => {
  server = await startServer();
  M = (await signIn(server.manufacturer)).cookie;
  reqId = (await call(server, '/api/v1/requests', { cookie: M })).json.requests[0].id;
});
after(async () => {
  if (!server) return; // start failed: that error is reported by before()
  const { code } = await server.stop();
  assert.equal(code, 0);
  assert.ok(!/\s500\s/.test(server.stderr), 'no 500 in the request log');
});

// Writes raw bytes, collects whatever comes back until close/timeout.
function rawExchange(chunks, { timeoutMs = 3000, delayMs = 0 } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let done = false;
    const finish = (how) => {
      if (done) return;
      done = true;
      s.destroy();
      const text = data.toString('latin1');
      resolve({ how, text, status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] || 0) });
    };
    s.on('data', (d) => { data = Buffer.concat([data, d]); });
    s.on('error', () => finish('error'));
    s.on('close', () => finish('close'));
    setTimeout(() => finish('timeout'), timeoutMs);
    s.on('connect', async () => {
      for (const c of chunks) {
        if (s.destroyed) break;
        s.write(c);
        if (delayMs) await new Promise((r) => setTimeout(r, delayMs));
      }
    });
  });
}

async function assertAlive() {
  const r = await call(server, '/api/v1/me', { cookie: M });
  assert.equal(r.status, 200);
  assert.ok(server.alive());
}

test('a body just over 256 KiB gets a JSON 413', async () => {
  const r = await postMessage(server, M, reqId, JSON.stringify({ body: 'x'.repeat(300 * 1024) }), newKey());
  assert.equal(r.status, 413);
  assert.equal(r.json.error.code, 'body_too_large');
});

test('a Content-Length far over the limit is refused without reading it', async () => {
  const head = `POST /api/v1/requests/${reqId}/messages HTTP/1.1\r\nHost: x\r\nCookie: ${M}\r\n` +
    'Idempotency-Key: big\r\nContent-Type: application/json\r\nContent-Length: 10000000000\r\n\r\n';
  const r = await rawExchange([head, '{"body":"' + 'x'.repeat(65536)]);
  // JSON 413, or at worst a clean close: never a 2xx/5xx, never a hang.
  assert.ok(r.how !== 'timeout' || r.status === 413, `how=${r.how} status=${r.status}`);
  assert.ok(r.status === 0 || r.status === 413, `status ${r.status}`);
  await assertAlive();
});

test('a 2 MiB body (real bytes, fetch) is refused and the server survives', async () => {
  let status = 0;
  try {
    const r = await postMessage(server, M, reqId, JSON.stringify({ body: 'y'.repeat(2 * 1024 * 1024) }), newKey());
    status = r.status;
  } catch { status = 0; /* connection closed by the server */ }
  assert.ok(status === 0 || status === 413, `status ${status}`);
  await assertAlive();
});

test('an oversized chunked body is refused', async () => {
  const head = `POST /api/v1/requests/${reqId}/messages HTTP/1.1\r\nHost: x\r\nCookie: ${M}\r\n` +
    'Idempotency-Key: chunky\r\nTransfer-Encoding: chunked\r\n\r\n';
  const chunk = `10000\r\n${'z'.repeat(0x10000)}\r\n`;
  const r = await rawExchange([head, ...Array.from({ length: 40 }, () => chunk), '0\r\n\r\n']);
  assert.ok(r.status === 0 || r.status === 413, `status ${r.status}`);
  await assertAlive();
  const d = (await call(server, `/api/v1/requests/${reqId}`, { cookie: M })).json;
  assert.ok(!d.messages.some((m) => m.body.startsWith('zzzz')));
});

test('broken HTTP, huge headers and slow clients do not hurt', async () => {
  const cases = [
    ['\x00\x01\x02garbage\r\n\r\n'],
    ['GET\r\n\r\n'],
    ['GET / HTTP/9.9\r\n\r\n'],
    ['GET /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'],
    ['GET /api/v1/me HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nabcde'],
    [`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(40000)}\r\n\r\n`],
    [`GET /${'p'.repeat(20000)} HTTP/1.1\r\nHost: x\r\n\r\n`],
    [`GET /api/v1/me HTTP/1.1\r\n${Array.from({ length: 300 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`],
    ['POST /api/v1/requests/1/messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'],
    ['GET /api/v1/me HTTP/1.1\r\nHost: x\r\n\r\n'.repeat(20)],
  ];
  for (const chunks of cases) {
    const r = await rawExchange(chunks, { timeoutMs: 1500 });
    assert.notEqual(r.status, 500, JSON.stringify(chunks).slice(0, 80));
  }
  // Slow-loris style: bytes trickle in; the server simply waits or closes.
  await rawExchange(['GE', 'T /api/v1/me HTTP/1.1\r\n', 'Host: x\r\n', '\r\n'], { delayMs: 100, timeoutMs: 1500 });
  await assertAlive();
});

test('JSON with a duplicate key or a byte-order mark is refused (400), and nothing is posted', async () => {
  const marker = `dup-${newKey()}`;
  const dup = await postMessage(server, M, reqId, `{"body":"${marker} harmless","body":"${marker} other"}`, newKey());
  assert.equal(dup.status, 400, dup.text);
  assert.equal(dup.json.error.code, 'duplicate_key');
  const nested = await call(server, '/api/v1/me/settings', { cookie: M, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"language":"es","x":{"a":1,"a":2}}' });
  assert.equal(nested.status, 400, nested.text);
  assert.equal(nested.json.error.code, 'duplicate_key');
  const bom = await postMessage(server, M, reqId, `\uFEFF{"body":"${marker} bom"}`, newKey());
  assert.equal(bom.status, 400, bom.text);
  assert.equal(bom.json.error.code, 'malformed_json');
  // The same key in sibling objects is fine.
  const ok = await call(server, '/api/v1/me/settings', { cookie: M, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"x":{"a":1},"y":{"a":2}}' });
  assert.notEqual(ok.json?.error?.code, 'duplicate_key', ok.text);
  const d = (await call(server, `/api/v1/requests/${reqId}`, { cookie: M })).json;
  assert.ok(!d.messages.some((m) => m.body.includes(marker)));
});

test('a long URL, many headers or a long header get 414 / 431 with a JSON error, not silence', async () => {
  const cases = [
    [`GET /api/v1/requests?q=${'u'.repeat(10 * 1024)} HTTP/1.1\r\nHost: x\r\nCookie: ${M}\r\n\r\n`, 414, 'uri_too_long'],
    [`GET /api/v1/me HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 200 }, (_, i) => `X-H${i}: v`).join('\r\n')}\r\n\r\n`, 431, 'headers_too_large'],
    [`GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'h'.repeat(20 * 1024)}\r\n\r\n`, 431, 'headers_too_large'],
  ];
  for (const [raw, status, code] of cases) {
    const r = await rawExchange([raw], { timeoutMs: 3000 });
    assert.equal(r.status, status, `${raw.slice(0, 40)}…: ${r.how} ${r.text.slice(0, 200)}`);
    const body = r.text.slice(r.text.indexOf('\r\n\r\n') + 4);
    assert.equal(JSON.parse(body).error.code, code);
  }
  // Within the limits nothing changes: 16 KB of cookie header still signs in.
  const r = await call(server, '/api/v1/me', { cookie: `${M}; pad=${'p'.repeat(15000)}` });
  assert.equal(r.status, 200);
});

test('fuzz: garbage paths, methods, headers and bodies never yield 500', async () => {
  let seed = 12345;
  const rnd = (n) => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
  const pick = (a) => a[rnd(a.length)];
  const pieces = ['api', 'v1', 'requests', 'messages', 'read', 'events', 'me', 'login', 'logout', '..', '.',
    '%00', '%2e%2e', '%ff', '-1', '0', String(reqId), '999999999999', 'ünï', '😀', '%', '%%', '?', '#', ';', ''];
  const bodies = ['', '{', '}', 'null', '[]', '{"body":', '{"body":null}', '{"body":{}}', '{"body":"\\u0000"}',
    '{"body":"ok"}', '{"body":"\\ud800"}', '\xff\xfe', 'a'.repeat(5000), '{"body":"x","body":"y"}',
    JSON.stringify({ body: 'é'.repeat(100) }), '{"body":1e999}', '{"body":"' + '\\'.repeat(9) + '"}',
    '[' .repeat(5000), '{"a":'.repeat(3000)];
  const methods = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];
  const statuses = new Map();
  for (let i = 0; i < 400; i++) {
    const n = 1 + rnd(5);
    let path = '';
    for (let k = 0; k < n; k++) path += '/' + pick(pieces);
    if (rnd(3) === 0) path = '/api/v1' + path;
    if (rnd(4) === 0) path += `?after=${pick(['', '-1', 'x', '5', '%', '1e9', '0'])}`;
    const method = pick(methods);
    const headers = {};
    if (rnd(2)) headers['idempotency-key'] = pick(['k', '', 'x'.repeat(300), `f${i}`]);
    if (rnd(2)) headers['content-type'] = pick(['application/json', 'text/plain', '\u00e9']);
    const cookie = pick([M, M, undefined, 'parley_session=', `parley_session=${'%'.repeat(43)}`]);
    let status;
    try {
      const url = server.base + encodeURI(path).replace(/%25/g, '%');
      const res = await fetch(url, {
        method, headers: cookie ? { ...headers, cookie } : headers,
        body: method === 'GET' || method === 'OPTIONS' ? undefined : pick(bodies),
        redirect: 'manual',
        signal: AbortSignal.timeout(5000),
      });
      await res.arrayBuffer();
      status = res.status;
    } catch (e) {
      status = 'err:' + (e.cause?.code || e.name); // e.g. invalid URL, connection closed
    }
    statuses.set(status, (statuses.get(status) || 0) + 1);
    assert.ok(status !== 500 && status !== 501, `${method} ${path} → ${status}`);
  }
  // Also straight to the message endpoint with every body kind.
  for (const body of bodies) {
    const r = await postMessage(server, M, reqId, body, newKey());
    assert.ok([200, 201, 400, 413].includes(r.status), `${body.slice(0, 30)} → ${r.status}`);
  }
  await assertAlive();
});

test('SIGTERM with held long-polls: they are answered and the exit code is 0', async () => {
  const s2 = await startServer({ pollTimeout: 25 });
  const cookie = (await signIn(s2.manufacturer)).cookie;
  const cursor = (await call(s2, '/api/v1/requests', { cookie })).json.cursor;
  const polls = Array.from({ length: 20 }, () => fetch(`${s2.base}/api/v1/events?after=${cursor}`, { headers: { cookie } })
    .then(async (r) => ({ status: r.status, json: await r.json() }))
    .catch((e) => ({ error: e })));
  await new Promise((r) => setTimeout(r, 300));
  const t0 = Date.now();
  const { code, signal } = await s2.stop();
  assert.equal(signal, null);
  assert.equal(code, 0);
  assert.ok(Date.now() - t0 < 3000, 'prompt shutdown');
  const rs = await Promise.all(polls);
  for (const r of rs) {
    if (r.error) continue; // closed during shutdown is acceptable
    assert.equal(r.status, 200);
    assert.deepEqual(r.json.events, []);
  }
  assert.ok(rs.filter((r) => !r.error).length > 0, 'held polls were answered');
});
