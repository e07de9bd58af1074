// Inbound replies by e-mail: a reply e-mail to the relay address of a notification is
// threaded back into the request as the participant's message, with only the new text.
// POST /api/v1/mail/inbound (shared secret) and the `mail-in` command (stdin, exit codes
// 0 / 67) against the real server binary, in the development mailbox set-up.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, call, expectError,
  SERVER_BIN, MAIL_AUTHSERV, authResults } from './server.mjs';

const SECRET = 'inbound-test-secret-0123456789';
const STEFAN = 's.mueller@mueller-foerdertechnik.de';  // the demo buyer's address (server/domain/seed.cpp)
let server;
const C = {};

before(async () => {
  // A long poll timeout: the live-delivery test holds a poll open across a mail-in run.
  server = await startServer({ args: ['--inbound-secret', SECRET, '--mail-authserv-id', MAIL_AUTHSERV], pollTimeout: 10 });
  C.S = (await signIn(server.login('Stefan Müller'))).cookie;
  C.M = (await signIn(server.login('Marta Iglesias'))).cookie;
  C.sId = (await getJson(server, C.S, '/me')).json.id;
});

after(async () => { await stopCleanly(server); });

async function newRequestToMarta(product) {
  const makerId = (await getJson(server, C.M, '/me')).json.id;
  const r = await postJson(server, C.S, '/requests', { manufacturer_id: makerId, product, message: `Please quote ${product}.` });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

// Marta answers; Stefan's notification (development mailbox) gives the relay address.
async function notifiedThread(product) {
  const rid = await newRequestToMarta(product);
  const marker = `Our price for ${product} ${newKey()}`;
  assert.equal((await postMessage(server, C.M, rid, { body: marker }, newKey())).status, 201);
  const box = await getJson(server, C.S, '/dev/mailbox');
  assert.equal(box.status, 200, box.text);
  const row = box.json.messages.find((m) => m.text.includes(marker));
  assert.ok(row, 'the notification is in the buyer\'s development mailbox');
  const relay = /r\+[a-z0-9]+@[^>\s]+/i.exec(row.headers['Reply-To'])?.[0];
  assert.ok(relay, row.headers['Reply-To']);
  return { rid, marker, relay, notificationId: row.headers['Message-ID'] };
}

function replyMail({ from = `Stefan Müller <${STEFAN}>`, to, messageId = `<${newKey()}@mail.example>`, text, quoted,
  extra = '', inReplyTo = '', subject = 'Re: your quote', auth = true }) {
  const address = /<(.*)>/.exec(from)?.[1] ?? from;
  return [
    ...(auth ? [authResults(address)] : []),
    `From: =?UTF-8?B?${Buffer.from('Stefan Müller').toString('base64')}?= <${/<(.*)>/.exec(from)?.[1] ?? from}>`,
    `To: ${to}`,
    `Subject: ${/^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${Buffer.from(subject).toString('base64')}?=`}`,
    'Date: Fri, 27 Nov 2026 10:00:00 +0100',
    `Message-ID: ${messageId}`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`] : []),
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    ...(extra ? [extra] : []),
    '',
    text,
    '',
    'On Thu, 26 Nov 2026 at 18:02, Marta Iglesias via Parley <parley@localhost> wrote:',
    ...quoted.split('\n').map((l) => `> ${l}`),
    '',
  ].join('\r\n');
}

const inbound = (raw, secret = SECRET) => call(server, '/api/v1/mail/inbound', {
  method: 'POST', body: raw, headers: { 'content-type': 'message/rfc822', authorization: `Bearer ${secret}` },
});

const detail = async (rid) => {
  const r = await getJson(server, C.S, `/requests/${rid}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('a reply e-mail to the relay address becomes the buyer\'s message with only the new text', async () => {
  const t = await notifiedThread('Rodillos');
  const newText = `Thanks, 40 units then. ${newKey()}`;
  const mid = `<${newKey()}@mail.example>`;
  const raw = replyMail({ from: STEFAN.toUpperCase(), to: `"Parley" <${t.relay}>`, messageId: mid, text: newText,
    quoted: t.marker, inReplyTo: t.notificationId });
  const r = await inbound(raw);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'posted');
  assert.equal(r.json.request_id, t.rid);
  let d = await detail(t.rid);
  const mine = d.messages.filter((m) => m.body.includes(newText));
  assert.equal(mine.length, 1);
  assert.equal(mine[0].body, newText);              // quoted history and attribution stripped
  assert.equal(mine[0].author_id, C.sId);
  assert.equal(r.json.message_id, mine[0].id);
  // Marta (the other party) gets the usual notification of Stefan's message.
  const box = await getJson(server, C.M, '/dev/mailbox');
  assert.ok(box.json.messages.some((m) => m.text.includes(newText)));

  // Delivered again (same Message-ID): duplicate, still one message.
  const again = await inbound(raw);
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.status, 'duplicate');
  d = await detail(t.rid);
  assert.equal(d.messages.filter((m) => m.body.includes(newText)).length, 1);
});

test('refused: a sender who is not the participant, a forged token, no relay address (422)', async () => {
  const t = await notifiedThread('Poleas');
  const text = `should not appear ${newKey()}`;
  expectError(await inbound(replyMail({ from: 'someone@else.example', to: t.relay, text, quoted: t.marker })),
    422, 'sender_mismatch');
  // One character of the token changed.
  const [local, domain] = t.relay.split('@');
  const last = local.at(-1) === 'a' ? 'b' : 'a';
  const forged = `${local.slice(0, -1)}${last}@${domain}`;
  expectError(await inbound(replyMail({ to: forged, text, quoted: t.marker })), 422, 'invalid_relay_address');
  expectError(await inbound(replyMail({ to: 'sales@parley.example', text, quoted: t.marker })), 422, 'no_relay_address');
  expectError(await inbound('not a mail at all'), 422, 'unparseable');
  expectError(await inbound('Subject: hi\r\n\r\nno addresses\r\n'), 422, 'no_relay_address');
  expectError(await inbound(''), 422, 'unparseable');
  const d = await detail(t.rid);
  assert.equal(d.messages.some((m) => m.body.includes(text)), false);
});

test('an out-of-office reply becomes an auto_reply event, not a message', async () => {
  const t = await notifiedThread('Engranajes');
  const text = `I am out of the office until Monday. ${newKey()}`;
  const r = await inbound(replyMail({ to: t.relay, text, quoted: t.marker, extra: 'Auto-Submitted: auto-replied' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'auto_reply');
  const d = await detail(t.rid);
  assert.equal(d.messages.some((m) => m.body.includes(text)), false);
  const ev = d.events.filter((e) => e.kind === 'auto_reply');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].actor_id, C.sId);
  assert.equal(ev[0].text, 'Re: your quote');
  // Marta sees it too.
  const dm = await getJson(server, C.M, `/requests/${t.rid}`);
  assert.ok(dm.json.events.some((e) => e.kind === 'auto_reply'));
  // A long non-ASCII subject is cut at a character boundary (the detail stays valid JSON).
  const long = 'Réponse automatique — absent '.repeat(20);
  const r2 = await inbound(replyMail({ to: t.relay, text, quoted: t.marker, subject: long,
    extra: 'Auto-Submitted: auto-replied' }));
  assert.equal(r2.json.status, 'auto_reply', r2.text);
  const d2 = await detail(t.rid);
  const texts = d2.events.filter((e) => e.kind === 'auto_reply').map((e) => e.text);
  assert.equal(texts.length, 2);
  assert.ok(long.startsWith(texts[1]) && Buffer.byteLength(texts[1]) <= 300, texts[1]);
});

test('the secret: wrong or missing → 401; GET → 405; too large → 413', async () => {
  expectError(await inbound('x', 'wrong-secret'), 401, 'unauthorized');
  expectError(await call(server, '/api/v1/mail/inbound', { method: 'POST', body: 'x' }), 401, 'unauthorized');
  expectError(await call(server, '/api/v1/mail/inbound', { headers: { authorization: `Bearer ${SECRET}` } }),
    405, 'method_not_allowed');
  const big = `To: r+x@relay.example\r\n\r\n${'x'.repeat(11 * 1024 * 1024)}`;
  expectError(await inbound(big), 413, 'message_too_large');
  assert.ok(server.alive());
});

test('without a configured secret the endpoint does not exist (404)', async () => {
  const plain = await startServer();
  try {
    expectError(await call(plain, '/api/v1/mail/inbound', { method: 'POST', body: 'x',
      headers: { authorization: 'Bearer ' } }), 404, 'not_found');
  } finally {
    await stopCleanly(plain);
  }
});

test('parley-server mail-in: stdin → posted (exit 0), duplicate (0), refused (67)', async () => {
  const t = await notifiedThread('Cadenas');
  const newText = `Por favor, envíen 12 unidades. ${newKey()}`;
  const raw = replyMail({ to: t.relay, text: newText, quoted: t.marker });
  const run = (input) => spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id', MAIL_AUTHSERV],
    { input, encoding: 'utf8', timeout: 20000 });
  const r = run(raw);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /posted/);
  let d = await detail(t.rid);
  const mine = d.messages.filter((m) => m.body.includes(newText));
  assert.equal(mine.length, 1);
  assert.equal(mine[0].body, newText);
  const again = run(raw);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /duplicate/);
  const bad = run(replyMail({ from: 'intruder@evil.example', to: t.relay, text: 'nope', quoted: t.marker }));
  assert.equal(bad.status, 67, bad.stderr);
  assert.match(bad.stderr, /refused \(sender_mismatch\)/);
  d = await detail(t.rid);
  assert.equal(d.messages.filter((m) => m.body.includes(newText)).length, 1);
});

test('threading without a relay address: In-Reply-To, then References; never by subject alone', async () => {
  const t = await notifiedThread('Tornillos');
  // A reply to our From address: only In-Reply-To names the notification.
  const text = `Threaded by In-Reply-To ${newKey()}`;
  const r = await inbound(replyMail({ to: 'parley@localhost', text, quoted: t.marker, inReplyTo: t.notificationId }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'posted');
  assert.equal(r.json.request_id, t.rid);
  // References only (newest last), with an unknown In-Reply-To.
  const text2 = `Threaded by References ${newKey()}`;
  const r2 = await inbound(replyMail({ to: 'parley@localhost', text: text2, quoted: t.marker,
    inReplyTo: '<unknown@elsewhere.example>', extra: `References: <older@elsewhere.example> ${t.notificationId}` }));
  assert.equal(r2.json?.status, 'posted', r2.text);
  // The mail went to Stefan: anyone else is refused.
  expectError(await inbound(replyMail({ from: 'claire@hydrolec.example', to: 'parley@localhost', text: 'x',
    quoted: t.marker, inReplyTo: t.notificationId })), 422, 'sender_mismatch');
  // The same subject and no known id: not threaded.
  expectError(await inbound(replyMail({ to: 'parley@localhost', text: 'x', quoted: t.marker,
    inReplyTo: '<nothing@elsewhere.example>' })), 422, 'no_relay_address');
  const d = await detail(t.rid);
  assert.equal(d.messages.filter((m) => m.body === text || m.body === text2).length, 2);
  assert.ok(d.messages.filter((m) => m.body === text).every((m) => m.author_id === C.sId));
});

test('attachments of a reply: allowed ones attached (type by content), refused ones named in a note', async () => {
  const t = await notifiedThread('Planos');
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n');
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0)]);  // binary: not even text
  const fakePdf = Buffer.from('MZ\0\0 not a PDF, whatever its name says');
  const part = (name, type, bytes) => [`--BOUNDARY`, `Content-Type: ${type}; name="${name}"`,
    `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '',
    bytes.toString('base64').replace(/.{76}/g, '$&\r\n'), ''].join('\r\n');
  const text = `Drawings attached ${newKey()}`;
  const raw = [authResults(STEFAN), `From: Stefan <${STEFAN}>`, `To: ${t.relay}`, 'Subject: Re: drawings', `Message-ID: <${newKey()}@mail.example>`,
    'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="BOUNDARY"', '',
    '--BOUNDARY', 'Content-Type: text/plain; charset=UTF-8', '', text, '',
    part('plan.pdf', 'application/pdf', pdf), part('setup.exe', 'application/octet-stream', exe),
    part('invoice.pdf', 'application/pdf', fakePdf), '--BOUNDARY--', ''].join('\r\n');
  const r = await inbound(raw);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'posted');
  const dm = (await getJson(server, C.M, `/requests/${t.rid}`)).json;
  const m = dm.messages.find((x) => x.id === r.json.message_id);
  assert.ok(m);
  assert.equal(m.body, `${text}\n\n[attachment "setup.exe" not accepted: type not allowed]\n` +
    '[attachment "invoice.pdf" not accepted: type not allowed]');
  assert.deepEqual(m.attachments.map((a) => [a.name, a.type, a.size]), [['plan.pdf', 'application/pdf', pdf.length]]);
  // Marta downloads exactly the bytes sent.
  const dl = await fetch(`${server.base}/api/v1/attachments/${m.attachments[0].id}`, { headers: { cookie: C.M } });
  assert.equal(dl.status, 200);
  assert.ok(Buffer.from(await dl.arrayBuffer()).equals(pdf));
});

test('GET /messages/{id}/original: the raw mail as text; the buyer\'s address hidden from the seller', async () => {
  const t = await notifiedThread('Ejes');
  const text = `See my details below ${newKey()}`;
  const raw = replyMail({ to: t.relay, text: `${text}\nStefan Müller · ${STEFAN.toUpperCase()}`, quoted: t.marker });
  const r = await inbound(raw);
  assert.equal(r.status, 200, r.text);
  const id = r.json.message_id;
  const mine = await call(server, `/api/v1/messages/${id}/original`, { cookie: C.S });
  assert.equal(mine.status, 200, mine.text);
  assert.equal(mine.headers.get('content-type'), 'text/plain; charset=utf-8');
  assert.equal(mine.headers.get('x-content-type-options'), 'nosniff');
  assert.match(mine.headers.get('content-security-policy'), /sandbox/);
  assert.match(mine.headers.get('content-disposition'), /^inline/);
  assert.equal(mine.text, raw);  // the author gets it as sent
  const theirs = await call(server, `/api/v1/messages/${id}/original`, { cookie: C.M });
  assert.equal(theirs.status, 200, theirs.text);
  assert.equal(theirs.text.toLowerCase().includes(STEFAN), false, 'the real address never reaches the seller');
  // No relay address either: it would let the seller (or anyone shown the mail) reply as Stefan.
  assert.equal(theirs.text.toLowerCase().includes(t.relay.toLowerCase()), false, 'the relay address is hidden');
  assert.equal(/r\+[a-z0-9_-]+@/i.test(theirs.text), false, 'no relay address at all');
  assert.ok(theirs.text.includes('<address-hidden@'), 'a placeholder in its place');
  assert.ok(theirs.text.includes(text));
  // via_email in the detail; a typed message has no original; others and strangers: 404.
  const d = await detail(t.rid);
  assert.equal(d.messages.find((m) => m.id === id).via_email, true);
  const typed = d.messages.find((m) => m.body === t.marker);
  assert.equal(typed.via_email, false);
  expectError(await call(server, `/api/v1/messages/${typed.id}/original`, { cookie: C.S }), 404, 'not_found');
  const other = (await signIn(server.login('Javier Morales'))).cookie;
  expectError(await call(server, `/api/v1/messages/${id}/original`, { cookie: other }), 404, 'not_found');
  expectError(await call(server, `/api/v1/messages/${id}/original`), 401, 'unauthorized');
  expectError(await call(server, `/api/v1/messages/999999999/original`, { cookie: C.S }), 404, 'not_found');
  expectError(await call(server, `/api/v1/messages/${id}/original`, { cookie: C.S, method: 'POST' }), 405,
    'method_not_allowed');
});

test('live: a reply taken by the separate mail-in process answers an open long-poll within ~1 s', async () => {
  const t = await notifiedThread('Muelles');
  const cursor = (await getJson(server, C.M, '/requests')).json.cursor;
  const newText = `Live from mail-in ${newKey()}`;
  // Marta's long-poll is open (held up to 10 s) before the mail arrives.
  const poll = getJson(server, C.M, `/events?after=${cursor}`).then((r) => ({ r, at: Date.now() }));
  await new Promise((res) => setTimeout(res, 200));
  const child = spawn(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id', MAIL_AUTHSERV], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((res) => child.on('exit', (code) => res({ code, at: Date.now() })));
  child.stdin.end(replyMail({ to: t.relay, text: newText, quoted: t.marker }));
  const done = await exited;
  assert.equal(done.code, 0, stderr);
  const { r, at } = await poll;
  assert.equal(r.status, 200, r.text);
  const ev = r.json.events.find((e) => e.kind === 'message' && e.request_id === t.rid);
  assert.ok(ev, `the poll answered with the message event: ${r.text}`);
  assert.ok(at - done.at < 1000, `answered ${at - done.at} ms after mail-in finished`);
  const d = (await getJson(server, C.M, `/requests/${t.rid}`)).json;
  const m = d.messages.find((x) => x.id === ev.message_id);
  assert.equal(m?.body, newText);
  assert.equal(m.via_email, true);
});

test('parley-server mail-in --recipient: the envelope recipient (Postfix ${recipient}) threads the reply', async () => {
  const t = await notifiedThread('Arandelas');
  const newText = `Only the envelope knows ${newKey()}`;
  const raw = replyMail({ to: 'undisclosed-recipients:;', text: newText, quoted: t.marker });
  const run = (args) => spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id', MAIL_AUTHSERV, ...args],
    { input: raw, encoding: 'utf8', timeout: 20000 });
  const without = run([]);
  assert.equal(without.status, 67, without.stderr);
  assert.match(without.stderr, /no_relay_address/);
  const r = run(['--recipient', t.relay]);
  assert.equal(r.status, 0, r.stderr);
  const d = await detail(t.rid);
  assert.equal(d.messages.filter((m) => m.body === newText).length, 1);
});

test('pathological mails are refused with their reason, and another user is answered meanwhile', async () => {
  const t = await notifiedThread('Muelles');
  const head = (type = 'text/plain; charset=UTF-8') => [authResults(STEFAN), `From: ${STEFAN}`, `To: ${t.relay}`, 'Subject: Re: x',
    `Message-ID: <${newKey()}@mail.example>`, 'MIME-Version: 1.0', `Content-Type: ${type}`, '', ''].join('\r\n');
  const newlines = head() + '\n'.repeat(8 * 1024 * 1024);
  const quoted = head() + '> x\r\n'.repeat(200000);
  const parts = head('multipart/mixed; boundary="b"') + '--b\r\n\r\nx\r\n'.repeat(100000);
  // Another user's GET /me in a loop while the mails are posted.
  let done = false;
  const answered = [];
  const poll = (async () => {
    while (!done) {
      const t0 = Date.now();
      const r = await getJson(server, C.M, '/me');
      assert.equal(r.status, 200, r.text);
      answered.push(Date.now() - t0);
    }
  })();
  const [a, b, c] = await Promise.all([inbound(newlines), inbound(quoted), inbound(parts)]);
  done = true;
  await poll;
  expectError(a, 422, 'too_many_lines');
  expectError(b, 422, 'too_many_lines');
  expectError(c, 422, 'too_many_parts');
  assert.ok(answered.length > 0, 'GET /me was answered while the mails were refused');
  assert.ok(Math.max(...answered) < 2000, `GET /me took up to ${Math.max(...answered)} ms`);
  // The same refusal from the mail-in command, for the MTA's bounce.
  const r = spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id', MAIL_AUTHSERV], { input: quoted, encoding: 'utf8', timeout: 20000 });
  assert.equal(r.status, 67, r.stderr);
  assert.match(r.stderr, /refused \(too_many_lines\): .*50,000 lines/);
  const d = await detail(t.rid);
  assert.ok(!d.messages.some((m) => m.body.includes('> x')));
});

// --- the sender's proof: a From header is a claim; the receiving MTA's verdict proves it.

const held = async (rid, cookie = C.S) => (await getJson(server, cookie, `/requests/${rid}`)).json.held_replies;

test('forged: a From header alone proves nothing — the reply is held for its owner, not posted', async () => {
  const t = await notifiedThread('Cojinetes');
  const text = `Cancel the order and send everything to another address ${newKey()}`;
  const r = await inbound(replyMail({ to: t.relay, text, quoted: t.marker, auth: false }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'held');
  assert.equal(r.json.message_id, 0);
  let d = await detail(t.rid);
  assert.equal(d.messages.some((m) => m.body.includes(text)), false, 'nothing posted in the buyer\'s name');
  assert.equal(d.held_replies.length, 1, JSON.stringify(d.held_replies));
  const h = d.held_replies[0];
  assert.equal(h.preview, text);
  assert.equal(h.reason, 'no_trusted_results');
  assert.equal(h.subject, 'Re: your quote');
  // The other side sees nothing of it, and cannot post or discard it.
  const dm = (await getJson(server, C.M, `/requests/${t.rid}`)).json;
  assert.deepEqual(dm.held_replies, []);
  assert.equal(dm.messages.some((m) => m.body.includes(text)), false);
  expectError(await postJson(server, C.M, `/mail/held/${h.id}/post`, {}), 404, 'not_found');
  expectError(await postJson(server, C.M, `/mail/held/${h.id}/discard`, {}), 404, 'not_found');
  // The owner is told at their real address (a forger does not read it).
  const box = await getJson(server, C.S, '/dev/mailbox');
  // (in his language, German: "Bitte bestätigen Sie Ihre E-Mail-Antwort: Cojinetes")
  const notice = box.json.messages.find((m) => m.subject.endsWith(': Cojinetes') && !m.subject.startsWith('Re:'));
  assert.ok(notice, JSON.stringify(box.json.messages.map((m) => m.subject)));
  assert.match(notice.subject, /bestätigen/);
  assert.match(notice.text, /Re: your quote/);  // which mail it is about
  assert.match(notice.text, new RegExp(`/login/[^\\s]+next=/requests/${t.rid}\\s`));
  assert.equal(notice.headers['Reply-To'] ?? '', '', 'an answer to the notice is no reply in the thread');

  // A second forged mail (another Message-ID) is held beside it.
  const again = await inbound(replyMail({ to: t.relay, text, quoted: t.marker, auth: false }));
  assert.equal(again.json.status, 'held');
  assert.equal((await held(t.rid)).length, 2);

  // The owner follows the notice's link (a session for that request alone) and posts the
  // first: it becomes their message, once.
  const link = /(http:\/\/\S+\/login\/\S+)/.exec(notice.text)[1];
  const scoped = (await signIn({ url: link })).cookie;
  assert.ok(scoped);
  expectError(await getJson(server, scoped, '/network'), 403, 'scoped_session');
  const posted = await postJson(server, scoped, `/mail/held/${h.id}/post`, {});
  assert.equal(posted.status, 200, posted.text);
  const mine = posted.json.messages.filter((m) => m.body.includes(text));
  assert.equal(mine.length, 1);
  assert.equal(mine[0].author_id, C.sId);
  assert.equal(mine[0].via_email, true);
  assert.equal(posted.json.held_replies.length, 1);
  expectError(await postJson(server, C.S, `/mail/held/${h.id}/post`, {}), 409, 'not_held');
  // ...and discards the second: gone, nothing posted.
  const second = posted.json.held_replies[0].id;
  const discarded = await postJson(server, C.S, `/mail/held/${second}/discard`, {});
  assert.equal(discarded.status, 200, discarded.text);
  assert.deepEqual(discarded.json.held_replies, []);
  d = await detail(t.rid);
  assert.equal(d.messages.filter((m) => m.body.includes(text)).length, 1);
  expectError(await postJson(server, C.S, `/mail/held/${second}/post`, {}), 409, 'not_held');
  expectError(await postJson(server, C.S, '/mail/held/999999999/post', {}), 404, 'not_found');
  // Marta is notified of the posted message like of any other.
  const mbox = await getJson(server, C.M, '/dev/mailbox');
  assert.ok(mbox.json.messages.some((m) => m.text.includes(text)));
});

test('forged verdicts: a field below our MTA\'s, another host\'s, another domain\'s, DMARC fail — all held', async () => {
  const t = await notifiedThread('Retenes');
  const cases = [
    ['below', `Authentication-Results: ${MAIL_AUTHSERV}; spf=fail smtp.mailfrom=x@evil.example; dkim=none\r\n` +
      `Authentication-Results: ${MAIL_AUTHSERV}; dmarc=pass header.from=mueller-foerdertechnik.de`, 'not_aligned'],
    ['other host', 'Authentication-Results: gmail.com; dmarc=pass header.from=mueller-foerdertechnik.de',
      'no_trusted_results'],
    ['other domain', `Authentication-Results: ${MAIL_AUTHSERV}; dkim=pass header.d=evil.example; ` +
      'dmarc=pass header.from=evil.example', 'not_aligned'],
    ['dmarc fail', `Authentication-Results: ${MAIL_AUTHSERV}; dmarc=fail header.from=mueller-foerdertechnik.de; ` +
      'dkim=pass header.d=mueller-foerdertechnik.de', 'dmarc_fail'],
  ];
  for (const [name, header, reason] of cases) {
    const text = `forged ${name} ${newKey()}`;
    const r = await inbound(replyMail({ to: t.relay, text, quoted: t.marker, auth: false, extra: header }));
    assert.equal(r.json.status, 'held', `${name}: ${r.text}`);
    const h = (await held(t.rid)).find((x) => x.preview === text);
    assert.equal(h?.reason, reason, name);
  }
  const d = await detail(t.rid);
  assert.equal(d.messages.some((m) => m.body.startsWith('forged ')), false);
  // The genuine one, with our MTA's verdict on top, is posted at once.
  const text = `genuine ${newKey()}`;
  const ok = await inbound(replyMail({ to: t.relay, text, quoted: t.marker }));
  assert.equal(ok.json.status, 'posted', ok.text);
});

test('an unproven out-of-office reply makes no event in the owner\'s name', async () => {
  const t = await notifiedThread('Juntas');
  const r = await inbound(replyMail({ to: t.relay, text: 'Out of office', quoted: t.marker, auth: false,
    extra: 'Auto-Submitted: auto-replied' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'discarded');
  const d = await detail(t.rid);
  assert.equal(d.events.some((e) => e.kind === 'auto_reply'), false);
  assert.deepEqual(d.held_replies, []);
});

test('parley-server mail-in without --mail-authserv-id holds every reply; --sender is checked against SPF', async () => {
  const t = await notifiedThread('Pasadores');
  const text = `Sent through a pipe ${newKey()}`;
  const raw = replyMail({ to: t.relay, text, quoted: t.marker });  // with our MTA's verdict
  const unconfigured = spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs],
    { input: raw, encoding: 'utf8', timeout: 20000, env: { ...process.env, PARLEY_MAIL_AUTHSERV_ID: '' } });
  assert.equal(unconfigured.status, 0, unconfigured.stderr);
  assert.match(unconfigured.stderr, /held/);
  assert.equal((await held(t.rid))[0]?.reason, 'not_configured');
  // SPF vouched for one envelope; the MTA says it was another (and there is no DKIM).
  const spfOnly = replyMail({ to: t.relay, text: `spf only ${newKey()}`, quoted: t.marker, auth: false,
    extra: `Authentication-Results: ${MAIL_AUTHSERV}; spf=pass smtp.mailfrom=${STEFAN}` });
  const run = (args) => spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id',
    MAIL_AUTHSERV, ...args], { input: spfOnly, encoding: 'utf8', timeout: 20000 });
  const other = run(['--sender', 'bounce@evil.example']);
  assert.equal(other.status, 0, other.stderr);
  assert.match(other.stderr, /held/);
  assert.ok((await held(t.rid)).some((h) => h.reason === 'envelope_mismatch'));
  // A different Message-ID each run: the same envelope as SPF's → posted.
  const same = spawnSync(SERVER_BIN, ['mail-in', ...server.storeArgs, '--mail-authserv-id', MAIL_AUTHSERV,
    '--sender', STEFAN], { input: spfOnly.replace(/Message-ID: <[^>]+>/, `Message-ID: <${newKey()}@mail.example>`),
    encoding: 'utf8', timeout: 20000 });
  assert.equal(same.status, 0, same.stderr);
  assert.match(same.stderr, /posted/);
});
