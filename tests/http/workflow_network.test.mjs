// The negotiation workflow over HTTP, continued: live long-poll delivery to the right
// users only, the sales network (CRUD) and routing, contacts, the seller score, and
// 405/401 on every action endpoint. The cast and helpers: workflow_cast.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signIn, call, newKey, postJson, getJson, expectError } from './server.mjs';
import { demoCast } from './workflow_cast.mjs';

let server; let M; let T; let C; let J; let P; let L;
const w = demoCast((cast) => ({ server, M, T, C, J, P, L } = cast));
const { id, detail, kinds, inboxRow, newRequest, convs, say } = w;

// Takes everyone's cursor, runs `act`, then long-polls once for everyone: those in
// `expect` (name → kinds of this request they must get) are woken at once; the others
// time out (2 s) with nothing of this request.
async function live(rid, cookies, act, expect) {
  const cursors = {};
  for (const [name, cookie] of Object.entries(cookies)) {
    cursors[name] = (await getJson(server, cookie, '/requests')).json.cursor;
  }
  const polls = Object.fromEntries(Object.entries(cookies).map(([name, cookie]) => {
    const t0 = Date.now();
    return [name, fetch(`${server.base}/api/v1/events?after=${cursors[name]}`, { headers: { cookie } })
      .then(async (r) => ({ status: r.status, json: await r.json(), at: Date.now(), t0 }))];
  }));
  await new Promise((r) => setTimeout(r, 300)); // everyone is waiting
  const actedAt = Date.now();
  await act();
  for (const [name, p] of Object.entries(polls)) {
    const r = await p;
    assert.equal(r.status, 200);
    const first = r.json.events.filter((e) => e.request_id === rid).map((e) => e.kind);
    if (expect[name]) {
      assert.ok(r.at - actedAt < 1000, `${name} woken ${r.at - actedAt} ms after`);
      assert.ok(first.length > 0 && first.every((k) => expect[name].includes(k)), `${name} woken by ${first}`);
      // One action may record several events; a wake-up carries the first. Everything
      // since the cursor is there at once now.
      const all = await getJson(server, cookies[name], `/events?after=${cursors[name]}`);
      const mine = all.json.events.filter((e) => e.request_id === rid).map((e) => e.kind).sort();
      assert.deepEqual(mine, [...expect[name]].sort(), `${name} gets ${expect[name]}`);
    } else {
      const mine = first;
      assert.deepEqual(mine, [], `${name} must not get anything`);
      assert.ok(r.at - r.t0 >= 1500, `${name} was not woken`);
    }
  }
}

test('live: forward, decline, read and a new message reach exactly their audience', async () => {
  const d = await newRequest(P); // routed to Claire; Tomás copied on Marta's conversation
  const cv = await convs(P, d.id);
  await say(M, d.id, 'Marta answers first');
  const everyone = { M, T, C, J, P, L };

  // Forward to Jonas (a network member): the manufacturer side and Jonas; not Claire, not the buyer.
  await live(d.id, everyone, async () => {
    assert.equal((await postJson(server, M, `/requests/${d.id}/forward`, { user_id: id('J'), note: 'bitte' })).status, 200);
  }, { M: ['forwarded'], T: ['forwarded'], J: ['forwarded'] });

  // Claire declines her conversation: she and the buyer; not the manufacturer side.
  await live(d.id, everyone, async () => {
    assert.equal((await postJson(server, C, `/requests/${d.id}/decline`, { reason: 'cannot_deliver' })).status, 200);
  }, { C: ['declined'], P: ['declined'] });

  // The buyer reads Marta's answer: ✓✓ for Marta's side (and the reader's own tabs).
  await live(d.id, everyone, async () => {
    assert.equal((await postJson(server, P, `/requests/${d.id}/read`, { conversation_id: cv['Marta Iglesias'] })).status, 204);
  }, { M: ['read'], T: ['read'], P: ['read'] });

  // Claire answers the buyer anyway: the message to her conversation; the milestone to
  // the manufacturer side (which never gets the message); nothing to Jonas.
  await live(d.id, everyone, async () => {
    assert.equal((await say(C, d.id, 'Je peux quand même livrer à Lyon.')).status, 201);
  }, { C: ['answered', 'message'], P: ['message'], M: ['answered'], T: ['answered'] });

  // The buyer writes to Marta: Marta's side only.
  await live(d.id, everyone, async () => {
    assert.equal((await say(P, d.id, 'Merci Marta')).status, 201);
  }, { M: ['message'], T: ['message'], P: ['message'] });
});

// ------------------------------------------------------------------ network and contacts

test('sales network: list, add, partial update, remove; routing follows it', async () => {
  const net = await getJson(server, M, '/network');
  assert.equal(net.status, 200, net.text);
  const byName = Object.fromEntries(net.json.members.map((m) => [m.user.name, m]));
  assert.deepEqual(byName['Tomás Navarro'].zones, ['ES', 'PT']);
  assert.equal(byName['Tomás Navarro'].auto_cc, true);
  assert.equal(byName['Tomás Navarro'].user.role, 'area_manager');
  assert.deepEqual(byName['Claire Martin'].zones, ['FR', 'BE', 'MA']);
  assert.deepEqual(byName['Jonas Weber'].zones, ['DE', 'AT', 'CH']);
  assert.ok(!net.text.includes('@'), 'no e-mail addresses on the wire');

  const email = `lorenzo.${Date.now()}@idraulica.example`;
  const input = { name: 'Lorenzo Bianchi', company: 'Idraulica Italia', email, country: 'it', language: 'it',
    role: 'distributor', zones: ['it', ' sm ', 'IT'], auto_cc: false };
  const add = await postJson(server, M, '/network/members', input);
  assert.equal(add.status, 201, add.text);
  assert.equal(add.json.user.name, 'Lorenzo Bianchi');
  assert.equal(add.json.user.role, 'distributor');
  assert.equal(add.json.user.country, 'IT');
  assert.deepEqual(add.json.zones, ['IT', 'SM'], 'upper-case, trimmed, no duplicates');
  assert.equal(add.json.auto_cc, false);
  const lid = add.json.user.id;
  const link = await server.newUserLink('Lorenzo Bianchi');
  assert.equal(link.role, 'distributor');
  const lorenzo = (await signIn(link)).cookie;
  assert.equal((await getJson(server, lorenzo, '/me')).json.role, 'distributor');
  assert.equal((await signIn(link)).res.status, 401, 'the link is single-use');

  expectError(await postJson(server, M, '/network/members', { ...input, email: email.toUpperCase() }), 409, 'email_taken');
  expectError(await postJson(server, M, '/network/members', { ...input, email: 'marta.iglesias@hidraulica-iberia.es' }), 409, 'email_taken');
  const bad = (patch) => postJson(server, M, '/network/members', { ...input, email: `x${Math.random()}@e.example`, ...patch });
  expectError(await bad({ name: ' ' }), 400, 'invalid_name');
  expectError(await bad({ role: 'buyer' }), 400, 'invalid_role');
  expectError(await bad({ role: 'manufacturer' }), 400, 'invalid_role');
  expectError(await bad({ email: 'nope' }), 400, 'invalid_email');
  expectError(await bad({ zones: ['ITA'] }), 400, 'invalid_zones');
  expectError(await bad({ zones: ['1T'] }), 400, 'invalid_zones');
  expectError(await bad({ zones: 'IT' }), 400, 'invalid_field');
  expectError(await bad({ auto_cc: 'yes' }), 400, 'invalid_field');
  expectError(await bad({ country: 'Italy' }), 400, 'invalid_country');
  expectError(await postJson(server, M, '/network/members', '{"name":'), 400, 'malformed_json');

  // Routing follows the network: an Italian request now goes to Lorenzo.
  const r1 = await newRequest(L);
  assert.deepEqual(r1.conversations.map((c) => c.seller.name), ['Marta Iglesias', 'Lorenzo Bianchi']);
  assert.ok(await inboxRow(lorenzo, r1.id));

  // Partial updates: only the fields present change.
  const up1 = await postJson(server, M, `/network/members/${lid}`, { auto_cc: true });
  assert.equal(up1.status, 200, up1.text);
  assert.deepEqual(up1.json.zones, ['IT', 'SM']);
  assert.equal(up1.json.auto_cc, true);
  const up2 = await postJson(server, M, `/network/members/${lid}`, { zones: ['sm'] });
  assert.deepEqual(up2.json.zones, ['SM']);
  assert.equal(up2.json.auto_cc, true);
  assert.equal(up2.json.user.name, 'Lorenzo Bianchi');
  const listed = (await getJson(server, M, '/network')).json.members.find((m) => m.user.id === lid);
  assert.deepEqual(listed.zones, ['SM']);
  assert.equal(listed.auto_cc, true);
  expectError(await postJson(server, M, `/network/members/${lid}`, { zones: ['x1'] }), 400, 'invalid_zones');
  expectError(await postJson(server, M, `/network/members/${lid}`, { zones: 5 }), 400, 'invalid_field');
  expectError(await postJson(server, M, `/network/members/${lid}`, { auto_cc: 'on' }), 400, 'invalid_field');
  expectError(await postJson(server, M, `/network/members/${lid}`, '[]'), 400, 'invalid_field');
  expectError(await postJson(server, M, `/network/members/${lid}`, '{'), 400, 'malformed_json');
  expectError(await postJson(server, M, '/network/members/999999', { auto_cc: true }), 404, 'not_found');
  expectError(await postJson(server, M, `/network/members/${id('L')}`, { auto_cc: true }), 404, 'not_found');
  expectError(await postJson(server, M, '/network/members/abc', { auto_cc: true }), 404, 'not_found');
  // Now Italy is nobody's zone again; Lorenzo, auto-CC, gets a copy of what is routed.
  const r2 = await newRequest(L);
  assert.equal(r2.conversations.length, 1);
  const r3 = await newRequest(P);
  const m3 = await detail(M, r3.id);
  assert.ok(m3.conversations[0].participants.some((p) => p.user.id === lid && p.via === 'auto_cc'));

  // Only the manufacturer manages the network.
  for (const [who, cookie] of [['Claire', C], ['Tomás', T], ['buyer', P], ['Lorenzo', lorenzo]]) {
    expectError(await getJson(server, cookie, '/network'), 403, 'forbidden', who);
    expectError(await postJson(server, cookie, '/network/members', { ...input, email: `y${Math.random()}@e.example` }), 403, 'forbidden', who);
    expectError(await postJson(server, cookie, `/network/members/${lid}`, { auto_cc: false }), 403, 'forbidden', who);
    expectError(await call(server, `/api/v1/network/members/${lid}`, { cookie, method: 'DELETE' }), 403, 'forbidden', who);
  }
  expectError(await getJson(server, undefined, '/network'), 401, 'unauthorized');

  // Remove: 204, then gone (404); what they already handle stays theirs.
  const del = await call(server, `/api/v1/network/members/${lid}`, { cookie: M, method: 'DELETE' });
  assert.equal(del.status, 204);
  expectError(await call(server, `/api/v1/network/members/${lid}`, { cookie: M, method: 'DELETE' }), 404, 'not_found');
  expectError(await postJson(server, M, `/network/members/${lid}`, { auto_cc: true }), 404, 'not_found');
  assert.ok(!(await getJson(server, M, '/network')).json.members.some((m) => m.user.id === lid));
  assert.ok(await inboxRow(lorenzo, r1.id));
  const r4 = await newRequest(P);
  assert.ok(!(await detail(M, r4.id)).conversations[0].participants.some((p) => p.user.id === lid), 'no more copies');

  // Methods.
  const g = await getJson(server, M, '/network/members');
  expectError(g, 405, 'method_not_allowed');
  assert.equal(g.headers.get('allow'), 'POST');
  const put = await call(server, '/api/v1/network/members/5', { cookie: M, method: 'PUT', body: '{}' });
  expectError(put, 405, 'method_not_allowed');
  assert.equal(put.headers.get('allow'), 'POST, DELETE');
  const pn = await postJson(server, M, '/network', {});
  expectError(pn, 405, 'method_not_allowed');
  assert.equal(pn.headers.get('allow'), 'GET');
  expectError(await call(server, '/api/v1/network/members/', { cookie: M, method: 'DELETE' }), 404, 'not_found');
});

test('contacts: the seller side\'s colleagues and network, never the buyers', async () => {
  const m = await getJson(server, M, '/contacts');
  assert.equal(m.status, 200, m.text);
  const names = m.json.users.map((x) => x.name);
  for (const n of ['Tomás Navarro', 'Claire Martin', 'Jonas Weber']) assert.ok(names.includes(n), n);
  assert.ok(!names.includes('Marta Iglesias'), 'not oneself');
  assert.ok(m.json.users.every((x) => x.role !== 'buyer'));
  assert.ok(!m.text.includes('@'), 'no addresses');
  const c = (await getJson(server, C, '/contacts')).json.users.map((x) => x.name);
  assert.ok(c.includes('Marta Iglesias') && c.includes('Tomás Navarro') && c.includes('Jonas Weber'));
  assert.ok(!c.includes('Claire Martin'));
  expectError(await getJson(server, P, '/contacts'), 403, 'forbidden');
  expectError(await getJson(server, undefined, '/contacts'), 401, 'unauthorized');
  expectError(await postJson(server, M, '/contacts', {}), 405, 'method_not_allowed');
});

test('seller score on the sellers\' inbox, not the buyer\'s', async () => {
  for (const cookie of [M, T, C, J]) {
    const s = (await getJson(server, cookie, '/requests')).json.score;
    assert.ok(s, 'score present');
    assert.ok(s.received >= 1);
    assert.ok(s.counted <= s.received && s.answered_in_time <= s.counted);
    if (s.counted > 0) assert.equal(s.response_rate, Math.round((100 * s.answered_in_time) / s.counted));
  }
  const inbox = (await getJson(server, P, '/requests')).json;
  assert.ok(!('score' in inbox) || inbox.score === null);
  assert.equal(typeof inbox.to_answer, 'number');
});

test('every action endpoint: wrong method 405 with Allow, signed out 401', async () => {
  for (const a of ['messages', 'read', 'phone', 'cc', 'forward', 'decline', 'close', 'rating']) {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const r = await call(server, `/api/v1/requests/1/${a}`, { cookie: M, method });
      expectError(r, 405, 'method_not_allowed', `${method} ${a}`);
      assert.equal(r.headers.get('allow'), 'POST');
    }
    expectError(await postJson(server, undefined, `/requests/1/${a}`, {}, { 'idempotency-key': 'k' }), 401, 'unauthorized', a);
    expectError(await postJson(server, M, `/requests/999999/${a}`, {}, { 'idempotency-key': newKey() }), 404, 'not_found', a);
    expectError(await postJson(server, M, `/requests/abc/${a}`, {}, { 'idempotency-key': newKey() }), 404, 'not_found', a);
  }
});
