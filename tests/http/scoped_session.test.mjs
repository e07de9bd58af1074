// Scoped sessions against the real server: the sign-in link of a notification e-mail
// opens that request alone, for 7 days — reading, replying, read marks, quotes,
// documents, translations and the long-poll of that request; nothing else (other
// requests, search, the network, settings, the mailbox: 403 scoped_session). The inbox of
// a scoped session is that one request. "Send me a full sign-in link" mails a fresh,
// single-use link (30 minutes) whose session opens the whole account for 30 days.
//
// Marta Iglesias (manufacturer) is the one signed in by her mail's link; Pierre Dubois
// (buyer) writes the requests.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, stopCleanly, call, getJson, postJson, postMessage, newKey, expectError } from './server.mjs';

const DAY = 24 * 3600 * 1000;
let server;
const u = {};
const ids = {};
let A, B;          // two requests of Pierre's; Marta sees both
let scoped;        // Marta's cookie from the link of A's new-request mail
let scopedSetCookie;

before(async () => {
  server = await startSignedIn({ M: 'Marta Iglesias', P: 'Pierre Dubois' }, u);
  for (const k of Object.keys(u)) ids[k] = (await getJson(server, u[k], '/me')).json.id;
  const newRequest = async (product) => {
    const r = await postJson(server, u.P, '/requests', { manufacturer_id: ids.M, product, message: `Bonjour, 30 pièces ${product}.` });
    assert.equal(r.status, 201, r.text);
    const marta = r.json.conversations.find((c) => c.seller.name === 'Marta Iglesias').id;
    return { rid: r.json.id, marta };
  };
  A = await newRequest('Vérins scoped A');
  B = await newRequest('Vérins scoped B');
  const box = await getJson(server, u.M, '/dev/mailbox');
  const mail = box.json.messages.find((m) => m.kind === 'new_request' && m.request_id === A.rid);
  assert.ok(mail, 'Marta is told about request A');
  const link = /(http:\/\/\S+\/login\/[A-Za-z0-9_-]+\?next=\S+)/.exec(mail.text)[1];
  const res = await fetch(link, { redirect: 'manual' });  // no cookie: a browser that never saw Parley
  await res.arrayBuffer();
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `/requests/${A.rid}?reply=1`);
  scopedSetCookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_session='));
  scoped = scopedSetCookie.split(';')[0];
});
after(() => stopCleanly(server));

const refused = (r, what) => {
  expectError(r, 403, 'scoped_session', what);
  assert.match(r.json.error.message, new RegExp(`^This link opens only request ${A.rid}\\. `), what);
};

test('the session of a notification\'s link is short-lived and says which request it opens', async () => {
  assert.match(scopedSetCookie, /; Max-Age=604800(;|$)/, 'seven days');
  assert.match(scopedSetCookie, /HttpOnly/);
  const me = await getJson(server, scoped, '/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.id, ids.M);
  assert.equal(me.json.scope_request_id, A.rid);
  assert.equal((await getJson(server, u.M, '/me')).json.scope_request_id, 0, 'a demo link gives a full session');
});

test('everything on its request: read, history, reply, read mark, quotes, documents, translations', async () => {
  const d = await getJson(server, scoped, `/requests/${A.rid}`);
  assert.equal(d.status, 200, d.text);
  assert.equal((await getJson(server, scoped, `/requests/${A.rid}/history?before=999999999`)).status, 200);
  const sent = await postMessage(server, scoped, A.rid, { body: 'Buenos días, le preparamos la oferta.' }, newKey());
  assert.equal(sent.status, 201, sent.text);
  assert.equal((await postJson(server, scoped, `/requests/${A.rid}/read`, {})).status, 204);
  const langs = await getJson(server, scoped, '/translation/languages');
  assert.equal(langs.status, 200, langs.text);
  const tr = await getJson(server, scoped, `/requests/${A.rid}/translations?to=es`);
  assert.ok([200, 422, 503].includes(tr.status), tr.text);  // allowed; whether a pair is installed is another matter

  // A quote on A, sent and read from the scoped session; Marta's quote on B is not its own.
  const quote = (rid, conversation_id) => postJson(server, rid === A.rid ? scoped : u.M, `/requests/${rid}/quotes`, {
    conversation_id, currency: 'EUR', incoterm: 'EXW', tax_bp: 2100, valid_until: Date.now() + 30 * DAY,
    lines: [{ product: 'VH-80', quantity: 30, unit: 'pcs', unit_price: 12500 }],
  });
  const qa = await quote(A.rid, A.marta);
  assert.equal(qa.status, 201, qa.text);
  assert.equal((await getJson(server, scoped, `/quotes/${qa.json.id}`)).status, 200);
  const qb = await quote(B.rid, B.marta);
  assert.equal(qb.status, 201, qb.text);
  refused(await getJson(server, scoped, `/quotes/${qb.json.id}`), 'a quote of B');
  refused(await call(server, `/api/v1/quotes/${qb.json.id}/pdf`, { cookie: scoped }), 'the PDF of a quote of B');
  refused(await getJson(server, scoped, '/quotes/999999'), 'no such quote: refused alike');

  // Documents: an upload into A and its download; B's are not its own.
  const upload = (cookie, rid) => call(server, `/api/v1/requests/${rid}/attachments?kind=other&name=notes.txt`, {
    cookie, method: 'POST', body: 'Cotas y tolerancias.\n', headers: { 'content-type': 'application/octet-stream' },
  });
  const fa = await upload(scoped, A.rid);
  assert.equal(fa.status, 201, fa.text);
  assert.equal((await call(server, `/api/v1/attachments/${fa.json.id}`, { cookie: scoped })).status, 200);
  const fb = await upload(u.M, B.rid);
  assert.equal(fb.status, 201, fb.text);
  refused(await call(server, `/api/v1/attachments/${fb.json.id}`, { cookie: scoped }), 'a document of B');
  refused(await upload(scoped, B.rid), 'an upload into B');
  const chunked = await call(server, `/api/v1/requests/${A.rid}/uploads?kind=other&name=a.txt&size=100`, {
    cookie: scoped, method: 'POST',
  });
  assert.equal(chunked.status, 201, chunked.text);
  assert.equal((await getJson(server, scoped, `/uploads/${chunked.json.upload_id}`)).status, 200);
  const other = await call(server, `/api/v1/requests/${B.rid}/uploads?kind=other&name=b.txt&size=100`, {
    cookie: u.M, method: 'POST',
  });
  assert.equal(other.status, 201, other.text);
  refused(await getJson(server, scoped, `/uploads/${other.json.upload_id}`), 'the full session\'s upload into B');
});

test('nothing else: another request, search, network, settings, new requests, the mailbox', async () => {
  for (const path of [`/requests/${B.rid}`, `/requests/${B.rid}/history?before=999999999`,
    `/requests/${B.rid}/translations?to=es`, '/requests?q=Vérins', '/network', '/me/settings', '/dev/mailbox'])
    refused(await getJson(server, scoped, path), path);
  refused(await postMessage(server, scoped, B.rid, { body: 'hola' }, newKey()), 'a reply on B');
  refused(await postJson(server, scoped, `/requests/${B.rid}/read`, {}), 'a read mark on B');
  refused(await postJson(server, scoped, '/network/members', { name: 'X', email: 'x@example.com', role: 'distributor' }), 'add a member');
  refused(await call(server, '/api/v1/me/settings', {
    cookie: scoped, method: 'PUT', body: '{"auto_translate":true}', headers: { 'content-type': 'application/json' },
  }), 'change settings');
  refused(await postJson(server, scoped, '/requests', { manufacturer_id: ids.M, product: 'X', message: 'Y' }), 'a new request');
  const page = await call(server, '/dev/mailbox', { cookie: scoped });
  assert.equal(page.status, 403);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  // The same paths with the full session work (the refusals are the scope's, not the role's).
  for (const path of [`/requests/${B.rid}`, '/network', '/me/settings', '/dev/mailbox'])
    assert.equal((await getJson(server, u.M, path)).status, 200, path);
});

test('the inbox of a scoped session is its one request; the long-poll brings only its events', async () => {
  const inbox = await getJson(server, scoped, '/requests');
  assert.equal(inbox.status, 200, inbox.text);
  assert.equal(inbox.json.scope_request_id, A.rid);
  assert.deepEqual(inbox.json.requests.map((r) => r.id), [A.rid]);
  assert.equal(inbox.json.next_page, '');
  assert.equal((await getJson(server, scoped, '/requests?status=won')).json.requests.length, 1, 'filters do not widen it');
  const full = await getJson(server, u.M, '/requests');
  assert.ok(full.json.requests.length > 1);
  assert.equal(full.json.scope_request_id, 0);

  // Pierre writes on B, then on A: the scoped poll skips B's message.
  const cursor = inbox.json.cursor;
  const onB = `sur B ${newKey()}`;
  const onA = `sur A ${newKey()}`;
  assert.equal((await postMessage(server, u.P, B.rid, { body: onB, conversation_id: B.marta }, newKey())).status, 201);
  assert.equal((await postMessage(server, u.P, A.rid, { body: onA, conversation_id: A.marta }, newKey())).status, 201);
  const seen = [];
  for (let after = cursor, i = 0; i < 10 && !seen.some((e) => e.request_id === A.rid && e.kind === 'message'); i++) {
    const r = await getJson(server, scoped, `/events?after=${after}`);
    assert.equal(r.status, 200, r.text);
    seen.push(...r.json.events);
    after = r.json.cursor;
  }
  assert.ok(seen.some((e) => e.request_id === A.rid && e.kind === 'message'), 'A\'s message arrives');
  assert.deepEqual([...new Set(seen.map((e) => e.request_id))], [A.rid], 'only A\'s events');

  // A held poll is not woken by B.
  const last = (await getJson(server, u.M, '/requests')).json.cursor;
  const held = getJson(server, scoped, `/events?after=${last}`);
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await postMessage(server, u.P, B.rid, { body: `B encore ${newKey()}`, conversation_id: B.marta }, newKey())).status, 201);
  const answer = await held;  // the poll timeout (2 s) answers it empty
  assert.deepEqual(answer.json.events, []);
});

test('step up: a full sign-in link by e-mail, single use, whose session opens everything', async () => {
  expectError(await postJson(server, u.M, '/auth/full-link'), 409, 'already_full', 'a full session');
  const before = (await getJson(server, u.M, '/dev/mailbox')).json.messages.filter((m) => m.kind === 'sign_in').length;
  const sent = await postJson(server, scoped, '/auth/full-link');
  assert.equal(sent.status, 202, sent.text);
  assert.match(sent.json.email, /^[^@\s]+@[^@\s]+$/);
  const mails = (await getJson(server, u.M, '/dev/mailbox')).json.messages.filter((m) => m.kind === 'sign_in');
  assert.equal(mails.length, before + 1, 'the sign-in mail is in Marta\'s mailbox');
  const mail = mails[0];
  assert.equal(mail.request_id, 0);
  assert.ok((mail.headers.To || '').includes(sent.json.email), 'to the address the answer named');
  const link = /(http:\/\/\S+\/login\/[A-Za-z0-9_-]+(\?next=\S+)?)/.exec(mail.text)[1];

  const res = await fetch(link, { redirect: 'manual' });
  await res.arrayBuffer();
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `/requests/${A.rid}`, 'back to the request it came from');
  const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('parley_session='));
  assert.match(setCookie, /; Max-Age=2592000(;|$)/, 'thirty days');
  const stepped = setCookie.split(';')[0];
  assert.equal((await getJson(server, stepped, '/me')).json.scope_request_id, 0);
  assert.equal((await getJson(server, stepped, `/requests/${B.rid}`)).status, 200, 'the other request opens');
  assert.equal((await getJson(server, stepped, '/network')).status, 200);
  assert.ok((await getJson(server, stepped, '/requests')).json.requests.length > 1);

  // Single use: the same link again signs nobody in.
  const again = await fetch(link, { redirect: 'manual' });
  await again.arrayBuffer();
  assert.equal(again.status, 401);
  // The scoped session itself stays what it was.
  refused(await getJson(server, scoped, `/requests/${B.rid}`), 'still scoped');
});

test('someone signed in to the whole account keeps that session when they open a notification link', async () => {
  const box = await getJson(server, u.M, '/dev/mailbox');
  const mail = box.json.messages.find((m) => m.kind === 'new_request' && m.request_id === B.rid);
  const link = /(http:\/\/\S+\/login\/[A-Za-z0-9_-]+\?next=\S+)/.exec(mail.text)[1];
  const res = await fetch(link, { redirect: 'manual', headers: { cookie: u.M } });
  await res.arrayBuffer();
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), `/requests/${B.rid}?reply=1`);
  assert.equal(res.headers.getSetCookie().length, 0, 'no new cookie: the full session stays');
  // Someone else's full session does not count: that browser gets the link's scoped session.
  const other = await fetch(link, { redirect: 'manual', headers: { cookie: u.P } });
  await other.arrayBuffer();
  assert.match(other.headers.getSetCookie()[0] || '', /^parley_session=.*Max-Age=604800/);
  // Signing out of a scoped session works as for any other.
  const out = await postJson(server, scoped, '/logout');
  assert.equal(out.status, 204);
  assert.equal((await getJson(server, scoped, '/me')).status, 401);
});
