// The LMTP listener for inbound e-mail (RFC 2033) of the real server binary: a node socket speaks
// LMTP to --lmtp-listen 127.0.0.1:PORT like Postfix's lmtp client would. A seller's
// answer puts the relay Reply-To in the buyer's development mailbox; the buyer's reply
// over LMTP is threaded into the request (one reply line per recipient after DATA);
// forged relay addresses and strangers get 550, duplicates post once, 11 MB gets 552.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, freePort, MAIL_AUTHSERV,
  authResults } from './server.mjs';

const STEFAN = 's.mueller@mueller-foerdertechnik.de';  // the demo buyer's address (server/domain/seed.cpp)
let server, lmtpPort;
const C = {};

before(async () => {
  lmtpPort = await freePort();
  server = await startServer({ args: ['--lmtp-listen', `127.0.0.1:${lmtpPort}`, '--lmtp-idle-timeout', '2', '--mail-authserv-id', MAIL_AUTHSERV] });
  C.S = (await signIn(server.login('Stefan Müller'))).cookie;
  C.M = (await signIn(server.login('Marta Iglesias'))).cookie;
  C.sId = (await getJson(server, C.S, '/me')).json.id;
  C.mId = (await getJson(server, C.M, '/me')).json.id;
});

after(async () => { await stopCleanly(server); });

// A minimal LMTP client: send() writes, reply(n) resolves with the next n reply lines
// (a multi-line reply "250-…" … "250 …" counts as one).
function lmtpClient(port) {
  const sock = net.connect(port, '127.0.0.1');
  let buf = '';
  const lines = [];
  let waiter = null;
  let closed = false;
  const wake = () => { if (waiter) waiter(); };
  sock.setEncoding('utf8');
  sock.on('data', (d) => {
    buf += d;
    let i;
    while ((i = buf.indexOf('\r\n')) >= 0) { lines.push(buf.slice(0, i)); buf = buf.slice(i + 2); }
    wake();
  });
  sock.on('close', () => { closed = true; wake(); });
  sock.on('error', () => {});
  const c = {
    get closed() { return closed; },
    send: (text) => new Promise((res) => sock.write(text, res)),
    async reply(n = 1, timeoutMs = 20000) {
      const out = [];
      const deadline = Date.now() + timeoutMs;
      while (out.length < n) {
        const k = lines.findIndex((l) => /^\d{3} /.test(l));
        if (k >= 0) { out.push(lines.splice(0, k + 1).join('\n')); continue; }
        if (closed || Date.now() > deadline) throw new Error(`no LMTP reply (got ${JSON.stringify(out)}, closed ${closed})`);
        await new Promise((res) => { waiter = res; setTimeout(res, 200); });
        waiter = null;
      }
      return out;
    },
    end: () => sock.end(),
  };
  return c;
}

async function session() {
  const c = lmtpClient(lmtpPort);
  assert.match((await c.reply())[0], /^220 /);
  await c.send('LHLO mta.test\r\n');
  const lhlo = (await c.reply())[0];
  assert.match(lhlo, /^250-/);
  assert.match(lhlo, /SIZE 10485760/);
  return c;
}

// Sends one message to the recipients; resolves with the per-recipient replies after DATA.
async function deliver(c, rcpts, raw, { from = STEFAN } = {}) {
  await c.send(`MAIL FROM:<${from}>\r\n`);
  assert.match((await c.reply())[0], /^250 /);
  const rcptReplies = [];
  for (const r of rcpts) {
    await c.send(`RCPT TO:<${r}>\r\n`);
    rcptReplies.push((await c.reply())[0]);
  }
  const accepted = rcptReplies.filter((r) => r.startsWith('250')).length;
  if (accepted === 0) return { rcptReplies, dataReplies: [] };
  await c.send('DATA\r\n');
  assert.match((await c.reply())[0], /^354 /);
  const stuffed = raw.replace(/\r\n\./g, '\r\n..');
  await c.send(`${stuffed}\r\n.\r\n`);
  return { rcptReplies, dataReplies: await c.reply(accepted) };
}

async function notifiedThread(product) {
  const r = await postJson(server, C.S, '/requests', { manufacturer_id: C.mId, product, message: `Quote ${product}.` });
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  const marker = `Our price for ${product} ${newKey()}`;
  assert.equal((await postMessage(server, C.M, rid, { body: marker }, newKey())).status, 201);
  const box = await getJson(server, C.S, '/dev/mailbox');
  const row = box.json.messages.find((m) => m.text.includes(marker));
  assert.ok(row, 'the notification is in the buyer\'s development mailbox');
  const relay = /r\+[a-z0-9]+@[^>\s]+/i.exec(row.headers['Reply-To'])?.[0];
  assert.ok(relay, row.headers['Reply-To']);
  return { rid, marker, relay };
}

function reply({ from = STEFAN, to = 'undisclosed-recipients:;', text, messageId = `<${newKey()}@mail.example>`,
  auth = authResults(from) }) {
  return [
    ...(auth ? [auth] : []), `From: Stefan <${from}>`, `To: ${to}`, 'Subject: Re: quote', `Message-ID: ${messageId}`,
    'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8', '',
    text, '.a line that starts with a dot', '', '> quoted history', '',
  ].join('\r\n');
}

const bodies = async (rid) => (await getJson(server, C.S, `/requests/${rid}`)).json.messages.map((m) => m.body);

test('a reply over LMTP is threaded by the envelope recipient (250), a duplicate posts once', async () => {
  const t = await notifiedThread('Bujes');
  const text = `LMTP: 25 units please. ${newKey()}`;
  const raw = reply({ text });  // the relay address only in the envelope
  const c = await session();
  const first = await deliver(c, [t.relay], raw);
  assert.deepEqual(first.rcptReplies, ['250 2.1.5 Recipient OK']);
  assert.equal(first.dataReplies.length, 1);
  assert.match(first.dataReplies[0], /^250 2\.0\.0 .*posted/);
  const again = await deliver(c, [t.relay], raw);
  assert.match(again.dataReplies[0], /^250 2\.0\.0 .*duplicate/);
  await c.send('QUIT\r\n');
  assert.match((await c.reply())[0], /^221 /);
  const mine = (await bodies(t.rid)).filter((b) => b.includes(text));
  assert.equal(mine.length, 1);
  assert.equal(mine[0], `${text}\n.a line that starts with a dot`);  // dot-unstuffed, quote stripped
  const d = (await getJson(server, C.M, `/requests/${t.rid}`)).json;
  assert.equal(d.messages.find((m) => m.body.includes(text)).via_email, true);
});

test('per-recipient replies: forged token 550 5.1.1 at RCPT, a stranger 550 5.7.1 after DATA', async () => {
  const t = await notifiedThread('Rodamientos');
  const [local, domain] = t.relay.split('@');
  const forged = `${local.slice(0, -1)}${local.at(-1) === 'a' ? 'b' : 'a'}@${domain}`;
  const c = await session();
  const text = `must not appear ${newKey()}`;
  const r = await deliver(c, [forged, t.relay], reply({ from: 'intruder@evil.example', text }),
    { from: 'intruder@evil.example' });
  assert.match(r.rcptReplies[0], /^550 5\.1\.1 /);
  assert.equal(r.rcptReplies[1], '250 2.1.5 Recipient OK');
  assert.equal(r.dataReplies.length, 1);
  assert.match(r.dataReplies[0], /^550 5\.7\.1 Only the participant/);
  // Not a relay address and no known In-Reply-To: 550 5.1.1 after DATA.
  const r2 = await deliver(c, ['sales@parley.example'], reply({ text }));
  assert.match(r2.dataReplies[0], /^550 5\.1\.1 /);
  // DATA without any accepted recipient.
  await c.send(`MAIL FROM:<${STEFAN}>\r\nRCPT TO:<${forged}>\r\nDATA\r\n`);
  const three = await c.reply(3);
  assert.match(three[1], /^550/);
  assert.match(three[2], /^503 /);
  await c.send('RSET\r\n');
  assert.match((await c.reply())[0], /^250 /);
  c.end();
  assert.equal((await bodies(t.rid)).some((b) => b.includes(text)), false);
});

test('11 MB → 552 after DATA (read to the end; the session goes on); SIZE=… refused at MAIL', async () => {
  const t = await notifiedThread('Juntas');
  const c = await session();
  await c.send(`MAIL FROM:<${STEFAN}> SIZE=${11 * 1024 * 1024}\r\n`);
  assert.match((await c.reply())[0], /^552 5\.3\.4 /);
  const line = `${'x'.repeat(998)}\r\n`;
  const big = reply({ text: line.repeat(Math.ceil((11 * 1024 * 1024) / line.length)) });
  const r = await deliver(c, [t.relay], big);
  assert.match(r.dataReplies[0], /^552 5\.3\.4 /);
  // Still usable afterwards.
  const text = `after the big one ${newKey()}`;
  const ok = await deliver(c, [t.relay], reply({ text }));
  assert.match(ok.dataReplies[0], /^250 /);
  c.end();
  const all = await bodies(t.rid);
  assert.equal(all.some((b) => b.includes(text)), true);
  assert.equal(all.some((b) => b.startsWith('xxxxxxxx')), false);
});

test('idle connections are closed (421), HELO is refused, the server stays up', async () => {
  const c = lmtpClient(lmtpPort);
  assert.match((await c.reply())[0], /^220 /);
  await c.send('HELO old.mta\r\n');
  assert.match((await c.reply())[0], /^500 /);
  const t0 = Date.now();
  assert.match((await c.reply(1, 6000))[0], /^421 4\.4\.2 /);  // --lmtp-idle-timeout 2
  assert.ok(Date.now() - t0 < 5000);
  for (let i = 0; i < 50 && !c.closed; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(c.closed);
  assert.ok(server.alive());
});

test('the envelope: SPF\'s verdict counts only for the MAIL FROM it was given; <> and strangers are held', async () => {
  const t = await notifiedThread('Chavetas');
  const spfOnly = `Authentication-Results: ${MAIL_AUTHSERV}; spf=pass smtp.mailfrom=${STEFAN}`;
  const c = await session();
  const forgedText = `held: another envelope ${newKey()}`;
  const r1 = await deliver(c, [t.relay], reply({ text: forgedText, auth: spfOnly }), { from: 'x@evil.example' });
  assert.match(r1.dataReplies[0], /^250 2\.0\.0 .*held/);
  const bounceText = `held: null sender ${newKey()}`;
  await c.send('MAIL FROM:<>\r\n');
  assert.match((await c.reply())[0], /^250 /);
  await c.send(`RCPT TO:<${t.relay}>\r\nDATA\r\n`);
  assert.equal((await c.reply(2)).length, 2);
  await c.send(`${reply({ text: bounceText, auth: spfOnly })}\r\n.\r\n`);
  assert.match((await c.reply())[0], /^250 2\.0\.0 .*held/);
  const goodText = `posted: the envelope SPF checked ${newKey()}`;
  const r3 = await deliver(c, [t.relay], reply({ text: goodText, auth: spfOnly }), { from: STEFAN });
  assert.match(r3.dataReplies[0], /^250 2\.0\.0 .*posted/);
  c.end();
  const d = (await getJson(server, C.S, `/requests/${t.rid}`)).json;
  const b = d.messages.map((m) => m.body);
  assert.ok(b.some((x) => x.startsWith(goodText)));
  assert.equal(b.some((x) => x.startsWith('held: ')), false);
  assert.deepEqual(d.held_replies.map((h) => h.reason).sort(), ['envelope_mismatch', 'null_sender']);
});
