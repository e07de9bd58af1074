// E-mail in is read off the HTTP workers: mails posted to POST /api/v1/mail/inbound wait
// in a small bounded queue and are read on its own thread (server/http/mail_in_queue.h),
// so that slow mails never hold up other requests; a full queue answers 503 with
// Retry-After. Against the real server binary. No wall-clock limits: the GETs are
// compared with how long the mails themselves took.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, MAIL_AUTHSERV,
  authResults } from './server.mjs';

const SECRET = 'inbound-queue-secret-0123456789';
const STEFAN = 's.mueller@mueller-foerdertechnik.de';  // the demo buyer (server/domain/seed.cpp)
const MAIL_BYTES = 10 * 1000 * 1000;                   // under the 10 MB limit
const servers = [];
after(async () => { for (const s of servers) await stopCleanly(s); });

async function start(args) {
  const server = await startServer({ args: ['--inbound-secret', SECRET, '--mail-authserv-id', MAIL_AUTHSERV, ...args] });
  servers.push(server);
  const S = (await signIn(server.login('Stefan Müller'))).cookie;
  const M = (await signIn(server.login('Marta Iglesias'))).cookie;
  // Marta answers Stefan's new request: his notification carries the relay address.
  const maker = (await getJson(server, M, '/me')).json.id;
  const req = await postJson(server, S, '/requests', { manufacturer_id: maker, product: 'Queue', message: 'Quote please.' });
  assert.equal(req.status, 201, req.text);
  const marker = `queue ${newKey()}`;
  assert.equal((await postMessage(server, M, req.json.id, { body: marker }, newKey())).status, 201);
  const row = (await getJson(server, S, '/dev/mailbox')).json.messages.find((m) => m.text.includes(marker));
  const relay = /r\+[a-z0-9]+@[^>\s]+/i.exec(row.headers['Reply-To'])[0];
  return { server, S, M, relay, rid: req.json.id };
}

let seq = 0;
const head = (relay) => [authResults(STEFAN), `From: Stefan <${STEFAN}>`, `To: ${relay}`, 'Subject: Re: queue',
  `Message-ID: <queue-${process.pid}-${seq++}@mail.example>`, 'MIME-Version: 1.0',
  'Content-Type: text/plain; charset=UTF-8', '', ''].join('\r\n');
// The slowest kind of mail to read within the limits (bench/mail_in.sh): nothing but
// newlines, refused (422 too_many_lines) once read.
// Built before any timing starts (10 MB strings stall the client's own event loop).
const newlines = (relay) => { const h = head(relay); return Buffer.from(h + '\n'.repeat(MAIL_BYTES - h.length)); };

// POST /api/v1/mail/inbound with node:http, to know when the body has left the client
// (`sent`) as well as when the answer came (`end`).
function postMail(server, raw) {
  return new Promise((resolve, reject) => {
    const t = { start: performance.now() };
    const req = http.request(`${server.base}/api/v1/mail/inbound`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822',
        'content-length': Buffer.byteLength(raw) },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        t.end = performance.now();
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ ...t, status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    req.end(raw, () => { t.sent = performance.now(); });
  });
}

test('while slow mails are read, the HTTP worker keeps answering other requests', async (t) => {
  // One HTTP worker, and more slow mails than workers: read on the worker, they would
  // hold every other request behind them.
  const { server, M, relay } = await start(['--http-threads', '1']);
  const raws = [0, 1, 2].map(() => newlines(relay));
  const gets = [];
  let done = false;
  const poll = (async () => {
    while (!done) {
      const t = performance.now();
      const r = await getJson(server, M, '/me');
      assert.equal(r.status, 200, r.text);
      gets.push({ start: t, end: performance.now() });
      await new Promise((res) => setTimeout(res, 5));
    }
  })();
  await new Promise((res) => setTimeout(res, 50));
  const mails = await Promise.all(raws.map((raw) => postMail(server, raw)));
  done = true;
  await poll;
  for (const m of mails) {
    assert.equal(m.status, 422, m.text);
    assert.equal(m.json.error.code, 'too_many_lines');
  }
  const firstSent = Math.min(...mails.map((m) => m.sent));
  const firstAnswer = Math.min(...mails.map((m) => m.end));
  const reading = firstAnswer - firstSent;  // at least one mail's read, and its wait
  // Requests made while the mails were being read were answered before any mail was.
  const during = gets.filter((g) => g.start >= firstSent && g.end < firstAnswer);
  assert.ok(during.length >= 1, `a GET answered while the mails were read (first mail ${reading.toFixed(0)} ms)`);
  // And none waited for a mail: the slowest GET took well under the first mail's read
  // (on the worker, a GET made once the mails are in waits through a whole read).
  const slowest = Math.max(...gets.filter((g) => g.start >= firstSent).map((g) => g.end - g.start));
  t.diagnostic(`first mail read in ${reading.toFixed(0)} ms; ${during.length} GETs meanwhile, slowest ${slowest.toFixed(1)} ms`);
  assert.ok(slowest < reading / 2,
    `slowest GET ${slowest.toFixed(0)} ms, first mail read in ${reading.toFixed(0)} ms (${gets.length} GETs)`);
});

test('a full e-mail-in queue answers 503 with Retry-After, then takes mail again', async () => {
  const { server, S, relay, rid } = await start(['--mail-in-queue', '1']);
  let busy;
  for (let round = 0; round < 3 && !busy; ++round) {
    const raws = [0, 1, 2, 3].map(() => newlines(relay));
    const answers = await Promise.all(raws.map((raw) => postMail(server, raw)));
    for (const a of answers) assert.ok(a.status === 422 || a.status === 503, `${a.status} ${a.text}`);
    busy = answers.find((a) => a.status === 503);
  }
  assert.ok(busy, 'one of four slow mails posted at once found the queue (1 job) full');
  assert.equal(busy.json.error.code, 'busy');
  assert.match(busy.headers['retry-after'], /^\d+$/);
  assert.equal(busy.headers['cache-control'], 'no-store');
  assert.equal(busy.headers['x-content-type-options'], 'nosniff', 'the usual security headers');

  // The queue empties: a real reply is posted.
  const text = `Forty units, thanks. ${newKey()}`;
  const ok = await postMail(server, `${head(relay)}${text}\r\n`);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'posted');
  assert.equal(ok.json.request_id, rid);
  const d = await getJson(server, S, `/requests/${rid}`);
  assert.ok(d.json.messages.some((m) => m.body === text));
});
