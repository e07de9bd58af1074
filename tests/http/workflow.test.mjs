// The negotiation workflow over HTTP against the real server with the demo data:
// new requests and routing, replies per conversation, read marks, phone, CC, forward,
// decline, close, rating — success and every error path. The cast and helpers:
// workflow_cast.mjs; live delivery, the sales network and contacts:
// workflow_network.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, call, postMessage, newKey, postJson, getJson, expectError } from './server.mjs';
import { demoCast } from './workflow_cast.mjs';

let server; let M; let T; let C; let J; let P; let L; let X;
const w = demoCast((cast) => ({ server, M, T, C, J, P, L, X } = cast));
const { id, detail, has, inboxRow, newRequest, convs, say } = w;

test('POST /requests: stored with the manufacturer\'s conversation and routed by the buyer\'s country', async () => {
  // Pierre (FR): routed to Claire (distributor, FR); Tomás (auto-CC) copied on Marta's conversation.
  const d = await newRequest(P);
  assert.equal(d.buyer.id, id('P'));
  assert.equal(d.country, 'FR');
  assert.equal(d.manufacturer_name, 'Marta Iglesias');
  assert.deepEqual(d.conversations.map((c) => c.seller.name), ['Marta Iglesias', 'Claire Martin']);
  assert.equal(d.my_conversation, d.conversations[0].id);
  for (const c of d.conversations) {
    assert.deepEqual(c.participants, [], 'who is in copy is the seller side\'s business');
    assert.equal(c.status, 'open');
  }
  assert.deepEqual(d.events, [], 'the buyer does not see routing');
  assert.deepEqual(d.can, { reply: true, reveal_phone: false, cc: false, forward: false, decline: false, close: false, rate: false, quote: false,
    from_required: false });
  assert.equal(d.phone, '+33 4 72 10 55 21', 'the buyer sees their own number');

  const m = await detail(M, d.id);
  assert.deepEqual(m.conversations.map((c) => c.seller.name), ['Marta Iglesias']);
  const routed = m.events.find((e) => e.kind === 'routed');
  assert.ok(routed, 'routed event');
  assert.equal(routed.target_name, 'Claire Martin');
  assert.equal(routed.target_id, id('C'));
  assert.equal(routed.text, 'FR');
  assert.ok(has(m, 'cc_added', (e) => e.target_id === id('T') && e.text === 'auto'), 'auto-CC event');
  const tomas = m.conversations[0].participants.find((p) => p.user.id === id('T'));
  assert.equal(tomas.via, 'auto_cc');
  assert.equal(tomas.added_by, id('M'));
  assert.equal(m.phone, '', 'not revealed yet');
  assert.equal(m.can.reveal_phone, true);

  const c = await detail(C, d.id);
  assert.deepEqual(c.conversations.map((x) => x.seller.name), ['Claire Martin']);
  assert.equal(c.my_conversation, d.conversations[1].id);
  assert.ok(has(c, 'routed'));
  assert.ok(!has(c, 'cc_added'), 'the copy on Marta\'s conversation is not Claire\'s business');
  assert.equal((await inboxRow(C, d.id)).status, 'to_answer');
  assert.equal((await inboxRow(M, d.id)).handler_name, 'Claire Martin');
  assert.ok(await inboxRow(T, d.id), 'the auto-CC gets it');
  assert.equal(await inboxRow(J, d.id), undefined, 'another zone\'s distributor does not');
  expectError(await getJson(server, J, `/requests/${d.id}`), 404, 'not_found');
  assert.equal(await inboxRow(L, d.id), undefined);

  // Luca (IT): nobody covers Italy.
  const l = await newRequest(L);
  assert.equal(l.conversations.length, 1);
  assert.ok(!has(await detail(M, l.id), 'routed'));
  assert.equal(await inboxRow(T, l.id), undefined, 'no auto-CC without routing');
  // Javier (ES): no distributor covers Spain, the area manager does.
  const x = await newRequest(X);
  assert.deepEqual(x.conversations.map((c2) => c2.seller.name), ['Marta Iglesias', 'Tomás Navarro']);
  assert.equal((await detail(T, x.id)).conversations[0].seller.name, 'Tomás Navarro');
});

test('POST /requests: errors', async () => {
  const body = { manufacturer_id: id('M'), product: 'p', message: 'm' };
  expectError(await postJson(server, M, '/requests', body), 403, 'forbidden');
  expectError(await postJson(server, C, '/requests', body), 403, 'forbidden');
  expectError(await postJson(server, P, '/requests', { ...body, manufacturer_id: id('C') }), 400, 'unknown_manufacturer');
  expectError(await postJson(server, P, '/requests', { ...body, manufacturer_id: id('L') }), 400, 'unknown_manufacturer');
  expectError(await postJson(server, P, '/requests', { ...body, manufacturer_id: 999999 }), 400, 'unknown_manufacturer');
  expectError(await postJson(server, P, '/requests', { ...body, product: '  ' }), 400, 'invalid_product');
  expectError(await postJson(server, P, '/requests', { ...body, product: 'x'.repeat(201) }), 400, 'invalid_product');
  expectError(await postJson(server, P, '/requests', { ...body, message: '' }), 400, 'empty_message');
  expectError(await postJson(server, P, '/requests', { ...body, message: 'x'.repeat(20001) }), 413, 'message_too_long');
  expectError(await postJson(server, P, '/requests', { ...body, manufacturer_id: String(id('M')) }), 400, 'invalid_field');
  expectError(await postJson(server, P, '/requests', { ...body, product: 7 }), 400, 'invalid_field');
  expectError(await postJson(server, P, '/requests', '{"manufacturer_id": 1,'), 400, 'malformed_json');
  expectError(await postJson(server, P, '/requests', '[1]'), 400, 'invalid_field');
  expectError(await postJson(server, undefined, '/requests', body), 401, 'unauthorized');
  const put = await call(server, '/api/v1/requests', { cookie: P, method: 'PUT', body: '{}' });
  expectError(put, 405, 'method_not_allowed');
  assert.equal(put.headers.get('allow'), 'GET, POST');
});

test('replies go to the author\'s conversation; the manufacturer sees that the distributor answered, not what', async () => {
  const d = await newRequest(P);
  const cv = await convs(P, d.id);
  const secret = `Claire's price is 123 € ${newKey()}`;
  const r = await say(C, d.id, secret);
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.conversation_id, cv['Claire Martin']);
  assert.equal(r.json.author_role, 'distributor');
  assert.equal(r.json.author_name, 'Claire Martin');

  const mRaw = await getJson(server, M, `/requests/${d.id}`);
  assert.ok(!mRaw.text.includes(secret), 'the text never reaches the manufacturer');
  const m = mRaw.json;
  assert.ok(!m.messages.some((x) => x.conversation_id === cv['Claire Martin']));
  const answered = m.events.find((e) => e.kind === 'answered');
  assert.ok(answered, '"sales network answered the buyer"');
  assert.equal(answered.actor_id, id('C'));
  assert.equal(answered.conversation_id, cv['Claire Martin']);
  assert.equal(answered.message_id, r.json.id);
  const mRow = await inboxRow(M, d.id);
  assert.equal(mRow.status, 'answered');
  assert.equal(mRow.message_count, 0);
  assert.ok(!mRow.snippet.includes('123'), 'nor through the inbox snippet');
  assert.ok(!(await getJson(server, T, '/requests')).text.includes(secret));

  // The buyer sees both conversations and answers Claire in hers.
  const p = await detail(P, d.id);
  assert.equal(p.messages[0].body, secret);
  assert.ok(!has(p, 'answered'), 'milestones are seller-side');
  const back = await say(P, d.id, 'Merci Claire', cv['Claire Martin']);
  assert.equal(back.status, 201);
  assert.equal(back.json.conversation_id, cv['Claire Martin']);
  const toMarta = await say(P, d.id, 'Bonjour Marta');
  assert.equal(toMarta.json.conversation_id, cv['Marta Iglesias'], 'the buyer\'s default is the manufacturer');
  assert.equal((await detail(C, d.id)).messages.length, 2);
  assert.deepEqual((await detail(M, d.id)).messages.map((x) => x.body), ['Bonjour Marta']);

  // Writing into someone else's conversation: as if it did not exist.
  expectError(await say(M, d.id, 'peek', cv['Claire Martin']), 404, 'not_found');
  expectError(await say(C, d.id, 'peek', cv['Marta Iglesias']), 404, 'not_found');
  expectError(await say(P, d.id, 'x', 999999), 404, 'not_found');
  expectError(await postMessage(server, P, d.id, { body: 'x', conversation_id: 'two' }, newKey()), 400, 'invalid_field');
  expectError(await say(J, d.id, 'hello'), 404, 'not_found');
  // An idempotency key is bound to its conversation.
  const key = newKey();
  assert.equal((await postMessage(server, P, d.id, { body: 'k', conversation_id: cv['Claire Martin'] }, key)).status, 201);
  assert.equal((await postMessage(server, P, d.id, { body: 'k', conversation_id: cv['Claire Martin'] }, key)).status, 200);
  expectError(await postMessage(server, P, d.id, { body: 'k' }, key), 409, 'idempotency_key_reused');
});

test('read marks: up to a given message or the newest; per conversation; errors', async () => {
  const d = await newRequest(L);
  const m1 = (await say(M, d.id, 'one')).json;
  const m2 = (await say(M, d.id, 'two')).json;
  const r1 = await postJson(server, L, `/requests/${d.id}/read`, { message_id: m1.id });
  assert.equal(r1.status, 204, r1.text);
  let c = (await detail(M, d.id)).conversations[0];
  assert.equal(c.other_read_id, m1.id, '✓✓ up to what the buyer displayed');
  assert.ok(c.other_read_at > 0);
  assert.equal((await postJson(server, L, `/requests/${d.id}/read`, { message_id: m1.id })).status, 204);
  assert.equal((await call(server, `/api/v1/requests/${d.id}/read`, { cookie: L, method: 'POST' })).status, 204);
  c = (await detail(M, d.id)).conversations[0];
  assert.equal(c.other_read_id, m2.id, 'empty body: the newest');
  const reads = (await detail(M, d.id)).events.filter((e) => e.kind === 'read');
  assert.deepEqual(reads.map((e) => e.message_id), [m1.id, m2.id], 'one event per move');
  assert.equal(reads[0].actor_id, id('L'));
  // The buyer sees the seller's read mark on their own messages the same way.
  const q = (await say(L, d.id, 'question')).json;
  assert.equal((await postJson(server, M, `/requests/${d.id}/read`, {})).status, 204);
  assert.equal((await detail(L, d.id)).conversations[0].other_read_id, q.id);

  expectError(await postJson(server, L, `/requests/${d.id}/read`, { message_id: -1 }), 400, 'invalid_field');
  expectError(await postJson(server, L, `/requests/${d.id}/read`, { message_id: 'last' }), 400, 'invalid_field');
  expectError(await postJson(server, L, `/requests/${d.id}/read`, '{"message_id":'), 400, 'malformed_json');
  expectError(await postJson(server, L, `/requests/${d.id}/read`, '[]'), 400, 'invalid_field');
  expectError(await postJson(server, L, `/requests/${d.id}/read`, { conversation_id: 999999 }), 404, 'not_found');
  expectError(await postJson(server, P, `/requests/${d.id}/read`, {}), 404, 'not_found');
  const routed = await newRequest(P);
  const cv = await convs(P, routed.id);
  expectError(await postJson(server, M, `/requests/${routed.id}/read`, { conversation_id: cv['Claire Martin'] }), 404, 'not_found');
  assert.equal((await postJson(server, P, `/requests/${routed.id}/read`, { conversation_id: cv['Claire Martin'] })).status, 204);
  expectError(await postJson(server, undefined, `/requests/${d.id}/read`, {}), 401, 'unauthorized');
});

test('phone: revealed on request, stays revealed, logged once, seller side only', async () => {
  const d = await newRequest(P);
  const r = await postJson(server, M, `/requests/${d.id}/phone`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { phone: '+33 4 72 10 55 21' });
  let m = await detail(M, d.id);
  assert.equal(m.phone, '+33 4 72 10 55 21', 'stays revealed');
  assert.equal(m.can.reveal_phone, false, 'no need to click again');
  assert.equal((await postJson(server, M, `/requests/${d.id}/phone`)).json.phone, '+33 4 72 10 55 21');
  m = await detail(M, d.id);
  const reveals = m.events.filter((e) => e.kind === 'phone_revealed');
  assert.equal(reveals.length, 1, 'logged once');
  assert.equal(reveals[0].actor_name, 'Marta Iglesias');
  // Tomás (auto-CC, Marta's conversation) sees the event but not the number until he asks.
  const t = await detail(T, d.id);
  assert.ok(has(t, 'phone_revealed'));
  assert.equal(t.phone, '');
  assert.equal(t.can.reveal_phone, true);
  // Claire (her own conversation) does not see Marta's reveal; hers is hers.
  let c = await detail(C, d.id);
  assert.ok(!has(c, 'phone_revealed'));
  assert.equal((await postJson(server, C, `/requests/${d.id}/phone`)).status, 200);
  c = await detail(C, d.id);
  assert.equal(c.events.filter((e) => e.kind === 'phone_revealed').length, 1);
  assert.equal((await detail(M, d.id)).events.filter((e) => e.kind === 'phone_revealed').length, 1);
  // The buyer: not an action for them, and the reveals are not their business.
  expectError(await postJson(server, P, `/requests/${d.id}/phone`), 403, 'forbidden');
  assert.ok(!has(await detail(P, d.id), 'phone_revealed'));
  expectError(await postJson(server, J, `/requests/${d.id}/phone`), 404, 'not_found');
  expectError(await postJson(server, L, `/requests/${d.id}/phone`), 404, 'not_found');
  expectError(await postJson(server, M, '/requests/999999/phone'), 404, 'not_found');
  expectError(await postJson(server, undefined, `/requests/${d.id}/phone`), 401, 'unauthorized');
  const get = await getJson(server, M, `/requests/${d.id}/phone`);
  expectError(get, 405, 'method_not_allowed');
  assert.equal(get.headers.get('allow'), 'POST');
});

test('CC: a colleague or an address joins the adder\'s conversation with the adder\'s rights', async () => {
  const d = await newRequest(P);
  const cv = await convs(P, d.id);
  await say(M, d.id, 'Marta writes');
  const claireText = `Claire writes ${newKey()}`;
  await say(C, d.id, claireText);

  const r = await postJson(server, M, `/requests/${d.id}/cc`, { user_id: id('J') });
  assert.equal(r.status, 200, r.text);
  const root = r.json.conversations[0];
  const jonas = root.participants.find((p) => p.user.id === id('J'));
  assert.equal(jonas.via, 'cc');
  assert.equal(jonas.added_by, id('M'));
  assert.ok(has(r.json, 'cc_added', (e) => e.target_id === id('J') && e.actor_id === id('M')));
  // Jonas now has Marta's rights: her conversation, not Claire's.
  const j = await detail(J, d.id);
  assert.deepEqual(j.conversations.map((c) => c.id), [cv['Marta Iglesias']]);
  assert.deepEqual(j.messages.map((x) => x.body), ['Marta writes']);
  assert.ok(!JSON.stringify(j).includes(claireText));
  assert.equal(j.can.reply, true);
  assert.equal((await say(J, d.id, 'Jonas in copy')).json.conversation_id, cv['Marta Iglesias']);
  assert.ok(await inboxRow(J, d.id));
  // The buyer and Claire do not see who is in copy of Marta's conversation.
  assert.ok(!has(await detail(P, d.id), 'cc_added'));
  assert.ok(!has(await detail(C, d.id), 'cc_added', (e) => e.target_id === id('J')));
  expectError(await postJson(server, M, `/requests/${d.id}/cc`, { user_id: id('J') }), 409, 'already_in_copy');

  // An address outside the marketplace: a guest with a sign-in link of their own.
  const email = `anne.${Date.now()}@example.test`;
  const g = await postJson(server, M, `/requests/${d.id}/cc`, { email });
  assert.equal(g.status, 200, g.text);
  assert.ok(g.json.conversations[0].participants.some((p) => p.user.name === email && p.user.role === 'guest'));
  const link = await server.newUserLink(email);
  assert.equal(link.role, 'guest');
  const guest = (await signIn(link)).cookie;
  assert.ok(guest, 'the guest can sign in');
  assert.equal((await signIn(link)).res.status, 401, 'the guest link is single-use');
  const gd = await detail(guest, d.id);
  assert.deepEqual(gd.conversations.map((c) => c.id), [cv['Marta Iglesias']]);
  assert.ok(!JSON.stringify(gd).includes(claireText));
  expectError(await postJson(server, M, `/requests/${d.id}/cc`, { email: email.toUpperCase() }), 409, 'already_in_copy');

  // Claire's CC joins Claire's conversation.
  const cc2 = await postJson(server, C, `/requests/${d.id}/cc`, { email: `claire.colleague.${Date.now()}@example.test` });
  assert.equal(cc2.status, 200, cc2.text);
  assert.equal(cc2.json.conversations.length, 1);
  assert.equal(cc2.json.conversations[0].id, cv['Claire Martin']);
  assert.ok(!has(await detail(M, d.id), 'cc_added', (e) => e.actor_id === id('C')));

  // Errors.
  const cc = (body) => postJson(server, M, `/requests/${d.id}/cc`, body);
  expectError(await cc({}), 400, 'missing_recipient');
  expectError(await cc({ user_id: id('T'), email: 'a@b.example' }), 400, 'missing_recipient');
  expectError(await cc({ email: 'not-an-address' }), 400, 'invalid_email');
  expectError(await cc({ email: 'two@@example.test' }), 400, 'invalid_email');
  expectError(await cc({ email: 'p.dubois@dubois-levage.fr' }), 400, 'cannot_add_buyer');
  expectError(await cc({ user_id: id('L') }), 400, 'unknown_contact');
  expectError(await cc({ user_id: 999999 }), 400, 'unknown_contact');
  expectError(await cc({ user_id: id('M') }), 400, 'cannot_add_yourself');
  expectError(await cc({ user_id: 'Jonas' }), 400, 'invalid_field');
  expectError(await cc({ email: 42 }), 400, 'invalid_field');
  expectError(await cc('{"email":'), 400, 'malformed_json');
  expectError(await cc('[]'), 400, 'invalid_field');
  expectError(await cc({ user_id: id('T'), conversation_id: 999999 }), 404, 'not_found');
  expectError(await cc({ user_id: id('T'), conversation_id: cv['Claire Martin'] }), 404, 'not_found');
  expectError(await postJson(server, P, `/requests/${d.id}/cc`, { user_id: id('T') }), 403, 'forbidden');
  expectError(await postJson(server, L, `/requests/${d.id}/cc`, { user_id: id('T') }), 404, 'not_found');
  expectError(await postJson(server, undefined, `/requests/${d.id}/cc`, { user_id: id('T') }), 401, 'unauthorized');
});

test('forward: to a network member (a conversation of their own) or to an address (a copy), archived with date and note', async () => {
  const d = await newRequest(P);
  await say(M, d.id, 'Marta before forwarding');
  const note = 'Bitte übernehmen Sie diese Anfrage.';
  const r = await postJson(server, M, `/requests/${d.id}/forward`, { user_id: id('J'), note: `  ${note} ` });
  assert.equal(r.status, 200, r.text);
  const ev = r.json.events.find((e) => e.kind === 'forwarded');
  assert.ok(ev);
  assert.equal(ev.target_id, id('J'));
  assert.equal(ev.target_name, 'Jonas Weber');
  assert.equal(ev.text, note);
  assert.ok(ev.created > Date.now() - 60000, 'dated');
  assert.equal(r.json.conversations.length, 1, 'the forwarder does not see the new conversation');
  const cv = await convs(P, d.id);
  assert.deepEqual(Object.keys(cv), ['Marta Iglesias', 'Claire Martin', 'Jonas Weber']);
  const j = await detail(J, d.id);
  assert.deepEqual(j.conversations.map((c) => c.id), [cv['Jonas Weber']]);
  assert.equal(j.messages.length, 0, 'not Marta\'s messages');
  assert.ok(has(j, 'forwarded', (e) => e.text === note));
  const secret = `Jonas quotes ${newKey()}`;
  assert.equal((await say(J, d.id, secret)).json.conversation_id, cv['Jonas Weber']);
  const m = await getJson(server, M, `/requests/${d.id}`);
  assert.ok(!m.text.includes(secret));
  assert.ok(has(m.json, 'answered', (e) => e.actor_id === id('J')), 'Marta sees that Jonas answered');
  const c = await detail(C, d.id);
  assert.ok(!has(c, 'forwarded'), 'distributors never see each other\'s milestones');
  assert.ok(!has(c, 'answered', (e) => e.actor_id === id('J')));
  assert.ok(!has(await detail(P, d.id), 'forwarded'));

  // To an address: the forwardee is put on the forwarder's conversation.
  const email = `broker.${Date.now()}@example.test`;
  const a = await postJson(server, M, `/requests/${d.id}/forward`, { email, note: 'FYI' });
  assert.equal(a.status, 200, a.text);
  assert.ok(a.json.conversations[0].participants.some((p) => p.user.name === email && p.via === 'forward'));
  assert.ok(has(a.json, 'forwarded', (e) => e.target_name === email && e.text === 'FYI'));
  const guest = (await signIn(await server.newUserLink(email))).cookie;
  const gd = await detail(guest, d.id);
  assert.deepEqual(gd.messages.map((x) => x.body), ['Marta before forwarding']);
  assert.ok(!has(await detail(J, d.id), 'forwarded', (e) => e.target_name === email));

  expectError(await postJson(server, M, `/requests/${d.id}/forward`, { email: 'x@y.example', note: 'n'.repeat(2001) }), 413, 'note_too_long');
  expectError(await postJson(server, M, `/requests/${d.id}/forward`, { email: 'nope' }), 400, 'invalid_email');
  expectError(await postJson(server, M, `/requests/${d.id}/forward`, { note: 'to nobody' }), 400, 'missing_recipient');
  expectError(await postJson(server, M, `/requests/${d.id}/forward`, { user_id: id('J'), note: 5 }), 400, 'invalid_field');
  expectError(await postJson(server, P, `/requests/${d.id}/forward`, { user_id: id('J') }), 403, 'forbidden');
  expectError(await postJson(server, L, `/requests/${d.id}/forward`, { user_id: id('J') }), 404, 'not_found');
  expectError(await postJson(server, M, '/requests/999999/forward', { user_id: id('J') }), 404, 'not_found');
});

test('decline: with a reason, once, the buyer is told the reason only', async () => {
  const d = await newRequest(P);
  const cv = await convs(P, d.id);
  const r = await postJson(server, C, `/requests/${d.id}/decline`, { reason: 'cannot_deliver' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.conversations[0].status, 'declined');
  assert.equal(r.json.conversations[0].decline_reason, 'cannot_deliver');
  assert.equal(r.json.can.decline, false);
  assert.equal(r.json.can.close, false);
  expectError(await postJson(server, C, `/requests/${d.id}/decline`, { reason: 'cannot_deliver' }), 403, 'forbidden');
  expectError(await postJson(server, C, `/requests/${d.id}/close`, { outcome: 'won' }), 403, 'forbidden');
  assert.equal((await inboxRow(C, d.id)).status, 'declined');

  const p = await detail(P, d.id);
  const pc = p.conversations.find((c) => c.id === cv['Claire Martin']);
  assert.equal(pc.status, 'declined');
  assert.equal(pc.decline_reason, '', 'the reason text is seller-side');
  const ev = p.events.find((e) => e.kind === 'declined');
  assert.equal(ev.text, 'cannot_deliver');
  assert.equal(ev.conversation_id, cv['Claire Martin']);
  assert.ok(!has(await detail(M, d.id), 'declined'), 'a conversation event of Claire\'s');

  // "other" needs a text, which stays on the seller side.
  expectError(await postJson(server, M, `/requests/${d.id}/decline`, { reason: 'other' }), 400, 'reason_text_required');
  expectError(await postJson(server, M, `/requests/${d.id}/decline`, { reason: 'other', text: '   ' }), 400, 'reason_text_required');
  const why = `Competitor of ours ${newKey()}`;
  const o = await postJson(server, M, `/requests/${d.id}/decline`, { reason: 'other', text: why });
  assert.equal(o.status, 200, o.text);
  assert.equal(o.json.conversations[0].decline_reason, `other: ${why}`);
  const pRaw = await getJson(server, P, `/requests/${d.id}`);
  assert.ok(!pRaw.text.includes(why), 'the free text is not shown to the buyer');
  assert.ok(has(pRaw.json, 'declined', (e) => e.text === 'other'));
  assert.equal((await inboxRow(M, d.id)).status, 'declined');

  const fresh = await newRequest(L);
  const dec = (cookie, body) => postJson(server, cookie, `/requests/${fresh.id}/decline`, body);
  expectError(await dec(M, { reason: 'too_expensive' }), 400, 'invalid_reason');
  expectError(await dec(M, {}), 400, 'invalid_reason');
  expectError(await dec(M, { reason: 5 }), 400, 'invalid_field');
  expectError(await dec(M, '{"reason"'), 400, 'malformed_json');
  expectError(await dec(M, { reason: 'other', text: 'x'.repeat(2001) }), 413, 'note_too_long');
  expectError(await dec(M, { reason: 'not_my_product', conversation_id: 999999 }), 404, 'not_found');
  expectError(await dec(L, { reason: 'not_my_product' }), 403, 'forbidden');
  expectError(await dec(J, { reason: 'not_my_product' }), 404, 'not_found');
  expectError(await dec(undefined, { reason: 'not_my_product' }), 401, 'unauthorized');
  assert.equal((await dec(M, { reason: 'quantity_too_small' })).status, 200);
  expectError(await dec(M, { reason: 'not_my_product' }), 403, 'forbidden', 'decline twice');
});

test('decline and close hold under concurrency: one decline, never a close after it', async () => {
  for (let i = 0; i < 5; i++) {
    const d = await newRequest(L);
    const rs = await Promise.all(Array.from({ length: 8 },
      () => postJson(server, M, `/requests/${d.id}/decline`, { reason: 'not_my_product' })));
    assert.deepEqual(rs.map((r) => r.status).sort(), [200, 403, 403, 403, 403, 403, 403, 403]);
    assert.equal((await detail(M, d.id)).events.filter((e) => e.kind === 'declined').length, 1);
    const e = await newRequest(L);
    const [dec, clo] = await Promise.all([
      postJson(server, M, `/requests/${e.id}/decline`, { reason: 'not_my_product' }),
      postJson(server, M, `/requests/${e.id}/close`, { outcome: 'won' }),
    ]);
    // Whichever came first wins; the other is refused (no close after a decline, no
    // decline once closed).
    assert.deepEqual([dec.status, clo.status].sort(), [200, 403]);
    const status = (await detail(M, e.id)).conversations[0].status;
    assert.equal(status, dec.status === 200 ? 'declined' : 'won');
  }
});

test('close: won or lost, by whoever handles the request; the manufacturer side sees it', async () => {
  const d = await newRequest(P);
  const cv = await convs(P, d.id);
  const r = await postJson(server, C, `/requests/${d.id}/close`, { outcome: 'won' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.conversations[0].status, 'won');
  const m = await detail(M, d.id);
  const closed = m.events.find((e) => e.kind === 'sale_closed');
  assert.ok(closed, '"sales network closed the sale"');
  assert.equal(closed.actor_id, id('C'));
  assert.equal(closed.conversation_id, cv['Claire Martin']);
  assert.ok(has(await detail(T, d.id), 'sale_closed'), 'the auto-CC has the manufacturer\'s view');
  assert.ok(!has(await detail(P, d.id), 'sale_closed'), 'not the buyer\'s business');
  assert.equal((await inboxRow(C, d.id)).status, 'won');
  // Changing one's mind: lost; no decline after closing.
  const lost = await postJson(server, C, `/requests/${d.id}/close`, { outcome: 'lost' });
  assert.equal(lost.status, 200);
  assert.equal(lost.json.conversations[0].status, 'lost');
  assert.ok(has(await detail(M, d.id), 'sale_lost'));
  assert.equal((await inboxRow(C, d.id)).status, 'lost');
  expectError(await postJson(server, C, `/requests/${d.id}/decline`, { reason: 'not_my_product' }), 403, 'forbidden');

  const close = (cookie, body) => postJson(server, cookie, `/requests/${d.id}/close`, body);
  expectError(await close(M, { outcome: 'maybe' }), 400, 'invalid_outcome');
  expectError(await close(M, {}), 400, 'invalid_outcome');
  expectError(await close(M, { outcome: 1 }), 400, 'invalid_field');
  expectError(await close(M, 'won'), 400, 'malformed_json');
  expectError(await close(M, { outcome: 'won', conversation_id: cv['Claire Martin'] }), 404, 'not_found');
  expectError(await close(P, { outcome: 'won' }), 403, 'forbidden');
  expectError(await close(J, { outcome: 'won' }), 404, 'not_found');
  expectError(await close(undefined, { outcome: 'won' }), 401, 'unauthorized');
  assert.equal((await close(M, { outcome: 'won' })).status, 200);
});

test('rating: by the buyer after a seller answer, 1 to 5 with a comment, seen by that seller', async () => {
  const d = await newRequest(L);
  const rate = (cookie, body, rid = d.id) => postJson(server, cookie, `/requests/${rid}/rating`, body);
  expectError(await rate(L, { stars: 5 }), 403, 'forbidden', 'before any answer');
  assert.equal((await detail(L, d.id)).can.rate, false);
  await say(M, d.id, 'Ecco il preventivo.');
  assert.equal((await detail(L, d.id)).can.rate, true);
  expectError(await rate(L, { stars: 0 }), 400, 'invalid_stars');
  expectError(await rate(L, { stars: 6 }), 400, 'invalid_stars');
  expectError(await rate(L, {}), 400, 'invalid_stars');
  expectError(await rate(L, { stars: '5' }), 400, 'invalid_field');
  expectError(await rate(L, { stars: 5, comment: ['x'] }), 400, 'invalid_field');
  expectError(await rate(L, '{stars: 5}'), 400, 'malformed_json');
  expectError(await rate(L, { stars: 5, comment: 'x'.repeat(2001) }), 413, 'note_too_long');
  expectError(await rate(L, { stars: 5, conversation_id: 999999 }), 404, 'not_found');
  expectError(await rate(M, { stars: 5 }), 403, 'forbidden');
  expectError(await rate(P, { stars: 5 }), 404, 'not_found');
  expectError(await rate(undefined, { stars: 5 }), 401, 'unauthorized');

  const r = await rate(L, { stars: 4, comment: ' Rapidi e gentili ' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual({ ...r.json.conversations[0].rating, created: 0 }, { stars: 4, comment: 'Rapidi e gentili', created: 0 });
  const m = await detail(M, d.id);
  assert.equal(m.conversations[0].rating.stars, 4);
  const ev = m.events.find((e) => e.kind === 'rated');
  assert.equal(ev.value, 4);
  assert.equal(ev.text, 'Rapidi e gentili');
  assert.equal(ev.actor_id, id('L'));
  assert.equal((await rate(L, { stars: 5 })).status, 200, 'a new rating replaces it');
  assert.equal((await detail(M, d.id)).conversations[0].rating.stars, 5);

  // A routed request: the buyer rates Claire's conversation; Marta does not see it.
  const p = await newRequest(P);
  const cv = await convs(P, p.id);
  expectError(await rate(P, { stars: 3, conversation_id: cv['Claire Martin'] }, p.id), 403, 'forbidden');
  await say(C, p.id, 'Bonjour');
  const rc = await rate(P, { stars: 3, conversation_id: cv['Claire Martin'] }, p.id);
  assert.equal(rc.status, 200, rc.text);
  assert.equal((await detail(C, p.id)).conversations[0].rating.stars, 3);
  assert.ok(has(await detail(C, p.id), 'rated'));
  assert.ok(!has(await detail(M, p.id), 'rated'));
  expectError(await rate(P, { stars: 3 }, p.id), 403, 'forbidden', 'Marta has not answered');
});

// ------------------------------------------------------------------ live
