// Test helper: starts the real parley-server binary on 127.0.0.1 with a free port, a temp
// data dir and demo data; parses the printed sign-in links; stops it with SIGTERM.
import { spawn, execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_BIN = resolve(repo, process.env.PARLEY_SERVER || 'build/server/parley-server');

// E-mail in: the authserv-id the test servers trust (--mail-authserv-id) and the
// Authentication-Results line our own receiving MTA would prepend to a genuine reply.
export const MAIL_AUTHSERV = 'mx.parley.test';
export const authResults = (address) => {
  const domain = address.split('@').pop().replace(/>.*$/, '').toLowerCase();
  return `Authentication-Results: ${MAIL_AUTHSERV}; spf=pass smtp.mailfrom=${address.replace(/^.*</, '').replace(/>.*$/, '')};` +
    ` dkim=pass header.d=${domain}; dmarc=pass header.from=${domain}`;
};

// The suite on PostgreSQL: with PARLEY_TEST_DATABASE_URL (a server's URL, as
// tests/pg/cluster.sh prints), every server gets a database of its own there, created
// at start and dropped at stop; a second instance on another's dataDir shares its
// database, as instances behind a load balancer do. Without it: SQLite in the dataDir.
export const PG_BASE = process.env.PARLEY_TEST_DATABASE_URL || '';
const pgDatabases = new Map(); // dataDir → database URL
const peers = new Set(); // data dirs of peer instances (their database is another's)
let pgCount = 0;
const pgUrlOf = (name) => PG_BASE.replace(/^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?/, `$1/${name}`);
const psql = (url, sql) => execFileSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
  { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

// Runs SQL on a server's database (what a test does behind the server's back, as an
// operator would): sqlite3 on its file, or psql on its PostgreSQL database.
export function runSql(server, sql) {
  if (PG_BASE) return psql(pgDatabases.get(server.dataDir), sql);
  return execFileSync('sqlite3', [join(server.dataDir, 'parley.db'), `PRAGMA busy_timeout=5000; ${sql}`], { encoding: 'utf8' });
}

// Where a server keeps the cursor of its posts' notifications (notify_queue.h).
export const notifyCursorFile = (server) =>
  PG_BASE ? join(server.dataDir, 'notify-cursor') : join(server.dataDir, 'parley.db.notify-cursor');

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

// Demo sign-in lines: "login <role> <name>: <url>", sellers first.
const LOGIN_RE = /^login (buyer|manufacturer|area_manager|distributor|guest) (.+): (http:\/\/\S+\/login\/(\S+))$/;
// Users created through the API (network members, guests added by e-mail) get a
// single-use link in the log: "parley: new <role> <name>: <url>".
const NEW_USER_RE = /^parley: new (buyer|manufacturer|area_manager|distributor|guest) (.+): (http:\/\/\S+\/login\/(\S+))$/;

// Starts a server. Options: extra args (array), pollTimeout (seconds, default 2),
// fdLimit (the descriptor limit it starts under, soft and hard: `ulimit -n`), dataDir (a
// second instance on another's database: its data is left to the first one's stop()).
// peer: another instance behind the same load balancer — a data dir of its own, the
// peer's database, files directory and relay key (PostgreSQL only).
export async function startServer({ args = [], pollTimeout = 2, demo = true, fdLimit = 0, dataDir: shared, peer } = {}) {
  if (!existsSync(SERVER_BIN)) throw new Error(`server binary not found: ${SERVER_BIN} (set PARLEY_SERVER)`);
  const port = await freePort();
  const dataDir = shared || mkdtempSync(join(tmpdir(), 'parley-http-'));
  const database = [];
  if (peer) {
    if (!PG_BASE) throw new Error('a peer instance needs PostgreSQL (PARLEY_TEST_DATABASE_URL)');
    pgDatabases.set(dataDir, pgDatabases.get(peer.dataDir));
    if (!shared) peers.add(dataDir);  // the database is the peer's to drop
    database.push('--relay-key', peer.relayKey());
  }
  if (PG_BASE) {
    if (!pgDatabases.has(dataDir)) {
      const name = `parley_http_${process.pid}_${pgCount++}`;
      psql(PG_BASE, `DROP DATABASE IF EXISTS ${name}`);
      psql(PG_BASE, `CREATE DATABASE ${name}`);
      pgDatabases.set(dataDir, pgUrlOf(name));
    }
    database.push('--database', pgDatabases.get(dataDir), '--files-dir', peer ? peer.filesDir : join(dataDir, 'files'));
  }
  const argv = ['--host', '127.0.0.1', '--port', String(port), '--data-dir', dataDir, ...database,
    '--poll-timeout', String(pollTimeout), ...(demo ? ['--demo'] : []), ...args];
  // Tests drive the API far faster than people: no abuse limits, except where a test
  // asks for them (--rate-limits on, tests/http/rate_limit.test.mjs).
  const opts = { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PARLEY_RATE_LIMITS: 'off' } };
  const proc = fdLimit
    ? spawn('/bin/sh', ['-c', `ulimit -n ${fdLimit} && exec "$0" "$@"`, SERVER_BIN, ...argv], opts)
    : spawn(SERVER_BIN, argv, opts);
  let stdout = '';
  let stderr = '';
  let stderrLine = '';
  const newUsers = []; // { role, name, url, token } from "parley: new ..." log lines
  proc.stdout.setEncoding('utf8');
  proc.stderr.setEncoding('utf8');
  proc.stdout.on('data', (d) => { stdout += d; });
  // Keep only the tail of the request log; always drain the pipe.
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-200000);
    const lines = (stderrLine + d).split('\n');
    stderrLine = lines.pop();
    for (const l of lines) {
      const m = NEW_USER_RE.exec(l);
      if (m) newUsers.push({ role: m[1], name: m[2], url: m[3], token: m[4] });
    }
  });
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
  // The links are written in one go, but a pipe may deliver them in several chunks.
  for (let last = -1; last !== stdout.length;) {
    last = stdout.length;
    await new Promise((r) => setTimeout(r, 60));
  }
  const logins = stdout.split('\n').map((l) => LOGIN_RE.exec(l)).filter(Boolean)
    .map((m) => ({ role: m[1], name: m[2], url: m[3], token: m[4] }));

  const server = {
    port, base, dataDir, proc, logins,
    // Where its data is, for another process on it (`parley-server mail-in`).
    storeArgs: ['--data-dir', dataDir, ...database],
    filesDir: peer ? peer.filesDir : join(dataDir, 'files'),
    // Its relay key (hex), for a peer instance: given to it, or the one it made.
    relayKey: () => (peer ? peer.relayKey() : readFileSync(join(dataDir, 'relay.key')).toString('hex')),
    get stdout() { return stdout; },
    get stderr() { return stderr; },
    manufacturer: logins.find((l) => l.role === 'manufacturer'),
    buyers: logins.filter((l) => l.role === 'buyer'),
    areaManagers: logins.filter((l) => l.role === 'area_manager'),
    distributors: logins.filter((l) => l.role === 'distributor'),
    login(name) {
      const l = logins.find((x) => x.name === name);
      if (!l) throw new Error(`no demo login for ${name}`);
      return l;
    },
    newUsers,
    // The sign-in link logged for a user created through the API (waits up to 3 s for the log).
    async newUserLink(name, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const l = newUsers.find((x) => x.name === name);
        if (l) return l;
        if (Date.now() > deadline) throw new Error(`no "parley: new ... ${name}" line in the log`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    alive() { return proc.exitCode === null && proc.signalCode === null; },
    // The server process's memory from /proc/<pid>/status, in bytes: { rss: VmRSS, hwm: VmHWM }.
    memory() {
      const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
      const kb = (field) => Number((new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status) || [])[1]) * 1024;
      return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
    },
    // SIGTERM; resolves with { code, signal }.
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 10000);
      const res = await exited;
      clearTimeout(timer);
      if (!shared) {
        rmSync(dataDir, { recursive: true, force: true });
        if (peers.delete(dataDir)) pgDatabases.delete(dataDir);
        if (PG_BASE && pgDatabases.has(dataDir)) {
          const name = /\/([^/?]+)(\?|$)/.exec(pgDatabases.get(dataDir).replace(/^[a-z]+:\/\/[^/]*/, ''))[1];
          pgDatabases.delete(dataDir);
          try { psql(PG_BASE, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`); } catch { /* left for the cluster's stop */ }
        }
      }
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

// Starts a demo server and signs in `who` ({key: full name}) into `cookies` (key → cookie).
export async function startSignedIn(who, cookies, options = { pollTimeout: 2 }) {
  const server = await startServer(options);
  for (const [k, name] of Object.entries(who)) {
    const { cookie } = await signIn(server.login(name));
    assert.ok(cookie, name);
    cookies[k] = cookie;
  }
  return server;
}

// Stops a server started by a test file and checks it exited cleanly (0).
export async function stopCleanly(server) {
  if (!server) return;
  const { code } = await server.stop();
  assert.equal(code, 0);
}

// Long-polls GET /events after `after` until an event of this kind arrives; undefined
// after ~8 s.
export async function waitForEvent(server, cookie, after, kind) {
  const deadline = Date.now() + 8000;
  let cursor = after;
  while (Date.now() < deadline) {
    const r = await getJson(server, cookie, `/events?after=${cursor}`);
    assert.equal(r.status, 200, r.text);
    const hit = r.json.events.find((e) => e.kind === kind);
    if (hit) return hit;
    cursor = r.json.cursor;
  }
  return undefined;
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

// POST a JSON body (object, or raw text as is) to /api/v1{path}.
export function postJson(server, cookie, path, body, headers = {}) {
  return call(server, `/api/v1${path}`, {
    cookie, method: 'POST', headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
}

// GET /api/v1{path}.
export function getJson(server, cookie, path) {
  return call(server, `/api/v1${path}`, { cookie });
}

// Asserts a JSON error answer {"error":{"code","message"}} with this status and code.
export function expectError(r, status, code, what = '') {
  assert.equal(r.status, status, `${what} ${r.text}`);
  assert.match(r.headers.get('content-type') || '', /^application\/json/, what);
  assert.equal(r.json?.error?.code, code, `${what} ${r.text}`);
  assert.ok(typeof r.json.error.message === 'string' && r.json.error.message.length > 0, what);
}
