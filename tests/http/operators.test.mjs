// Operators: GET /healthz (200, or 503 with a reason when the database does not answer or
// e-mail is stuck or failing), GET /metrics (Prometheus text format 0.0.4: requests by
// route pattern and status, latency histograms, long-poll waiters, the outbox, uploads;
// protected by --metrics-token, or this machine only, or --metrics-listen), the request
// log (text or JSON lines, route patterns, never raw paths or tokens) and --help (every
// environment variable the server reads).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SERVER_BIN, startServer, signIn, stopCleanly, getJson, postMessage, newKey, call, runSql, freePort,
} from './server.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TOKEN = `metrics-${process.pid}-${Date.now()}`;
const REQ = 8; // Camille Laurent's request, answered by Claire Martin

let server; // --metrics-token
let camille;

before(async () => {
  server = await startServer({ args: ['--metrics-token', TOKEN] });
  camille = (await signIn(server.login('Camille Laurent'))).cookie;
  assert.ok(camille);
});

after(async () => {
  await stopCleanly(server);
});

const scrapeRaw = (s, headers = {}) => call(s, '/metrics', { headers });
const authorized = { authorization: `Bearer ${TOKEN}` };

// The samples of a scrape: 'name{labels}' → number; checks every line's shape.
function parse(text) {
  const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*\})? (NaN|[+-]Inf|-?[0-9.]+(?:e[+-]?[0-9]+)?)$/;
  const out = new Map();
  const types = new Map();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# HELP ')) continue;
    const t = /^# TYPE (\S+) (counter|gauge|histogram)$/.exec(line);
    if (t) { types.set(t[1], t[2]); continue; }
    const m = sample.exec(line);
    assert.ok(m, `not an exposition line: ${JSON.stringify(line)}`);
    out.set(m[1] + (m[2] || ''), Number(m[3].replace('+Inf', 'Infinity').replace('-Inf', '-Infinity')));
  }
  out.types = types;
  return out;
}

async function scrape(s = server, headers = authorized) {
  const r = await scrapeRaw(s, headers);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  return parse(r.text);
}

const key = (name, labels) => `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(',')}}`;
const requests = (m, route, method, status) => m.get(key('parley_http_requests_total', { route, method, status: String(status) })) || 0;
const latencyCount = (m, route, method) => m.get(key('parley_http_request_duration_seconds_count', { route, method })) || 0;

test('healthz: 200 ok with its checks, public, no internals', async () => {
  const r = await call(server, '/healthz');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: 'ok', checks: { database: 'ok', outbox: 'ok' } });
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('metrics: 401 without the token, 403 with another, 200 with it', async () => {
  const none = await scrapeRaw(server);
  assert.equal(none.status, 401, none.text);
  assert.equal(none.json.error.code, 'unauthorized');
  assert.match(none.headers.get('www-authenticate'), /^Bearer/);
  const wrong = await scrapeRaw(server, { authorization: `Bearer ${TOKEN}x` });
  assert.equal(wrong.status, 403, wrong.text);
  const basic = await scrapeRaw(server, { authorization: `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}` });
  assert.equal(basic.status, 403, basic.text);
  assert.ok(!wrong.text.includes('parley_http'), 'nothing of the metrics in a refusal');
  const ok = await scrape();
  for (const [name, type] of [['parley_http_requests_total', 'counter'], ['parley_http_request_duration_seconds', 'histogram'],
    ['parley_longpoll_waiters', 'gauge'], ['parley_outbox_queue_length', 'gauge'], ['parley_outbox_send_failures_total', 'counter'],
    ['parley_translation_calls_total', 'counter'], ['parley_upload_bytes_received_total', 'counter']])
    assert.equal(ok.types.get(name), type, name);
  assert.equal(ok.get('parley_outbox_queue_length'), 0);
});

test('metrics: the right counters move, by route pattern, method and status', async () => {
  const before = await scrape();
  const detail = await getJson(server, camille, `/requests/${REQ}`);
  assert.equal(detail.status, 200, detail.text);
  const missing = await getJson(server, camille, '/requests/987654');
  assert.equal(missing.status, 404, missing.text);
  const unknown = await getJson(server, camille, '/no/such/endpoint/4711');
  assert.equal(unknown.status, 404, unknown.text);
  const posted = await postMessage(server, camille, REQ, { body: `Metrics ${newKey()}` }, newKey());
  assert.equal(posted.status, 201, posted.text);
  const wrongMethod = await call(server, '/api/v1/me', { method: 'DELETE', cookie: camille });
  assert.equal(wrongMethod.status, 405, wrongMethod.text);
  const body = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
  const up = await call(server, `/api/v1/requests/${REQ}/attachments?kind=other&name=a.pdf`, {
    cookie: camille, method: 'POST', body, headers: { 'content-type': 'application/octet-stream' },
  });
  assert.ok(up.status < 500, up.text);
  const after = await scrape();

  const delta = (route, method, status) => requests(after, route, method, status) - requests(before, route, method, status);
  assert.equal(delta('/api/v1/requests/{id}', 'GET', 200), 1);
  assert.equal(delta('/api/v1/requests/{id}', 'GET', 404), 1);
  assert.equal(delta('unmatched', 'GET', 404), 1);
  assert.equal(delta('/api/v1/requests/{id}/messages', 'POST', 201), 1);
  assert.equal(delta('/api/v1/me', 'DELETE', 405), 1);
  assert.equal(delta('/api/v1/requests/{id}/attachments', 'POST', up.status), 1);
  assert.equal(delta('/metrics', 'GET', 200), 1); // the first scrape, counted once answered
  assert.equal(latencyCount(after, '/api/v1/requests/{id}', 'GET') - latencyCount(before, '/api/v1/requests/{id}', 'GET'), 2);
  const inf = key('parley_http_request_duration_seconds_bucket', { route: '/api/v1/requests/{id}', method: 'GET', le: '+Inf' });
  assert.equal(after.get(inf), latencyCount(after, '/api/v1/requests/{id}', 'GET'));
  assert.ok(after.get('parley_upload_bytes_received_total') - (before.get('parley_upload_bytes_received_total') || 0) >= body.length);

  // Route patterns only: no raw path, no id, no query in any label.
  for (const k of after.keys()) {
    assert.ok(!/987654|4711|\/requests\/8\b|\?/.test(k), `raw path in ${k}`);
  }
});

test('metrics: long-poll waiters now', async () => {
  const cursor = (await getJson(server, camille, '/requests')).json.cursor;
  const held = getJson(server, camille, `/events?after=${cursor}`); // held up to 2 s
  let waiters = 0;
  for (let i = 0; i < 20 && waiters < 1; i++) {
    await new Promise((r) => setTimeout(r, 50));
    waiters = (await scrape()).get('parley_longpoll_waiters');
  }
  assert.ok(waiters >= 1, `waiters ${waiters}`);
  assert.equal((await held).status, 200);
  assert.equal((await scrape()).get('parley_longpoll_waiters'), 0);
});

test('log: one text line per request with its route pattern, never a raw path or a token', async () => {
  await getJson(server, camille, '/requests/555444');
  await call(server, `/api/v1/requests/${REQ}?token=supersecret123`, { cookie: camille });
  await new Promise((r) => setTimeout(r, 400)); // the log is flushed every 200 ms
  const log = server.stderr;
  assert.match(log, /^GET \/api\/v1\/requests\/\{id\} 404 \d+\.\d{3}ms \d+B$/m);
  assert.match(log, /^GET \/metrics 200 \d+\.\d{3}ms \d+B$/m);
  assert.ok(!log.includes('555444'), 'no raw path');
  assert.ok(!log.includes('supersecret123'), 'no query string');
  assert.ok(!log.includes(TOKEN), 'no metrics token');
  assert.ok(!log.includes(server.login('Camille Laurent').token), 'no sign-in token');
  assert.match(log, /^GET \/login\/\{token\} 30\d /m);
});

test('healthz: 503 outbox_stuck while a mail has been due for long, 200 again after', async () => {
  const s = await startServer({ args: ['--log-format', 'json'] });
  try {
    const past = Date.now() - 2 * 3600 * 1000;
    runSql(s, "INSERT INTO outbox(to_address, kind, message_id, raw, status, next_attempt_at, created) " +
      `VALUES ('stuck@example.com', 'test', '<stuck-${process.pid}@parley.test>', 'raw', 'queued', ${past}, ${past})`);
    const r = await call(s, '/healthz');
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.status, 'unavailable');
    assert.equal(r.json.reason, 'outbox_stuck');
    assert.match(r.json.message, /not going out/);
    assert.deepEqual(r.json.checks, { database: 'ok', outbox: 'stuck' });
    assert.ok(!/stuck@example|SELECT|sqlite|postgres/i.test(r.text), 'no internals');

    // Without a token, this machine only: 200 here, 403 through a proxy.
    const m = await scrape(s, {});
    assert.equal(m.get('parley_outbox_queue_length'), 1);
    assert.equal(requests(m, '/healthz', 'GET', 503), 1);
    const proxied = await scrapeRaw(s, { 'x-forwarded-for': '203.0.113.9' });
    assert.equal(proxied.status, 403, proxied.text);
    assert.equal(proxied.json.error.code, 'local_only');

    runSql(s, `UPDATE outbox SET status = 'sent' WHERE message_id = '<stuck-${process.pid}@parley.test>'`);
    const again = await call(s, '/healthz');
    assert.equal(again.status, 200, again.text);

    // --log-format json: every line a JSON object; requests by route pattern.
    await new Promise((res) => setTimeout(res, 400));
    const lines = s.stderr.split('\n').filter((l) => l !== '');
    assert.ok(lines.length > 5);
    const parsed = lines.map((l) => JSON.parse(l));
    const health = parsed.filter((j) => j.kind === 'request' && j.route === '/healthz');
    assert.deepEqual(health.map((j) => j.status), [503, 200]);
    for (const j of health) {
      assert.equal(j.method, 'GET');
      assert.equal(typeof j.ms, 'number');
      assert.equal(typeof j.bytes, 'number');
      assert.match(j.ts, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
    assert.ok(parsed.some((j) => j.kind === 'log' && j.level === 'error' && /outbox_stuck/.test(j.msg)), 'the change is logged');
    assert.ok(parsed.some((j) => j.kind === 'log' && /health: ok again/.test(j.msg)));
  } finally {
    await stopCleanly(s);
  }
});

test('healthz: 503 outbox_failing when sending keeps failing (SMTP unreachable)', async () => {
  const closed = await freePort(); // nothing listens there
  const s = await startServer({
    args: ['--smtp-url', `smtp://127.0.0.1:${closed}`, '--smtp-tls', 'none', '--mail-retry-base-ms', '50',
      '--health-outbox-failures', '3'],
  });
  try {
    const c = (await signIn(s.login('Camille Laurent'))).cookie;
    const p = await postMessage(s, c, REQ, { body: `Nobody will get this ${newKey()}` }, newKey());
    assert.equal(p.status, 201, p.text);
    let r;
    for (let i = 0; i < 100; i++) {
      r = await call(s, '/healthz');
      if (r.status === 503) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.equal(r.status, 503, r.text);
    assert.equal(r.json.reason, 'outbox_failing');
    assert.deepEqual(r.json.checks, { database: 'ok', outbox: 'failing' });
    const m = await scrape(s, {});
    const failures = m.get(key('parley_outbox_send_failures_total', { kind: 'temporary' })) +
      m.get(key('parley_outbox_send_failures_total', { kind: 'permanent' }));
    assert.ok(failures >= 3, `failures ${failures}`);
    assert.equal(m.get('parley_outbox_sent_total'), 0);
  } finally {
    await stopCleanly(s);
  }
});

test('--metrics-listen: /metrics and /healthz there alone (token from PARLEY_METRICS_TOKEN), not on the main port', async () => {
  const opsPort = await freePort();
  process.env.PARLEY_METRICS_TOKEN = TOKEN;
  let s;
  try {
    s = await startServer({ demo: false, args: ['--metrics-listen', `127.0.0.1:${opsPort}`] });
  } finally {
    delete process.env.PARLEY_METRICS_TOKEN;
  }
  try {
    const ops = { base: `http://127.0.0.1:${opsPort}` };
    assert.equal((await call(s, '/metrics', { headers: authorized })).status, 404);
    assert.equal((await call(s, '/healthz')).status, 404);
    assert.equal((await call(ops, '/metrics')).status, 401);
    const m = await call(ops, '/metrics', { headers: authorized });
    assert.equal(m.status, 200, m.text);
    parse(m.text);
    assert.equal((await call(ops, '/healthz')).status, 200);
    assert.equal((await call(ops, '/api/v1/me')).status, 404);
    assert.equal((await call(ops, '/metrics', { method: 'POST', headers: authorized })).status, 405);
    assert.match(s.stderr, new RegExp(`/metrics and /healthz on http://127\\.0\\.0\\.1:${opsPort}`));
  } finally {
    await stopCleanly(s);
  }
});

test('--help names every environment variable the server reads, and every option', () => {
  const help = execFileSync(SERVER_BIN, ['--help'], { encoding: 'utf8' });
  const files = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p); else if (/\.(cpp|h)$/.test(e)) files.push(p);
    }
  };
  walk(join(repo, 'server'));
  const vars = new Set();
  const getenvs = [];
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/"(PARLEY_[A-Z0-9_]+)"/g)) vars.add(m[1]);
    for (const m of text.matchAll(/getenv\(\s*"([A-Z0-9_]+)"/g)) vars.add(m[1]);
    for (const m of text.matchAll(/getenv\(([^)]*)\)/g)) getenvs.push(`${f}: ${m[0]}`);
  }
  assert.ok(vars.size >= 14, [...vars].join(' '));
  for (const v of vars) assert.ok(help.includes(v), `--help does not name ${v}`);
  // getenv is called in one place, with the names of the option table.
  assert.deepEqual(getenvs.map((g) => g.replace(/^.*\/server\//, 'server/')), ['server/options.cpp: getenv(s.env)']);
  // Each option --help names is one the server takes (an unknown one exits 2).
  const options = [...new Set([...help.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]))];
  assert.ok(options.length > 40, options.join(' '));
  for (const o of ['--metrics-token', '--metrics-listen', '--log-format', '--health-outbox-stuck', '--database', '--smtp-password']) {
    assert.ok(options.includes(o), o);
  }
  const bad = (() => { try { execFileSync(SERVER_BIN, ['--no-such-option'], { stdio: 'pipe' }); return 0; } catch (e) { return e.status; } })();
  assert.equal(bad, 2);
  const badEnv = (() => {
    try { execFileSync(SERVER_BIN, ['--port', '1'], { stdio: 'pipe', env: { ...process.env, PARLEY_LOG_FORMAT: 'xml' } }); return 0; } catch (e) { return { status: e.status, stderr: String(e.stderr) }; }
  })();
  assert.equal(badEnv.status, 2);
  assert.match(badEnv.stderr, /PARLEY_LOG_FORMAT: --log-format must be text or json/);
});
