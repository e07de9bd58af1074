// Outbound e-mail against a real SMTP server on 127.0.0.1 (aiosmtpd, see
// smtp_sink.py): a posted reply is delivered to the other party with our headers; a 4xx
// is retried once (one delivery, attempts = 2); a 5xx becomes failed_permanent in
// GET /api/v1/dev/mailbox; without --smtp-url the development mailbox lists the mail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startSink, waitFor } from './smtp_sink.mjs';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, call } from './server.mjs';

const RELAY = 'relay.parley.test';
const STEFAN = 's.mueller@mueller-foerdertechnik.de';

let sink, server, devServer;
const C = {};


// Unfolded headers of a raw message (first occurrence wins) and its body.
function parse(raw) {
  const [head, ...rest] = raw.split('\r\n\r\n');
  const headers = {};
  for (const line of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
    const i = line.indexOf(':');
    const k = line.slice(0, i).toLowerCase();
    if (!(k in headers)) headers[k] = line.slice(i + 1).trim();
  }
  return { headers, body: rest.join('\r\n\r\n') };
}
const unqp = (s) => Buffer.from(s.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1').toString('utf8');
// The author now gets an own copy too: the assertions are about the mail to Stefan.
const toStefan = (x) => x.envelope.rcpt_tos.includes(STEFAN);
const b64word = (s) => `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`;


// Stefan's row in his mailbox whose text contains `marker`.
const myMail = async (srv, cookie, marker) => {
  const r = await getJson(srv, cookie, '/dev/mailbox');
  assert.equal(r.status, 200, r.text);
  return r.json.messages.find((m) => m.text.includes(marker));
};

async function newRequestToMarta(srv, buyer, maker, product) {
  const makerId = (await getJson(srv, maker, '/me')).json.id;
  const r = await postJson(srv, buyer, '/requests', { manufacturer_id: makerId, product, message: `Please quote ${product}.` });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  sink = await startSink();
  server = await startServer({ args: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-tls', 'none',
    '--relay-domain', RELAY, '--mail-from', 'parley@parley.test', '--mail-retry-base-ms', '200'] });
  C.S = (await signIn(server.login('Stefan Müller'))).cookie;
  C.M = (await signIn(server.login('Marta Iglesias'))).cookie;
});

after(async () => {
  await stopCleanly(server);
  await stopCleanly(devServer);
  if (sink) await sink.stop();
});

test('a seller reply is delivered to the buyer with Message-ID, relay Reply-To, encoded subject, multipart', async () => {
  const rid = await newRequestToMarta(server, C.S, C.M, 'Bomba centrífuga');
  const marker = `Precio 1.200 € — plazo 3 semanas <ok> ${newKey()}`;
  const p = await postMessage(server, C.M, rid, { body: marker }, newKey());
  assert.equal(p.status, 201, p.text);
  const m = await waitFor('the delivery', () => sink.messages().find((x) => toStefan(x) && unqp(x.raw).includes(marker)));
  assert.deepEqual(m.envelope.rcpt_tos, [STEFAN]);
  assert.equal(m.envelope.mail_from, 'parley@parley.test');
  const { headers: h, body } = parse(m.raw);
  assert.match(h['message-id'], new RegExp(`^<[a-z2-7]{26}@${RELAY.replace(/\./g, '\\.')}>$`));
  assert.match(h['reply-to'], new RegExp(`^r\\+[a-z2-7]{32}@${RELAY.replace(/\./g, '\\.')}$`));
  assert.equal(h.subject, b64word('Re: Bomba centrífuga'));
  assert.equal(h.to, `${b64word('Stefan Müller')} <${STEFAN}>`);
  assert.equal(h.from, 'Marta Iglesias via Parley <parley@parley.test>');
  assert.equal(h['auto-submitted'], 'auto-generated');
  assert.equal(h['mime-version'], '1.0');
  assert.match(h['in-reply-to'], /^<c\d+\.u\d+@relay\.parley\.test>$/);
  assert.ok(h.references.startsWith(h['in-reply-to']));
  assert.ok(h.date);
  const boundary = /^multipart\/alternative; boundary="([^"]+)"$/.exec(h['content-type'])?.[1];
  assert.ok(boundary, h['content-type']);
  const parts = body.split(`--${boundary}`);
  const text = parts.find((x) => x.includes('Content-Type: text/plain; charset=UTF-8'));
  const html = parts.find((x) => x.includes('Content-Type: text/html; charset=UTF-8'));
  assert.ok(text && html);
  assert.ok(unqp(text).includes(marker));
  // The Reply link signs Stefan in to this request (mail_notify.test.mjs follows it).
  assert.ok(unqp(text).includes(`${server.base}/login/`));
  assert.ok(unqp(text).includes(`?next=/requests/${rid}%3Freply%3D1`));
  assert.ok(unqp(html).includes('&lt;ok&gt;'));  // escaped in HTML
  assert.ok(!unqp(html).includes('<ok>'));
  for (const line of m.raw.split('\r\n')) assert.ok(line.length <= 78, line);
  const row = await myMail(server, C.S, marker);
  assert.equal(row.status, 'sent');
  assert.equal(row.attempts, 1);
  assert.equal(row.headers['Message-ID'], h['message-id']);
  // Marta's own mailbox does not hold Stefan's mail (only her own copy).
  assert.equal((await getJson(server, C.M, '/dev/mailbox')).json.messages.some((x) => x.kind !== 'own_copy' && x.text.includes(marker)), false);
  // A second reply threads onto the first mail.
  const marker2 = `second ${newKey()}`;
  await postMessage(server, C.M, rid, { body: marker2 }, newKey());
  const m2 = await waitFor('the second delivery', () => sink.messages().find((x) => toStefan(x) && unqp(x.raw).includes(marker2)));
  const h2 = parse(m2.raw).headers;
  assert.equal(h2['in-reply-to'], h['message-id']);
  assert.equal(h2.references, `${h['in-reply-to']} ${h['message-id']}`);
  assert.equal(h2['reply-to'], h['reply-to']);
});

test('4xx once, then success: exactly one delivery, attempts = 2', async () => {
  const rid = await newRequestToMarta(server, C.S, C.M, 'Cinta transportadora');
  sink.control(`tempfail-once-${STEFAN}`);
  const marker = `retry me ${newKey()}`;
  assert.equal((await postMessage(server, C.M, rid, { body: marker }, newKey())).status, 201);
  const row = await waitFor('sent', async () => {
    const r = await myMail(server, C.S, marker);
    return r && r.status === 'sent' ? r : null;
  });
  assert.equal(row.attempts, 2);
  await new Promise((r) => setTimeout(r, 500));  // no late duplicate
  assert.equal(sink.messages().filter((x) => toStefan(x) && unqp(x.raw).includes(marker)).length, 1);
  assert.equal(existsSync(join(sink.dir, `tempfail-once-${STEFAN}`)), false);
});

test('5xx: failed_permanent with code, text and kind in GET /dev/mailbox; not retried', async () => {
  const rid = await newRequestToMarta(server, C.S, C.M, 'Grúa torre');
  sink.control(`reject-${STEFAN}`);
  try {
    const marker = `rejected ${newKey()}`;
    assert.equal((await postMessage(server, C.M, rid, { body: marker }, newKey())).status, 201);
    const row = await waitFor('failed_permanent', async () => {
      const r = await myMail(server, C.S, marker);
      return r && r.status === 'failed_permanent' ? r : null;
    });
    assert.equal(row.attempts, 1);
    assert.equal(row.last_code, 550);
    assert.equal(row.error_kind, 'address_rejected');
    assert.match(row.last_error, /User unknown/);
    await new Promise((r) => setTimeout(r, 600));
    assert.equal((await myMail(server, C.S, marker)).attempts, 1);
    assert.equal(sink.messages().filter((x) => toStefan(x) && unqp(x.raw).includes(marker)).length, 0);
  } finally {
    sink.control(`reject-${STEFAN}`, false);
  }
});

test('without --smtp-url: the development mailbox lists the mail for its recipient only', async () => {
  devServer = await startServer();
  const S = (await signIn(devServer.login('Stefan Müller'))).cookie;
  const M = (await signIn(devServer.login('Marta Iglesias'))).cookie;
  assert.equal((await call(devServer, '/api/v1/dev/mailbox')).status, 401);
  const rid = await newRequestToMarta(devServer, S, M, 'Válvula de bola');
  const marker = `dev mailbox ${newKey()}`;
  assert.equal((await postMessage(devServer, M, rid, { body: marker }, newKey())).status, 201);
  const r = await getJson(devServer, S, '/dev/mailbox');
  assert.equal(r.status, 200);
  assert.equal(r.json.development_mailbox, true);
  assert.match(r.json.note, /Development mailbox/);
  const row = r.json.messages.find((x) => x.text.includes(marker));
  assert.ok(row, r.text);
  assert.equal(row.status, 'dev_mailbox');
  assert.equal(row.to, STEFAN);
  assert.equal(row.subject, 'Re: Válvula de bola');
  assert.equal(row.request_id, rid);
  assert.match(row.headers['Reply-To'], /^r\+[a-z2-7]{32}@127\.0\.0\.1$/);
  assert.ok(row.headers['Message-ID']);
  const mine = await getJson(devServer, M, '/dev/mailbox');
  assert.equal(mine.json.messages.some((x) => x.kind !== 'own_copy' && x.text.includes(marker)), false);
  // The buyer's own message goes to the seller side (Marta), not back to him.
  const marker2 = `to the seller ${newKey()}`;
  assert.equal((await postMessage(devServer, S, rid, { body: marker2 }, newKey())).status, 201);
  assert.ok((await getJson(devServer, M, '/dev/mailbox')).json.messages.some((x) => x.text.includes(marker2)));
  assert.equal((await getJson(devServer, S, '/dev/mailbox')).json.messages.some((x) => x.kind !== 'own_copy' && x.text.includes(marker2)), false);
});
