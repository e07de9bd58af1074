// Replies by e-mail, end to end: a demo user replies from a (local) mailbox and sees it threaded in
// the page, live. Without SMTP the development mailbox page (GET /dev/mailbox) lists the
// signed-in user's mails; answering one sends a real reply e-mail through the inbound
// path: only the new text is posted, as their message, and the other side's long-poll
// gets it at once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, stopCleanly, call, getJson, postMessage, newKey } from './server.mjs';

let server;
const u = {};
before(async () => { server = await startSignedIn({ M: 'Marta Iglesias', S: 'Stefan Müller', P: 'Pierre Dubois' }, u); });
after(async () => { await stopCleanly(server); });

const form = (cookie, path, fields) => call(server, path, { cookie, method: 'POST',
  headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });

test('reply from the development mailbox: threaded into the request, live, only the new text', async () => {
  const rid = (await getJson(server, u.S, '/requests')).json.requests[0].id;
  const sent = await postMessage(server, u.M, rid, { body: 'Guten Tag, <b>Angebot</b> anbei.' }, newKey());
  assert.equal(sent.status, 201, sent.text);
  const box = await getJson(server, u.S, '/dev/mailbox');
  const mail = box.json.messages.find((m) => m.kind === 'new_reply' && m.request_id === rid);
  assert.ok(mail, 'the notification is in Stefan\'s development mailbox');

  const page = await call(server, '/dev/mailbox', { cookie: u.S });
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.text, /Development mailbox/);
  assert.match(page.text, new RegExp(`action="/dev/mailbox/${mail.id}/reply"`));
  assert.ok(page.text.includes('&lt;b&gt;Angebot&lt;/b&gt;') && !page.text.includes('<b>Angebot</b>'), 'escaped');
  assert.match(page.text, /<a href="http:\/\/127\.0\.0\.1:\d+\/login\/[^"]+reply%3D1">/, 'its links are clickable');

  // Marta holds a long-poll; Stefan answers from his mailbox.
  const cursor = (await getJson(server, u.M, '/requests')).json.cursor;
  const polled = getJson(server, u.M, `/events?after=${cursor}`);
  const t0 = Date.now();
  const r = await form(u.S, `/dev/mailbox/${mail.id}/reply`, { text: 'Danke, wir bestellen 40 Stück.' });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/dev/mailbox?result=posted');
  const events = (await polled).json.events;
  assert.ok(events.some((e) => e.kind === 'message' && e.actor_name === 'Stefan Müller'), JSON.stringify(events));
  assert.ok(Date.now() - t0 < 1500, 'live, not at the poll timeout');
  const d = await getJson(server, u.M, `/requests/${rid}`);
  const m = d.json.messages.find((x) => x.author_name === 'Stefan Müller' && x.via_email);
  assert.ok(m, 'posted as Stefan, marked as sent by e-mail');
  assert.equal(m.body, 'Danke, wir bestellen 40 Stück.', 'the quoted mail is stripped');
  const after = await call(server, '/dev/mailbox?result=posted', { cookie: u.S });
  assert.match(after.text, /Your reply was posted/);
});

test('the mailbox page refuses what is not mine, empty replies, strangers', async () => {
  const box = await getJson(server, u.S, '/dev/mailbox');
  const id = box.json.messages[0].id;
  const other = await form(u.P, `/dev/mailbox/${id}/reply`, { text: 'Hijack' });
  assert.equal(other.status, 303);
  assert.match(other.headers.get('location'), /^\/dev\/mailbox\?result=error&why=No%20such%20mail/);
  const empty = await form(u.S, `/dev/mailbox/${id}/reply`, { text: '  ' });
  assert.match(empty.headers.get('location'), /result=error&why=Write%20a%20reply/);
  assert.equal((await call(server, '/dev/mailbox')).status, 401);
  assert.equal((await call(server, `/dev/mailbox/${id}/reply`, { method: 'POST' })).status, 401);
  assert.equal((await call(server, '/dev/mailbox/abc/reply', { cookie: u.S, method: 'POST' })).status, 404);
  assert.equal((await call(server, `/dev/mailbox/${id}/reply`, { cookie: u.S })).status, 405);
});
