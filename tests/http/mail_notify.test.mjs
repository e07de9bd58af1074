// Notification e-mails of every kind against the real server with the
// development mailbox (GET /api/v1/dev/mailbox): who gets which kind when a buyer sends a
// request, replies, CC, forward, decline, quote sent / accepted / paid — and who gets
// nothing (Marta's side never hears about Claire's conversation with the buyer, and vice
// versa). Then the sign-in link of a mail: no cookie needed, lands on that request's
// composer; tampered → 401; `next` elsewhere or at another request is ignored.
//
// Demo people: Marta Iglesias (manufacturer, es), Tomás Navarro (area manager, es,
// auto-CC), Claire Martin (distributor for FR, fr), Jonas Weber (distributor for DE, de),
// Pierre Dubois (buyer, FR, fr).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, stopCleanly, call, getJson, postJson, postMessage, newKey } from './server.mjs';

const DAY = 24 * 3600 * 1000;
const PIERRE_EMAIL = 'p.dubois@dubois-levage.fr';
const PIERRE_PHONE = '+33 4 72 10 55 21';
let server;
const u = {};
const ids = {};

before(async () => {
  server = await startSignedIn({
    M: 'Marta Iglesias', T: 'Tomás Navarro', C: 'Claire Martin', J: 'Jonas Weber', P: 'Pierre Dubois',
  }, u);
  for (const k of Object.keys(u)) ids[k] = (await getJson(server, u[k], '/me')).json.id;
});
after(() => stopCleanly(server));

// The mails of one person about one request (optionally one kind), newest first.
async function mails(who, rid, kind) {
  const r = await getJson(server, u[who], '/dev/mailbox');
  assert.equal(r.status, 200, r.text);
  return r.json.messages.filter((m) => m.request_id === rid && (!kind || m.kind === kind));
}
const kindsOf = async (who, rid, marker) =>
  (await mails(who, rid)).filter((m) => !marker || m.text.includes(marker)).map((m) => m.kind).sort();

// The first sign-in link of a mail's text: { url, token, next (decoded) }.
function linkOf(text, after = '') {
  const from = after ? text.slice(text.indexOf(after)) : text;
  const m = /(http:\/\/\S+\/login\/([A-Za-z0-9_-]+))\?next=(\S+)/.exec(from);
  assert.ok(m, `a sign-in link in ${text}`);
  return { url: m[0], base: m[1], token: m[2], next: decodeURIComponent(m[3]) };
}
const follow = async (url) => {
  const res = await fetch(url, { redirect: 'manual' });  // no cookie
  const text = await res.text();
  const set = res.headers.getSetCookie();
  const c = set.find((s) => s.startsWith('parley_session='));
  return { res, text, cookie: c ? c.split(';')[0] : undefined };
};

async function newRequest(buyer, product) {
  const r = await postJson(server, u[buyer], '/requests', { manufacturer_id: ids.M, product, message: `Bonjour, 30 pièces ${product}.` });
  assert.equal(r.status, 201, r.text);
  const convs = Object.fromEntries(r.json.conversations.map((c) => [c.seller.name, c.id]));
  return { rid: r.json.id, marta: convs['Marta Iglesias'], claire: convs['Claire Martin'] };
}
const say = async (who, rid, body, conversation_id) => {
  const r = await postMessage(server, u[who], rid, { body, conversation_id }, newKey());
  assert.equal(r.status, 201, r.text);
};

test('a new request: the seller side of each conversation, in their language, never the buyer\'s e-mail or phone', async () => {
  const { rid } = await newRequest('P', 'Vérins VH-80 A');
  // Routed to Claire (FR); Tomás is Marta's auto-CC; Jonas and Pierre get nothing.
  for (const who of ['M', 'T', 'C']) assert.deepEqual(await kindsOf(who, rid), ['new_request'], who);
  for (const who of ['J', 'P']) assert.deepEqual(await kindsOf(who, rid), [], who);
  const [claire] = await mails('C', rid, 'new_request');
  const [marta] = await mails('M', rid, 'new_request');
  assert.equal(claire.subject, 'Nouvelle demande : Vérins VH-80 A');
  assert.equal(marta.subject, 'Nueva solicitud: Vérins VH-80 A');
  for (const [m, country] of [[claire, 'France'], [marta, 'Francia']]) {
    // The buyer's country, named in the recipient's language.
    assert.ok(m.text.includes(`Pierre Dubois (Dubois Levage SARL, ${country})`), m.text);
    assert.ok(m.text.includes('Bonjour, 30 pièces Vérins VH-80 A.'), m.text);
    assert.ok(!m.text.includes(PIERRE_EMAIL) && !m.text.includes(PIERRE_PHONE), m.text);
    assert.match(m.headers['Reply-To'], /^r\+[a-z2-7]{32}@/);
  }
  assert.ok(claire.text.includes('Répondre: http://'), claire.text);
  assert.ok(marta.text.includes('Responder: http://'), marta.text);
  // Different relay addresses: Claire's conversation is not Marta's.
  assert.notEqual(claire.headers['Reply-To'], marta.headers['Reply-To']);
});

test('replies: the other party of that conversation only, and the author\'s own copy', async () => {
  const { rid, marta, claire } = await newRequest('P', 'Vérins VH-80 B');
  const fromClaire = `Prix 1.200 € ${newKey()}`;
  await say('C', rid, fromClaire, claire);
  assert.deepEqual(await kindsOf('P', rid, fromClaire), ['new_reply']);
  assert.deepEqual(await kindsOf('C', rid, fromClaire), ['own_copy']);
  for (const who of ['M', 'T', 'J']) assert.deepEqual(await kindsOf(who, rid, fromClaire), [], `${who} must not hear of Claire's conversation`);
  const [copy] = (await mails('C', rid, 'own_copy'));
  assert.match(copy.text, /^Vous avez écrit à Pierre Dubois/);
  assert.match(copy.headers['Reply-To'], /^r\+[a-z2-7]{32}@/);  // a reply from Claire's mailbox threads back
  const [reply] = await mails('P', rid, 'new_reply');
  assert.equal(reply.subject, 'Re: Vérins VH-80 B');
  assert.ok(reply.text.includes('Claire Martin (Hydrolec France SARL) a écrit'), reply.text);

  const toMarta = `Question pour le fabricant ${newKey()}`;
  await say('P', rid, toMarta, marta);
  assert.deepEqual(await kindsOf('M', rid, toMarta), ['new_reply']);
  assert.deepEqual(await kindsOf('T', rid, toMarta), ['new_reply']);
  assert.deepEqual(await kindsOf('P', rid, toMarta), ['own_copy']);
  for (const who of ['C', 'J']) assert.deepEqual(await kindsOf(who, rid, toMarta), [], who);
  const [m] = (await mails('M', rid, 'new_reply')).filter((x) => x.text.includes(toMarta));
  assert.ok(!m.text.includes(PIERRE_EMAIL), m.text);
});

test('the Reply link signs in without a cookie and lands on that request\'s composer; tampered, redirected or other-request links do not', async () => {
  const first = await newRequest('P', 'Vérins VH-80 C');
  const other = await newRequest('P', 'Vérins VH-80 D');
  const [mail] = await mails('C', first.rid, 'new_request');
  const link = linkOf(mail.text, 'Répondre');
  assert.equal(link.next, `/requests/${first.rid}?reply=1`);

  const ok = await follow(link.url);
  assert.equal(ok.res.status, 302, ok.text);
  assert.equal(ok.res.headers.get('location'), `/requests/${first.rid}?reply=1`);
  assert.ok(ok.cookie, 'a session cookie');
  assert.equal((await getJson(server, ok.cookie, '/me')).json.id, ids.C);
  const d = await getJson(server, ok.cookie, `/requests/${first.rid}`);
  assert.equal(d.status, 200, d.text);
  assert.equal(d.json.my_conversation, first.claire);
  // Reusable until it expires (mail scanners fetch links before people click them).
  assert.equal((await follow(link.url)).res.status, 302);

  // `next` pointing anywhere else lands on the request's composer all the same.
  for (const next of ['/network', `/requests/${other.rid}?reply=1`, 'https://evil.example/', `/requests/${first.rid}0`]) {
    const r = await follow(`${link.base}?next=${encodeURIComponent(next)}`);
    assert.equal(r.res.status, 302, next);
    assert.equal(r.res.headers.get('location'), `/requests/${first.rid}?reply=1`, next);
  }
  const bare = await follow(link.base);
  assert.equal(bare.res.headers.get('location'), `/requests/${first.rid}?reply=1`);

  // Tampered token: the 401 page, no cookie.
  const t = link.token;
  const flipped = t.slice(0, 10) + (t[10] === 'A' ? 'B' : 'A') + t.slice(11);
  const bad = await follow(`${link.base.replace(t, flipped)}?next=${encodeURIComponent(link.next)}`);
  assert.equal(bad.res.status, 401);
  assert.match(bad.res.headers.get('content-type'), /^text\/html/);
  assert.equal(bad.cookie, undefined);

  // A demo (unscoped) link still follows `next` as before.
  const demo = server.login('Claire Martin');
  const r = await follow(`${demo.url}?next=${encodeURIComponent('/network')}`);
  assert.equal(r.res.headers.get('location'), '/network');
  // Tokens never reach the log.
  assert.ok(!server.stderr.includes(t), 'the token is not logged');
});

test('CC, forward and decline: the added person, then only what the adder sees; the buyer gets the decline reason', async () => {
  const { rid, marta, claire } = await newRequest('P', 'Vérins VH-80 E');
  // Marta puts Jonas in copy of her conversation, with a note.
  const cc = await postJson(server, u.M, `/requests/${rid}/cc`, { user_id: ids.J, note: 'Para tu información' });
  assert.equal(cc.status, 200, cc.text);
  const [ccMail] = await mails('J', rid, 'cc_added');
  assert.ok(ccMail, 'Jonas is told he was put in copy');
  assert.equal(ccMail.subject, 'In Kopie: Vérins VH-80 E');
  assert.ok(ccMail.text.includes('Para tu información') && ccMail.text.includes('Bonjour, 30 pièces'), ccMail.text);
  assert.ok(!ccMail.text.includes(PIERRE_EMAIL));
  assert.equal(linkOf(ccMail.text).next, `/requests/${rid}?reply=1`);
  // Jonas now hears Marta's conversation, never Claire's.
  const toMarta = `pour Marta ${newKey()}`;
  const toClaire = `pour Claire ${newKey()}`;
  await say('P', rid, toMarta, marta);
  await say('P', rid, toClaire, claire);
  assert.deepEqual(await kindsOf('J', rid, toMarta), ['new_reply']);
  assert.deepEqual(await kindsOf('J', rid, toClaire), []);

  // Marta hands another request over to Jonas: "forwarded", his own conversation.
  const second = await newRequest('P', 'Vérins VH-80 F');
  const fw = await postJson(server, u.M, `/requests/${second.rid}/forward`, { user_id: ids.J, note: 'Übernimm bitte' });
  assert.equal(fw.status, 200, fw.text);
  const [fwMail] = await mails('J', second.rid, 'forwarded');
  assert.ok(fwMail, 'Jonas is told about the forward');
  assert.ok(fwMail.text.includes('Marta Iglesias (Hidráulica Iberia S.A.) hat Ihnen eine Anfrage'), fwMail.text);
  assert.ok(fwMail.text.includes('Übernimm bitte'));
  assert.notEqual(fwMail.conversation_id, second.marta);

  // Claire declines her conversation: Pierre is told the reason (not the free text);
  // Marta's side is not mailed about Claire's conversation; Claire herself gets nothing.
  const dec = await postJson(server, u.C, `/requests/${rid}/decline`, { reason: 'cannot_deliver', text: 'stock interne vide', conversation_id: claire });
  assert.equal(dec.status, 200, dec.text);
  const [decMail] = await mails('P', rid, 'declined');
  assert.ok(decMail, 'Pierre is told');
  assert.equal(decMail.subject, 'Demande déclinée : Vérins VH-80 E');
  assert.ok(decMail.text.includes('Motif : nous ne pouvons pas le livrer'), decMail.text);
  assert.ok(!decMail.text.includes('stock interne vide'));
  for (const who of ['M', 'T', 'J', 'C']) assert.deepEqual(await mails(who, rid, 'declined'), [], who);
});

test('quotes: sent to the buyer with a View quote link; accepted and paid to that conversation\'s seller side; a receipt', async () => {
  const { rid, claire } = await newRequest('P', 'Vérins VH-80 G');
  const q = await postJson(server, u.C, `/requests/${rid}/quotes`, {
    conversation_id: claire, currency: 'EUR', incoterm: 'EXW', tax_bp: 2000, online_payment: true,
    valid_until: Date.now() + 30 * DAY,
    lines: [{ product: 'VH-80', quantity: 2000, unit: 'pcs', unit_price: 125000 }],
  });
  assert.equal(q.status, 201, q.text);
  const quote = q.json;
  const [sent] = await mails('P', rid, 'quote_sent');
  assert.ok(sent, 'Pierre gets the quote');
  assert.equal(sent.subject, `Devis ${quote.number} : Vérins VH-80 G`);
  const link = linkOf(sent.text, 'Voir le devis');
  assert.equal(link.next, `/requests/${rid}?quote=${quote.id}`);
  const landed = await follow(link.url);
  assert.equal(landed.res.headers.get('location'), `/requests/${rid}?quote=${quote.id}`);
  for (const who of ['M', 'T', 'C', 'J']) assert.deepEqual(await mails(who, rid, 'quote_sent'), [], who);

  const acc = await postJson(server, u.P, `/quotes/${quote.id}/accept`, { name: 'Pierre Dubois', version: 1 });
  assert.equal(acc.status, 200, acc.text);
  assert.equal((await mails('C', rid, 'quote_accepted')).length, 1);
  for (const who of ['M', 'T', 'J', 'P']) assert.deepEqual(await mails(who, rid, 'quote_accepted'), [], who);

  const pay = await postJson(server, u.P, `/quotes/${quote.id}/pay`);
  assert.equal(pay.status, 200, pay.text);
  const res = await fetch(pay.json.checkout_url, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card: '4242 4242 4242 4242' }).toString(),
  });
  await res.arrayBuffer();
  assert.equal(res.status, 303);
  assert.equal((await mails('C', rid, 'quote_paid')).length, 1);
  const [receipt] = await mails('P', rid, 'payment_receipt');
  assert.ok(receipt, 'Pierre gets a receipt');
  assert.ok(receipt.text.startsWith('Merci'), receipt.text);
  for (const who of ['M', 'T', 'J']) {
    const about = (await mails(who, rid)).filter((m) => m.kind.startsWith('quote_') || m.kind === 'payment_receipt');
    assert.deepEqual(about, [], `${who}: nothing about Claire's quote`);
  }
});
