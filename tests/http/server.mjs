// Test helper: starts the real parley-server binary on 127.0.0.1 with a free port, a temp
// data dir and demo data; parses the printed sign-in links; stops it with SIGTERM.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = resolve(repo, process.env.PARLEY_SERVER || 'build/server/parley-server');

export function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const LOGIN_RE = /^login (buyer|manufacturer) (.+): (http:\/\/\S+\/login\/(\S+))$/;

// Starts a server. Options: extra args (array), pollTimeout (seconds, default 2).
export async function startServer({ args = [], pollTimeout = 2, demo = true } = {}) {
  if (!existsSync(SERVER_BIN)) throw new Error(`server binary not found: ${SERVER_BIN} (set PARLEY_SERVER)`);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'parley-http-'));
  const argv = ['--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir,
    '--poll-timeout', String(pollTimeout), ...(demo ? ['--demo'] : []), ...args];
  const proc = spawn(SERVER_BIN, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { stdout += d; });
  // Keep only the tail of the request log; always drain the pipe.
  proc.stderr.on('data', (d) => { stderr = (stderr + d).slice(-200000); });
  const exited = new Promise((res) => proc.on('exit', (code, signal) => res({ code, signal })));

  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10000;
  let ready = false;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) break;
    const linesDone = !demo || (stdout.includes('login manufacturer') && stdout.endsWith('\n'));
    if (linesDone) {
      try {
        const r = await fetch(`${base}/api/v1/me`);
        await r.arrayBuffer();
        if (r.status === 401) { ready = true; break; }
      } catch { /* not listening yet */ }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  if (!ready) {
    proc.kill('SIGKILL');
    throw new Error(`server did not start: ${stderr}`);
  }
  const logins = stdout.split('\n').map((l) => LOGIN_RE.exec(l)).filter(Boolean)
    .map((m) => ({ role: m[1], name: m[2], url: m[3], token: m[4] }));

  const server = {
    port, base, dataDir, proc, logins,
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    manufacturer: logins.find((l) => l.role === 'manufacturer'),
    buyers: logins.filter((l) => l.role === 'buyer'),
    alive() { return proc.exitCode === null && proc.signalCode === null; },
    // SIGTERM; resolves with { code, signal }.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
      const res = await exited;
      clearTimeout(timer);
      rmSync(dataDir, { recursive: true, force: true });
      return res;
    },
  };
  return server;
}

// Follows a magic link without redirects; returns { res, cookie } (cookie: "parley_session=...").
export async function signIn(login, path = '') {
  const res = await fetch(login.url + path, { redirect: 'manual' });
  await res.arrayBuffer();
  const set = res.headers.getSetCookie ? res.headers.getSetCookie() : [res.headers.get('set-cookie')];
  const c = set.find((s) => s && s.startsWith('parley_session='));
  return { res, setCookie: c, cookie: c ? c.split(';')[0] : undefined };
}

// fetch against the server; returns { status, headers, text, json }.
export async function call(server, path, { cookie, method = 'GET', body, headers = {} } = {}) {
  const h = { ...headers };
  if (cookie) h.cookie = cookie;
  const res = await fetch(server.base + path, { method, body, headers: h, redirect: 'manual' });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// POST a message with an idempotency key.
export function postMessage(server, cookie, requestId, body, key) {
  const headers = { 'content-type': 'application/json' };
  if (key !== undefined) headers['idempotency-key'] = key;
  return call(server, `/api/v1/requests/${requestId}/messages`, {
    cookie, method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

let keyCounter = 0;
export const newKey = () => `k-${process.pid}-${Date.now()}-${keyCounter++}`;
