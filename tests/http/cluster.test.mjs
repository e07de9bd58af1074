// Several instances on one PostgreSQL database behind nginx (scripts/cluster.sh's set-up):
// every live update crosses instances (a post on A wakes a long-poll on B), and an
// instance killed (SIGKILL) under 8 posting clients loses no acknowledged message and
// makes no duplicate while the clients retry through nginx; every mail is queued once.
// PostgreSQL only: skipped (visibly) without PARLEY_TEST_DATABASE_URL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PG_BASE, startServer, signIn, call, getJson, postJson, postMessage, newKey, runSql, freePort,
} from './server.mjs';

const skip = PG_BASE ? false : 'PostgreSQL only: set PARLEY_TEST_DATABASE_URL (scripts/test.sh does)';
const DAY = 86400000;

// nginx in front of `servers`, as scripts/cluster.sh configures it.
async function startNginx(servers) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-nginx-'));
  const port = await freePort();
  const upstream = servers.map((s) => `server 127.0.0.1:${s.port} max_fails=1 fail_timeout=5s;`).join('\n');
  writeFileSync(join(dir, 'nginx.conf'), `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream parley { ${upstream} keepalive 16; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://parley;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_read_timeout 75s;
      proxy_buffering off;
      proxy_next_upstream error timeout http_502 http_503 non_idempotent;
      proxy_next_upstream_tries 2;
    }
  }
}
`);
  const proc = spawn('nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off; user root;'],
    { stdio: 'ignore' });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${base}/api/v1/me`).then((r) => r.arrayBuffer()); break; } catch { await new Promise((r) => setTimeout(r, 50)); }
  }
  return {
    port, base,
    async stop() {
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r() : proc.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

let a; let b; let lb;
const servers = [];  // stopped last first
const u = {};
before(async () => {
  if (skip) return;
  a = await startServer({ pollTimeout: 5 });
  servers.push(a);
  b = await startServer({ peer: a, demo: false, pollTimeout: 5 });
  servers.push(b);
  for (const [k, name] of [['M', 'Marta Iglesias'], ['R', 'Rahul Mehta']]) u[k] = (await signIn(a.login(name))).cookie;
  lb = await startNginx([a, b]);
});
after(async () => {
  if (lb) await lb.stop();
  for (const s of servers.reverse()) await s.stop();
});

const cursorOn = async (server, cookie) => (await getJson(server, cookie, '/requests')).json.cursor;
// Long-polls `server` until an event of `kind` (and `pred`) arrives; undefined after ~10 s.
async function eventOn(server, cookie, after, kind, pred = () => true) {
  const deadline = Date.now() + 10000;
  for (let cursor = after; Date.now() < deadline;) {
    const r = await getJson(server, cookie, `/events?after=${cursor}`);
    assert.equal(r.status, 200, r.text);
    const hit = r.json.events.find((e) => e.kind === kind && pred(e));
    if (hit) return { event: hit, at: Date.now() };
    cursor = r.json.cursor;
  }
  return undefined;
}

test('live updates cross instances: message, read mark, quote opened, decline', { skip }, async () => {
  const rid = 20;  // Rahul's request to Marta
  // A session made on A works on B: sessions live in the database.
  assert.equal((await getJson(b, u.M, '/me')).status, 200);

  // The buyer posts on A; the seller's long-poll waits on B.
  let c = await cursorOn(b, u.M);
  let waiting = eventOn(b, u.M, c, 'message');
  await new Promise((r) => setTimeout(r, 200));
  const sent = Date.now();
  const p = await postMessage(a, u.R, rid, { body: 'Across instances: from A' }, newKey());
  assert.equal(p.status, 201, p.text);
  let got = await waiting;
  assert.ok(got, 'the message reached the long-poll on the other instance');
  assert.equal(got.event.message_id, p.json.id);
  assert.ok(got.at - sent < 2000, `woke ${got.at - sent} ms after the post`);
  // The seller's page on B shows it (its cache of the thread was dropped).
  assert.ok((await getJson(b, u.M, `/requests/${rid}`)).json.messages.some((m) => m.id === p.json.id));

  // The seller answers on B; the buyer's long-poll waits on A; the buyer reads it on A.
  c = await cursorOn(a, u.R);
  waiting = eventOn(a, u.R, c, 'message');
  const answer = await postMessage(b, u.M, rid, { body: 'Answer from B' }, newKey());
  assert.equal(answer.status, 201, answer.text);
  got = await waiting;
  assert.ok(got && got.event.message_id === answer.json.id, 'the answer reached A');
  c = await cursorOn(b, u.M);
  waiting = eventOn(b, u.M, c, 'read');
  const read = await call(a, `/api/v1/requests/${rid}/read`, { cookie: u.R, method: 'POST', headers: { 'content-type': 'application/json' }, body: '' });
  assert.equal(read.status, 204, read.text);
  assert.ok(await waiting, 'the read mark reached B');

  // A quote sent on B, opened by the buyer on A: the seller on B sees it opened.
  const q = await postJson(b, u.M, `/requests/${rid}/quotes`, {
    currency: 'EUR', lines: [{ product: 'Gear pump', quantity: 10, unit: 'pcs', unit_price: 10000 }],
    tax_bp: 2100, shipping: 0, incoterm: 'EXW', lead_time_days: 10, valid_until: Date.now() + 30 * DAY,
    payment_terms: '30 days', notes: '', online_payment: false,
  });
  assert.equal(q.status, 201, q.text);
  c = await cursorOn(b, u.M);
  waiting = eventOn(b, u.M, c, 'quote_opened');
  assert.equal((await postJson(a, u.R, `/quotes/${q.json.id}/open`, '')).status, 204);
  got = await waiting;
  assert.ok(got && got.event.text === q.json.number, 'quote_opened reached B');

  // Declined on B: the buyer on A hears of it.
  c = await cursorOn(a, u.R);
  waiting = eventOn(a, u.R, c, 'declined');
  const d = await postJson(b, u.M, `/requests/${rid}/decline`, { reason: 'cannot_deliver' });
  assert.equal(d.status, 200, d.text);
  assert.ok(await waiting, 'the decline reached A');
});

test('one instance killed under 8 posting clients: 0 lost, 0 duplicates, each mail queued once', { skip }, async () => {
  // A buyer's request that Marta sees, still open (Rahul's was declined above).
  let rid = 0; let buyer;
  for (const login of a.buyers.filter((x) => x.name !== 'Rahul Mehta')) {
    const cookie = (await signIn(login)).cookie;
    for (const r of (await getJson(a, cookie, '/requests')).json.requests) {
      if ((await getJson(a, u.M, `/requests/${r.id}`)).status === 200) { rid = r.id; buyer = cookie; break; }
    }
    if (rid) break;
  }
  assert.ok(rid, 'a buyer\'s request to Marta');
  const acked = new Map();  // key → message id
  const ackedAt = [];
  let stop = false;
  let retries = 0;
  // Each client posts through nginx, retrying a failed post with the same key.
  const client = async (n) => {
    for (let i = 0; !stop || i < 3; i++) {
      const key = newKey();
      const cookie = n % 2 ? buyer : u.M;
      for (let attempt = 0; ; attempt++) {
        let r;
        try {
          r = await fetch(`${lb.base}/api/v1/requests/${rid}/messages`, {
            method: 'POST', headers: { cookie, 'content-type': 'application/json', 'idempotency-key': key },
            body: JSON.stringify({ body: `client ${n} post ${i}` }),
          }).then(async (res) => ({ status: res.status, json: await res.json().catch(() => undefined) }));
        } catch { r = { status: 0 }; }
        if (r.status === 201 || r.status === 200) { acked.set(key, r.json.id); ackedAt.push(Date.now()); break; }
        retries++;
        assert.ok(attempt < 50, `post ${key} never succeeded (last ${r.status})`);
        await new Promise((res) => setTimeout(res, 100));
      }
    }
  };
  const clients = Array.from({ length: 8 }, (_, n) => client(n));
  await new Promise((r) => setTimeout(r, 1500));
  a.proc.kill('SIGKILL');
  const killedAt = Date.now();
  await new Promise((r) => setTimeout(r, 1500));
  stop = true;
  await Promise.all(clients);
  assert.ok(acked.size >= 24, `posts acknowledged: ${acked.size}`);
  const after = ackedAt.filter((t) => t > killedAt + 100).length;
  assert.ok(after >= 8 && after < ackedAt.length, `posts acknowledged before and after the kill: ${ackedAt.length - after} / ${after}`);

  // Every acknowledged message is stored once, whatever instance wrote it.
  const ids = [...acked.values()];
  assert.equal(new Set(ids).size, ids.length, 'one message per key');
  const rows = runSql(b, `SELECT id FROM messages WHERE id IN (${ids.join(',')})`).trim().split('\n').filter(Boolean);
  assert.equal(rows.length, ids.length, 'no acknowledged message lost');
  const dup = runSql(b, `SELECT body, count(*) FROM messages WHERE request_id = ${rid} GROUP BY body HAVING count(*) > 1`).trim();
  assert.equal(dup, '', 'no message stored twice');

  // The killed instance comes back (as after an upgrade): the notices it had not queued
  // are queued then; no mail twice.
  a = await startServer({ dataDir: a.dataDir, demo: false, pollTimeout: 5, peer: b });
  servers.push(a);
  const deadline = Date.now() + 15000;
  let missing;
  do {
    missing = runSql(b, `SELECT count(*) FROM messages m WHERE m.id IN (${ids.join(',')}) AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.message_ref = m.id)`).trim();
    if (missing === '0') break;
    await new Promise((r) => setTimeout(r, 200));
  } while (Date.now() < deadline);
  assert.equal(missing, '0', 'every post has its notification mails');
  const twice = runSql(b, 'SELECT message_ref, to_user_id, kind FROM outbox WHERE message_ref > 0 GROUP BY 1, 2, 3 HAVING count(*) > 1').trim();
  assert.equal(twice, '', 'no mail queued twice');
  console.log(`# ${acked.size} posts acknowledged through nginx (${after} after the kill), ${retries} retried by the clients`);
});

test('an instance that never comes back: another one mails the posts it stored but did not notify', { skip }, async () => {
  // What an instance that died between a post's commit and its notices leaves: the message
  // and its event, no mail (written here as that instance would have, a few seconds ago).
  const conv = runSql(b, `SELECT c.id FROM conversations c JOIN requests r ON r.id = c.request_id
    JOIN users s ON s.id = c.seller_id WHERE s.name = 'Marta Iglesias' ORDER BY c.id LIMIT 1`).trim();
  assert.match(conv, /^\d+$/);
  const created = Date.now() - 5000;
  const mid = runSql(b, `WITH m AS (INSERT INTO messages(request_id, conversation_id, author_id, body, created)
      SELECT c.request_id, c.id, r.buyer_id, 'Stored by an instance that died', ${created}
      FROM conversations c JOIN requests r ON r.id = c.request_id WHERE c.id = ${conv} RETURNING *),
    e AS (INSERT INTO events(request_id, conversation_id, kind, message_id, actor_id, created)
      SELECT request_id, conversation_id, 'message', id, author_id, created FROM m)
    SELECT id FROM m`).trim();
  assert.match(mid, /^\d+$/);
  const mails = () => runSql(b, `SELECT to_user_id, kind FROM outbox WHERE message_ref = ${mid} ORDER BY 1, 2`)
    .trim().split('\n').filter(Boolean);
  // The running instances sweep posts older than a minute (the default): not yet.
  await new Promise((r) => setTimeout(r, 1000));
  assert.deepEqual(mails(), []);
  // An instance that sweeps after one second takes it: the seller's new_reply and the
  // buyer's own copy, once each, and never again on its next sweeps.
  const c = await startServer({ peer: b, demo: false, args: ['--notice-sweep', '1'] });
  servers.push(c);
  const deadline = Date.now() + 15000;
  while (mails().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  await new Promise((r) => setTimeout(r, 2500));  // a few more sweeps
  const got = mails();
  assert.equal(got.length, 2, got.join(' / '));
  assert.ok(got.some((l) => l.includes('new_reply')) && got.some((l) => l.includes('own_copy')), got.join(' / '));
});
