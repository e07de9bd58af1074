// Static client files from --web-root: SPA fallback, content types, gzip, caching,
// no path traversal. Uses raw sockets where fetch would normalise the path.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync, symlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync, gunzipSync } from 'node:zlib';
import net from 'node:net';
import { startServer, call } from './server.mjs';

let server;
let dir;
const INDEX = '<!doctype html><title>Parley</title><canvas id="canvas"></canvas>';
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const JS = 'console.log("parley client");\n'.repeat(50);

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'parley-web-'));
  const root = join(dir, 'web');
  mkdirSync(join(root, 'assets', 'fonts'), { recursive: true });
  writeFileSync(join(root, 'index.html'), INDEX);
  writeFileSync(join(root, 'parley.wasm'), WASM);
  writeFileSync(join(root, 'parley.3f9a1c2b.wasm'), WASM);
  writeFileSync(join(root, 'parley.3f9a1c2b.wasm.gz'), gzipSync(WASM));
  writeFileSync(join(root, 'parley.js'), JS);
  writeFileSync(join(root, 'parley.js.gz'), gzipSync(JS));
  writeFileSync(join(root, 'style.css'), 'body{margin:0}');
  writeFileSync(join(root, 'assets', 'fonts', 'NotoSans.ttf'), 'ttf');
  writeFileSync(join(root, 'assets', 'logo.png'), 'png');
  writeFileSync(join(root, 'assets', 'icon.svg'), '<svg/>');
  writeFileSync(join(root, 'manifest.json'), '{}');
  writeFileSync(join(root, '.hidden'), 'hidden');
  writeFileSync(join(dir, 'secret.txt'), 'TOP SECRET');
  symlinkSync(join(dir, 'secret.txt'), join(root, 'link.txt'));
  server = await startServer({ args: ['--web-root', root] });
});
after(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (!server) return; // start failed: that error is reported by before()
  const { code } = await server.stop();
  assert.equal(code, 0);
});

// Sends a raw request line (no client-side path normalisation); returns status and body.
function raw(path) {
  return new Promise((resolve, reject) => {
    const s = net.connect(server.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    s.on('data', (d) => { data = Buffer.concat([data, d]); });
    s.on('error', reject);
    s.on('close', () => {
      const text = data.toString('latin1');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] || 0);
      resolve({ status, text });
    });
    s.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  });
}

test('/, /requests/* and /network serve index.html without caching, with security headers', async () => {
  for (const p of ['/', '/network', '/requests/5', '/requests/anything/deeper?x=1', '/index.html']) {
    const r = await call(server, p);
    assert.equal(r.status, 200, p);
    assert.equal(r.text, INDEX);
    assert.equal(r.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(r.headers.get('cache-control'), 'no-cache');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('referrer-policy'), 'same-origin');
  }
});

test('content types', async () => {
  const types = {
    '/parley.wasm': 'application/wasm',
    '/parley.js': 'text/javascript; charset=utf-8',
    '/style.css': 'text/css; charset=utf-8',
    '/assets/fonts/NotoSans.ttf': 'font/ttf',
    '/assets/logo.png': 'image/png',
    '/assets/icon.svg': 'image/svg+xml',
    '/manifest.json': 'application/json',
  };
  for (const [p, t] of Object.entries(types)) {
    const r = await fetch(server.base + p, { headers: { 'accept-encoding': 'identity' } });
    assert.equal(r.status, 200, p);
    assert.equal(r.headers.get('content-type'), t, p);
    await r.arrayBuffer();
  }
  const w = await fetch(server.base + '/parley.wasm', { headers: { 'accept-encoding': 'identity' } });
  assert.deepEqual(Buffer.from(await w.arrayBuffer()), WASM);
});

test('gzip sibling served when accepted, with Vary', async () => {
  // Raw socket: fetch would transparently decompress.
  const gz = await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1');
    let data = Buffer.alloc(0);
    s.on('data', (d) => { data = Buffer.concat([data, d]); });
    s.on('close', () => resolve(data));
    s.write('GET /parley.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, deflate, br\r\nConnection: close\r\n\r\n');
  });
  const sep = gz.indexOf('\r\n\r\n');
  const head = gz.subarray(0, sep).toString('latin1');
  assert.match(head, /^HTTP\/1\.1 200/);
  assert.match(head, /\r\nContent-Encoding: gzip\r\n/i);
  assert.match(head, /\r\nVary: Accept-Encoding\r\n/i);
  assert.match(head, /\r\nContent-Type: text\/javascript; charset=utf-8\r\n/i);
  assert.equal(gunzipSync(gz.subarray(sep + 4)).toString(), JS);

  const plain = await fetch(server.base + '/parley.js', { headers: { 'accept-encoding': 'identity' } });
  assert.equal(plain.headers.get('content-encoding'), null);
  assert.equal(plain.headers.get('vary'), 'Accept-Encoding');
  assert.equal(await plain.text(), JS);
  // Without a .gz sibling: plain, no Vary.
  const css = await fetch(server.base + '/style.css', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(css.headers.get('content-encoding'), null);
  await css.text();
});

test('hashed file names are immutable, others no-cache', async () => {
  const h = await fetch(server.base + '/parley.3f9a1c2b.wasm');
  assert.equal(h.status, 200);
  assert.equal(h.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.equal(h.headers.get('content-type'), 'application/wasm');
  assert.deepEqual(Buffer.from(await h.arrayBuffer()), WASM);
  const p = await fetch(server.base + '/parley.wasm');
  assert.equal(p.headers.get('cache-control'), 'no-cache');
  await p.arrayBuffer();
});

test('unknown files are 404; non-GET is 405', async () => {
  for (const p of ['/nope.js', '/assets/', '/assets', '/inbox', '/parley.wasm/x', '/.hidden']) {
    const r = await call(server, p);
    assert.equal(r.status, 404, p);
  }
  assert.equal((await call(server, '/parley.js', { method: 'POST', body: 'x' })).status, 405);
});

test('never serves outside the web root (.., encoded, symlinks)', async () => {
  const attempts = [
    '/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/%2E%2E%2Fsecret.txt',
    '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/..%5c..%5csecret.txt',
    '/%252e%252e/secret.txt', '/link.txt', '//etc/passwd', '/assets//../../secret.txt',
    '/requests/../../secret.txt', '/%00', '/parley.js%00.png', '/.%2e/secret.txt',
  ];
  for (const p of attempts) {
    const r = await raw(p);
    assert.ok(r.status === 404 || r.status === 400, `${p} → ${r.status}`);
    assert.ok(!r.text.includes('TOP SECRET'), p);
  }
});
