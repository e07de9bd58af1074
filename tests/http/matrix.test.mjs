// THE VISIBILITY MATRIX: every role × every resource and action, against the real server,
// asserted against an explicit table written from the spec (FEATURES.md "Visibility
// rights", docs/API.md, server/domain/policy.h) — never computed from the server's answers.
//
// The scenario, built through the API on a fresh request of Pierre Dubois (FR):
//   - it is routed to Claire Martin (distributor A, zone FR): conversation DA;
//   - Marta Iglesias (manufacturer) has the received conversation M; her designated
//     auto-CC person (Ana Copia, added to the network for this test) is copied on it;
//   - Marta forwards it to Tomás Navarro (area manager): conversation AM of his own;
//   - each of the three seller parties puts an address in copy (cc-*) and forwards it to
//     an address (fwd-*): those guests join that party's conversation;
//   - the buyer writes to each party, each party answers; Marta reveals the phone;
//     the buyer reads the answers in M and DA (not AM).
//   In the shared scenario, also: Tomás closes AM (won), Claire declines DA, the buyer
//   rates M. Destructive actions (decline, close, rate) are tried on a fresh scenario
//   per role and action, so that every row is judged on the same state.
//
// Roles that cannot be made through the API: a manufacturer of another organisation
// (there is no sign-up). The "unrelated seller" is therefore a seller-side user not on
// this request: a guest put in copy of another request; distributor B (Jonas Weber,
// zones DE AT CH) is the same organisation's distributor not on this request.
//
// E-mail delivery status: the server sends through an SMTP sink that rejects
// the buyer's address (550), so every seller-side answer's mail to the buyer fails for
// good: its deliveries are read by its author only, its "delivery_failed" event reaches
// that conversation's seller side only, and only the author may retry it.
//
// Expected answers: 404 when the request or conversation is not visible (no existence
// leak), 403 when visible but not allowed, 401 signed out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { startServer, signIn, postMessage, newKey, postJson, getJson, call, MAIL_AUTHSERV, authResults } from './server.mjs';
import { startSink, waitFor } from './smtp_sink.mjs';
import { ROWS, SEE_COLS, SEE, EVENT_COLS, EVENTS, ACTION_COLS, ACTIONS, DESTRUCTIVE_COLS, DESTRUCTIVE, DOC_COLS, DOCS, SEARCH_COLS, SEARCH, JUMP_COLS, ALL_COLS }
  from './matrix_tables.mjs';

let server, sink;
const BUYER_MAIL = 'p.dubois@dubois-levage.fr';  // Pierre Dubois (server/domain/seed.cpp): rejected by the sink
const c = {}; // role key → cookie
const ids = {}; // name → user id
const stamp = Date.now();
const mail = (who) => `${who}.${stamp}@matrix.example`;
const GUESTS = { ccM: mail('cc-m'), fwdM: mail('fwd-m'), ccAM: mail('cc-am'), fwdAM: mail('fwd-am'),
  ccDA: mail('cc-da'), fwdDA: mail('fwd-da') };

// ------------------------------------------------------------------ the scenario

const ok = (r, status, what) => assert.equal(r.status, status, `${what}: ${r.text}`);
const say = (cookie, rid, body, conversation_id) =>
  postMessage(server, cookie, rid, conversation_id ? { body, conversation_id } : { body }, newKey());

let nScenario = 0;
async function build({ shared = false } = {}) {
  const n = ++nScenario;
  const r = await postJson(server, c.buyer, '/requests',
    { manufacturer_id: ids.maker, product: `Matrix valves #${n}`, message: `Matrix request ${n}` });
  ok(r, 201, 'new request');
  const rid = r.json.id;
  ok(await postJson(server, c.maker, `/requests/${rid}/forward`, { user_id: ids.area, note: 'Tomás, please' }), 200, 'forward to AM');
  ok(await postJson(server, c.maker, `/requests/${rid}/cc`, { email: GUESTS.ccM }), 200, 'cc by M');
  ok(await postJson(server, c.maker, `/requests/${rid}/forward`, { email: GUESTS.fwdM, note: 'fyi' }), 200, 'fwd by M');
  ok(await postJson(server, c.area, `/requests/${rid}/cc`, { email: GUESTS.ccAM }), 200, 'cc by AM');
  ok(await postJson(server, c.area, `/requests/${rid}/forward`, { email: GUESTS.fwdAM }), 200, 'fwd by AM');
  ok(await postJson(server, c.distA, `/requests/${rid}/cc`, { email: GUESTS.ccDA }), 200, 'cc by A');
  ok(await postJson(server, c.distA, `/requests/${rid}/forward`, { email: GUESTS.fwdDA }), 200, 'fwd by A');
  const d = (await getJson(server, c.buyer, `/requests/${rid}`)).json;
  const conv = {};
  for (const x of d.conversations) {
    if (x.seller.id === ids.maker) conv.M = x.id;
    if (x.seller.id === ids.area) conv.AM = x.id;
    if (x.seller.id === ids.distA) conv.DA = x.id;
  }
  assert.equal(d.conversations.length, 3, 'three conversations');
  assert.ok(conv.M && conv.AM && conv.DA);
  const secret = { M: `secret-M-${n}-${newKey()}`, AM: `secret-AM-${n}-${newKey()}`, DA: `secret-DA-${n}-${newKey()}` };
  for (const k of ['M', 'AM', 'DA']) ok(await say(c.buyer, rid, `buyer to ${k} ${n}`, conv[k]), 201, `buyer to ${k}`);
  const answers = {};
  for (const [k, who] of [['M', c.maker], ['AM', c.area], ['DA', c.distA]]) {
    const a = await say(who, rid, secret[k]);
    ok(a, 201, `${k} answers`);
    answers[k] = a.json.id;
  }
  ok(await postJson(server, c.maker, `/requests/${rid}/phone`), 200, 'phone');
  // The buyer displays everything in M and DA (not AM): up to the newest message of each.
  ok(await postJson(server, c.buyer, `/requests/${rid}/read`, { conversation_id: conv.M }), 204, 'read M');
  ok(await postJson(server, c.buyer, `/requests/${rid}/read`, { conversation_id: conv.DA }), 204, 'read DA');
  const docs = {};
  if (shared) {
    // Each party sends a quote in its conversation; M and DA post a PDF document.
    for (const [k, who] of [['M', c.maker], ['AM', c.area], ['DA', c.distA]]) {
      const q = await postJson(server, who, `/requests/${rid}/quotes`, matrixQuote(conv[k]));
      ok(q, 201, `quote by ${k}`);
      docs[`q${k}`] = q.json.id;
    }
    const pdf = Buffer.from(await (await fetch(`${server.base}/api/v1/quotes/${docs.qDA}/pdf`,
      { headers: { cookie: c.distA } })).arrayBuffer());
    for (const [k, who] of [['M', c.maker], ['DA', c.distA]]) {
      const up = await fetch(`${server.base}/api/v1/requests/${rid}/attachments?kind=quote&name=doc-${k}.pdf&conversation_id=${conv[k]}`,
        { method: 'POST', headers: { cookie: who }, body: pdf });
      assert.equal(up.status, 201, `upload by ${k}`);
      docs[`a${k}`] = (await up.json()).id;
      ok(await postMessage(server, who, rid, { body: `document of ${k}`, conversation_id: conv[k], attachments: [docs[`a${k}`]] },
        newKey()), 201, `document message of ${k}`);
    }
    ok(await postJson(server, c.area, `/requests/${rid}/close`, { outcome: 'won' }), 200, 'AM closes');
    ok(await postJson(server, c.distA, `/requests/${rid}/decline`, { reason: 'cannot_deliver' }), 200, 'A declines');
    ok(await postJson(server, c.buyer, `/requests/${rid}/rating`, { stars: 4, comment: 'ok' }), 200, 'buyer rates M');
    // Every seller-side mail to the buyer has failed for good (the sink rejects the address)
    // before the long-polls start: their "delivery_failed" events are in the scenario.
    for (const [k, who] of [['M', c.maker], ['AM', c.area], ['DA', c.distA]]) {
      docs[`delivery${k}`] = await waitFor(`${k}'s mails failed`, async () => {
        const d = (await getJson(server, who, `/requests/${rid}`)).json;
        const mine = d.messages.filter((m) => m.author_id === ids[{ M: 'maker', AM: 'area', DA: 'distA' }[k]]);
        const toBuyer = mine.flatMap((m) => m.deliveries.filter((x) => x.recipient_id === ids.buyer));
        if (toBuyer.length < mine.length || toBuyer.some((x) => x.status !== 'failed_permanent')) return null;
        return mine.find((m) => m.id === answers[k]).deliveries.find((x) => x.recipient_id === ids.buyer).id;
      });
    }
  }
  return { rid, n, conv, secret, docs, answers };
}

function matrixQuote(conversation_id) {
  return {
    conversation_id, currency: 'EUR', tax_bp: 2100, shipping: 0, incoterm: 'EXW', lead_time_days: 10,
    valid_until: Date.now() + 30 * 86400000, payment_terms: '', notes: '', online_payment: true,
    lines: [{ product: 'Matrix valve', reference: 'MV', quantity: 1000, unit: 'pcs', unit_price: 10000, discount_bp: 0 }],
  };
}

before(async () => {
  sink = await startSink();
  sink.reject(BUYER_MAIL);
  server = await startServer({ pollTimeout: 1, args: ['--smtp-url', sink.url, '--smtp-tls', 'none',
    '--mail-retry-base-ms', '200', '--inbound-secret', INBOUND_SECRET, '--relay-key', RELAY_KEY,
    '--mail-authserv-id', MAIL_AUTHSERV] });
  const sign = async (key, login) => {
    c[key] = (await signIn(login)).cookie;
    assert.ok(c[key], `${key} signed in`);
    ids[key] = (await getJson(server, c[key], '/me')).json.id;
  };
  await sign('buyer', server.login('Pierre Dubois'));
  await sign('maker', server.login('Marta Iglesias'));
  await sign('area', server.login('Tomás Navarro'));
  await sign('distA', server.login('Claire Martin'));
  await sign('distB', server.login('Jonas Weber'));
  await sign('otherBuyer', server.login('Javier Morales'));
  c.signedOut = undefined;

  // The designated auto-CC person: a new network member; Tomás stops being auto-CC so
  // that he only has the conversation forwarded to him.
  ok(await postJson(server, c.maker, `/network/members/${ids.area}`, { auto_cc: false }), 200, 'Tomás not auto-CC');
  const add = await postJson(server, c.maker, '/network/members',
    { name: 'Ana Copia', email: mail('ana.copia'), role: 'area_manager', zones: [], auto_cc: true });
  ok(add, 201, 'auto-CC member');
  await sign('autoCC', await server.newUserLink('Ana Copia'));

  // The unrelated seller: in copy of another request (Javier's), not of ours.
  const javier = (await getJson(server, c.otherBuyer, '/requests')).json.requests[0].id;
  ok(await postJson(server, c.maker, `/requests/${javier}/cc`, { email: mail('stranger') }), 200, 'stranger');
  await sign('stranger', await server.newUserLink(mail('stranger')));

  // A first scenario creates the guests (one sign-in link each, in the log).
  await build();
  for (const [key, email] of Object.entries(GUESTS)) await sign(key, await server.newUserLink(email));
  for (const [key] of ROWS) {
    if (key !== 'signedOut') assert.ok(c[key], `cookie for ${key}`);
  }
});
after(async () => {
  if (sink) await sink.stop();
  if (!server) return;
  const { code } = await server.stop();
  assert.equal(code, 0);
});

// ------------------------------------------------------------------ the checks

function eventMatchers(s) {
  const is = (kind, conv, pred = () => true) => (e) => e.kind === kind && e.conversation_id === s.conv[conv] && pred(e);
  return [
    is('routed', 'DA', (e) => e.target_id === ids.distA),
    is('cc_added', 'M', (e) => e.text === 'auto' && e.target_id === ids.autoCC),
    is('forwarded', 'AM', (e) => e.target_id === ids.area),
    is('cc_added', 'M', (e) => e.target_name === GUESTS.ccM),
    is('forwarded', 'M', (e) => e.target_name === GUESTS.fwdM),
    is('cc_added', 'AM', (e) => e.target_name === GUESTS.ccAM),
    is('forwarded', 'AM', (e) => e.target_name === GUESTS.fwdAM),
    is('cc_added', 'DA', (e) => e.target_name === GUESTS.ccDA),
    is('forwarded', 'DA', (e) => e.target_name === GUESTS.fwdDA),
    is('answered', 'M'),
    is('answered', 'AM'),
    is('answered', 'DA'),
    is('phone_revealed', 'M', (e) => e.actor_id === ids.maker),
    is('read', 'M', (e) => e.actor_id === ids.buyer),
    is('read', 'DA', (e) => e.actor_id === ids.buyer),
    is('sale_closed', 'AM'),
    is('declined', 'DA'),
    is('rated', 'M'),
    is('quote_sent', 'M'),
    is('quote_sent', 'AM'),
    is('quote_sent', 'DA'),
    ...[['M', 'maker'], ['AM', 'area'], ['DA', 'distA']].map(([k, who]) =>
      is('delivery_failed', k, (e) => e.actor_id === ids[who] && e.target_id === ids.buyer && e.text === 'address_rejected')),
  ];
}

test('visibility matrix: every role × every resource and action', async (t) => {
  // Self-check of the table's shape.
  for (const table of [SEE, EVENTS, ACTIONS, DESTRUCTIVE, DOCS, SEARCH]) assert.deepEqual(Object.keys(table), ROWS.map((r) => r[0]));
  for (const [key] of ROWS) {
    assert.equal(SEE[key].length, SEE_COLS.length, key);
    assert.equal(EVENTS[key].length, EVENT_COLS.length, key);
    assert.equal(ACTIONS[key].length, ACTION_COLS.length, key);
    assert.equal(DESTRUCTIVE[key].length, DESTRUCTIVE_COLS.length, key);
    assert.equal(DOCS[key].length, DOC_COLS.length, key);
    assert.equal(SEARCH[key].length, SEARCH_COLS.length, key);
  }
  const cells = ROWS.length * ALL_COLS.length;
  const size = `visibility matrix: ${ROWS.length} roles × ${ALL_COLS.length} actions = ${cells} cells`;
  console.log(size);
  t.diagnostic(size);
  let checked = 0;
  const failures = [];
  const cell = (row, col, actual, expected, extra = '') => {
    checked++;
    if (actual !== expected) failures.push(`${row} × ${col}: expected ${expected}, got ${actual}${extra ? ` (${extra})` : ''}`);
  };

  // --- what each role sees of the shared scenario
  const cursor0 = (await getJson(server, c.maker, '/requests')).json.cursor;
  const s = await build({ shared: true });
  const lastId = (await getJson(server, c.maker, '/requests')).json.cursor;
  const matchers = eventMatchers(s);
  const convName = Object.fromEntries(Object.entries(s.conv).map(([k, v]) => [v, k]));

  // Everyone's long-poll from before the scenario, in parallel (the outsiders time out).
  const polled = {};
  await Promise.all(ROWS.map(async ([key]) => {
    const events = [];
    let after = cursor0;
    for (let i = 0; i < 20; i++) {
      const r = await getJson(server, c[key], `/events?after=${after}`);
      if (r.status !== 200) { polled[key] = { status: r.status, events }; return; }
      events.push(...r.json.events.filter((e) => e.request_id === s.rid));
      after = r.json.cursor;
      if (r.json.events.length === 0 || after >= lastId) break;
    }
    polled[key] = { status: 200, events };
  }));

  for (const [key, label] of ROWS) {
    const [inbox, get, mM, mAM, mDA, phone, dM, dAM, dDA] = SEE[key];
    const visibleConvs = { M: mM, AM: mAM, DA: mDA };
    // inbox
    const ib = await getJson(server, c[key], '/requests');
    if (inbox === 401) cell(label, 'inbox', ib.status, 401);
    else {
      const listed = ib.status === 200 && ib.json.requests.some((x) => x.id === s.rid);
      cell(label, 'inbox', listed, inbox, ib.status === 200 ? '' : `status ${ib.status}`);
      for (const [k, v] of Object.entries(visibleConvs)) {
        if (!v && ib.text.includes(s.secret[k])) failures.push(`${label}: inbox leaks the ${k} conversation`);
      }
    }
    // request detail
    const d = await getJson(server, c[key], `/requests/${s.rid}`);
    cell(label, 'get', d.status, get);
    const detail = d.status === 200 ? d.json : { conversations: [], messages: [], events: [], phone: '' };
    const convsSeen = new Set(detail.conversations.map((x) => convName[x.id]));
    const msgsSeen = new Set(detail.messages.map((m) => convName[m.conversation_id]));
    for (const [k, col] of [['M', 'msgs M'], ['AM', 'msgs AM'], ['DA', 'msgs DA']]) {
      const expected = visibleConvs[k];
      cell(label, col, msgsSeen.has(k) && d.text.includes(s.secret[k]), expected);
      if (!expected && d.text.includes(s.secret[k])) failures.push(`${label}: detail leaks the ${k} conversation's text`);
      if (convsSeen.has(k) !== expected) failures.push(`${label}: conversation ${k} listed = ${convsSeen.has(k)}`);
    }
    if (key === 'buyer') {
      for (const x of detail.conversations) {
        if (x.participants.length) failures.push('buyer: sees who is in copy');
        if (x.decline_reason) failures.push('buyer: sees the seller-side decline text');
      }
    }
    cell(label, 'phone shown', Boolean(detail.phone), phone);
    // Deliveries: each party's answer's, and never anyone's but the reader's own messages'.
    for (const [k, col, expected] of [['M', 'deliv M', dM], ['AM', 'deliv AM', dAM], ['DA', 'deliv DA', dDA]]) {
      const m = detail.messages.find((x) => x.id === s.answers[k]);
      cell(label, col, Boolean(m && (m.deliveries || []).some((x) => x.recipient_name === 'Pierre Dubois' &&
        x.status === 'failed_permanent' && x.error_kind === 'address_rejected')), expected);
    }
    for (const m of detail.messages) {
      if ((m.deliveries || []).length && m.author_id !== ids[key]) failures.push(`${label}: sees deliveries of someone else's message`);
    }
    if (d.text.includes(BUYER_MAIL) || d.text.includes('to_address')) failures.push(`${label}: detail shows an address`);
    // events: in the detail, and through the long-poll
    const ev = polled[key];
    if (key === 'signedOut') assert.equal(ev.status, 401);
    matchers.forEach((match, i) => {
      const expected = EVENTS[key][i];
      const inDetail = detail.events.some(match);
      const inPoll = ev.events.some(match);
      // Both channels must agree: the detail's history and the live events.
      const actual = inDetail === inPoll ? inDetail : `detail ${inDetail}, long-poll ${inPoll}`;
      cell(label, `event ${EVENT_COLS[i]}`, actual, expected);
    });
    // No message event of a conversation they may not see; no event at all for outsiders.
    for (const e of ev.events) {
      if (e.kind === 'message' && !visibleConvs[convName[e.conversation_id]]) {
        failures.push(`${label}: long-poll leaks a message event of ${convName[e.conversation_id]}`);
      }
    }
    if (get !== 200 && ev.events.length) failures.push(`${label}: long-poll leaks ${ev.events.length} events`);
    if (get === 200) {
      const unexpected = detail.events.filter((e) => !matchers.some((m) => m(e)));
      if (unexpected.length) failures.push(`${label}: unexpected events ${unexpected.map((e) => e.kind)}`);
    }
    // a jump window around each answer: it is there exactly where the answer is visible
    for (const [i, k] of ['M', 'AM', 'DA'].entries()) {
      const r = await getJson(server, c[key], `/requests/${s.rid}/history?around=${s.answers[k]}`);
      const found = r.status === 200 && r.json.messages.some((m) => m.id === s.answers[k]);
      cell(label, JUMP_COLS[i], found, get === 200 && visibleConvs[k], `status ${r.status}`);
      if (![200, 401, 404].includes(r.status)) failures.push(`${label}: a jump to ${k} answered ${r.status}`);
      for (const [k2, v] of Object.entries(visibleConvs)) {
        if (!v && r.text.includes(s.secret[k2])) failures.push(`${label}: a jump window leaks the ${k2} conversation`);
      }
    }
    // search: the request by its product; each answer by its secret words
    const queries = [`Matrix valves #${s.n}`, s.secret.M, s.secret.AM, s.secret.DA];
    for (let i = 0; i < SEARCH_COLS.length; i++) {
      const r = await getJson(server, c[key], `/requests?q=${encodeURIComponent(queries[i])}`);
      const expected = SEARCH[key][i];
      if (expected === 401) { cell(label, SEARCH_COLS[i], r.status, 401); continue; }
      const row = r.status === 200 ? r.json.requests.find((x) => x.id === s.rid) : undefined;
      const found = i === 0 ? Boolean(row) : Boolean(row && row.match_message_id === s.answers[['M', 'AM', 'DA'][i - 1]]);
      cell(label, SEARCH_COLS[i], found, expected, r.status === 200 ? '' : `status ${r.status}`);
      for (const k of ['M', 'AM', 'DA'])
        if (!visibleConvs[k] && r.status === 200 && JSON.stringify(r.json.requests).includes(s.secret[k])) failures.push(`${label}: search leaks the ${k} conversation`);
    }
  }

  // --- actions on the shared scenario
  const buyerPhone = (await getJson(server, c.buyer, `/requests/${s.rid}`)).json.phone;
  for (const [key, label] of ROWS) {
    const cookie = c[key];
    const rid = s.rid;
    const tag = `${key}-${newKey()}`;
    const attempts = [
      () => postJson(server, cookie, `/requests/${rid}/phone`),
      () => postJson(server, cookie, `/requests/${rid}/cc`, { email: `cc-${tag}@matrix.example` }),
      () => postJson(server, cookie, `/requests/${rid}/forward`, { email: `fw-${tag}@matrix.example`, note: 'n' }),
      () => say(cookie, rid, `reply by ${tag}`),
      () => say(cookie, rid, `reply M by ${tag}`, s.conv.M),
      () => say(cookie, rid, `reply AM by ${tag}`, s.conv.AM),
      () => say(cookie, rid, `reply DA by ${tag}`, s.conv.DA),
      () => postJson(server, cookie, `/requests/${rid}/cc`, { email: `ccda-${tag}@matrix.example`, conversation_id: s.conv.DA }),
      () => postJson(server, cookie, `/requests/${rid}/read`, {}),
      () => postJson(server, cookie, `/requests/${rid}/read`, { conversation_id: s.conv.DA }),
      () => postJson(server, cookie, `/deliveries/${s.docs.deliveryM}/retry`),
      () => postJson(server, cookie, `/deliveries/${s.docs.deliveryDA}/retry`),
    ];
    for (let i = 0; i < attempts.length; i++) {
      const r = await attempts[i]();
      cell(label, ACTION_COLS[i], r.status, ACTIONS[key][i], r.status >= 400 ? r.json?.error?.code : '');
      if (r.status >= 400 && r.json?.error?.code !== { 401: 'unauthorized', 403: 'forbidden', 404: 'not_found' }[r.status]) {
        failures.push(`${label} × ${ACTION_COLS[i]}: error code ${r.json?.error?.code}`);
      }
      if (ACTION_COLS[i] === 'phone' && r.status === 200 && r.json.phone !== buyerPhone) failures.push(`${label}: wrong phone`);
      if (ACTION_COLS[i].startsWith('reply') && r.status === 201) {
        const target = { 'reply→M': 'M', 'reply→AM': 'AM', 'reply→DA': 'DA' }[ACTION_COLS[i]];
        if (target && r.json.conversation_id !== s.conv[target]) failures.push(`${label}: reply went elsewhere`);
      }
    }
  }

  // --- documents and quotes on the shared scenario (read-only first, then open, quote, pay)
  for (const [key, label] of ROWS) {
    const cookie = c[key];
    const d = s.docs;
    const get = async (path) => {
      const r = await fetch(`${server.base}/api/v1${path}`, { headers: cookie ? { cookie } : {} });
      await r.arrayBuffer();
      return { status: r.status, type: r.headers.get('content-type') };
    };
    const attempts = [
      () => get(`/quotes/${d.qM}`), () => get(`/quotes/${d.qAM}`), () => get(`/quotes/${d.qDA}`),
      () => get(`/quotes/${d.qDA}/pdf`), () => get(`/attachments/${d.aM}`), () => get(`/attachments/${d.aDA}`),
      () => get(`/attachments/${d.aDA}/pages`),
      () => postJson(server, cookie, `/quotes/${d.qDA}/open`),
      () => postJson(server, cookie, `/requests/${s.rid}/quotes`, matrixQuote(s.conv.M)),
      () => postJson(server, cookie, `/quotes/${d.qDA}/pay`, {}),
    ];
    for (let i = 0; i < attempts.length; i++) {
      const r = await attempts[i]();
      cell(label, DOC_COLS[i], r.status, DOCS[key][i], r.json?.error?.code || '');
      if (DOC_COLS[i] === 'pdf DA' && r.status === 200 && r.type !== 'application/pdf') failures.push(`${label}: pdf type ${r.type}`);
    }
  }

  // --- destructive actions, each on a fresh scenario
  for (const [key, label] of ROWS) {
    const cookie = c[key];
    for (let i = 0; i < DESTRUCTIVE_COLS.length; i++) {
      const f = await build();
      const before = await getJson(server, cookie, `/requests/${f.rid}`);
      const body = [
        { reason: 'not_my_product' }, { outcome: 'won' }, { stars: 5, comment: 'great' },
        { reason: 'not_my_product', conversation_id: f.conv.DA }, { stars: 2, conversation_id: f.conv.DA },
      ][i];
      const path = ['decline', 'close', 'rating', 'decline', 'rating'][i];
      const r = await postJson(server, cookie, `/requests/${f.rid}/${path}`, body);
      const expected = DESTRUCTIVE[key][i];
      cell(label, DESTRUCTIVE_COLS[i], r.status, expected, r.status >= 400 ? r.json?.error?.code : '');
      // The permissions the client is given agree with what the server then allows.
      if (before.status === 200 && i < 3) {
        const can = before.json.can[['decline', 'close', 'rate'][i]];
        if (can !== (expected === 200)) failures.push(`${label}: can.${['decline', 'close', 'rate'][i]} = ${can}`);
      }
      if (r.status === 200) {
        const target = i >= 3 ? f.conv.DA : before.json.my_conversation;
        const conv = r.json.conversations.find((x) => x.id === target);
        const want = [['status', 'declined'], ['status', 'won'], ['stars', 5], ['status', 'declined'], ['stars', 2]][i];
        const got = want[0] === 'stars' ? conv?.rating?.stars : conv?.status;
        if (got !== want[1]) failures.push(`${label} × ${DESTRUCTIVE_COLS[i]}: ${want[0]} ${got}`);
      }
    }
  }

  t.diagnostic(`visibility matrix: ${checked} cells checked, ${failures.length} failed`);
  assert.equal(checked, cells, 'every cell checked once');
  assert.deepEqual(failures, [], `visibility matrix failures:\n${failures.join('\n')}`);
});

// The original of a message posted by e-mail: GET /messages/{id}/original has
// the visibility of the message; the buyer wrote one by mail in each conversation. Only
// the buyer (its author) sees their real address in it; every seller sees the relay one.
const INBOUND_SECRET = 'matrix-inbound-secret';
const RELAY_KEY = '4d'.repeat(32);  // a known key: the test makes the buyer's relay addresses itself
const ORIGINAL_COLS = ['original M', 'original AM', 'original DA'];
const ORIGINAL = {
  //          origM origAM origDA
  buyer:      [200, 200, 200],
  maker:      [200, 404, 404],
  area:       [404, 200, 404],
  distA:      [404, 404, 200],
  distB:      [404, 404, 404],
  ccM:        [200, 404, 404],
  ccAM:       [404, 200, 404],
  ccDA:       [404, 404, 200],
  fwdM:       [200, 404, 404],
  fwdAM:      [404, 200, 404],
  fwdDA:      [404, 404, 200],
  autoCC:     [200, 404, 404],
  stranger:   [404, 404, 404],
  otherBuyer: [404, 404, 404],
  signedOut:  [401, 401, 401],
};

// r+<token>@… as server/mail/relay.cpp makes it: base32(conversation ‖ user ‖ HMAC[0..10)).
function relayAddress(conversation, user) {
  const ids = Buffer.alloc(10);
  ids.writeUIntBE(conversation, 0, 5);
  ids.writeUIntBE(user, 5, 5);
  const mac = createHmac('sha256', Buffer.from(RELAY_KEY, 'hex')).update('parley-relay-v1').update(ids).digest();
  const bytes = Buffer.concat([ids, mac.subarray(0, 10)]);
  const abc = 'abcdefghijklmnopqrstuvwxyz234567';
  let bits = 0; let buf = 0; let out = '';
  for (const b of bytes) {
    buf = (buf << 8) | b; bits += 8;
    while (bits >= 5) { out += abc[(buf >>> (bits - 5)) & 31]; bits -= 5; }
    buf &= 0xff;
  }
  return `r+${out}@relay.matrix.example`;
}

test('visibility matrix: the original e-mail of a message', async () => {
  assert.deepEqual(Object.keys(ORIGINAL), ROWS.map((r) => r[0]));
  const s = await build();
  const sent = {};
  for (const k of ['M', 'AM', 'DA']) {
    const text = `by mail to ${k} ${newKey()}`;
    const raw = [authResults(BUYER_MAIL), `From: Pierre Dubois <${BUYER_MAIL}>`, `To: ${relayAddress(s.conv[k], ids.buyer)}`,
      `Subject: Re: ${k}`, `Message-ID: <${newKey()}@dubois.example>`, 'Content-Type: text/plain; charset=utf-8', '',
      text, `Pierre Dubois, ${BUYER_MAIL}`, ''].join('\r\n');
    const r = await call(server, '/api/v1/mail/inbound', { method: 'POST', body: raw,
      headers: { authorization: `Bearer ${INBOUND_SECRET}` } });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.conversation_id, s.conv[k]);
    sent[k] = r.json.message_id;
  }
  const failures = [];
  for (const [key, label] of ROWS) {
    for (const [i, k] of ['M', 'AM', 'DA'].entries()) {
      const r = await call(server, `/api/v1/messages/${sent[k]}/original`, { cookie: c[key] });
      const expected = ORIGINAL[key][i];
      if (r.status !== expected) failures.push(`${label} × ${ORIGINAL_COLS[i]}: expected ${expected}, got ${r.status}`);
      if (r.status !== 200) continue;
      const hasReal = r.text.includes(BUYER_MAIL);
      if (key === 'buyer' ? !hasReal : hasReal) failures.push(`${label} × ${ORIGINAL_COLS[i]}: real address shown = ${hasReal}`);
      // Nobody else sees any relay address: it would let them reply as the buyer.
      const relay = relayAddress(s.conv[k], ids.buyer).split('@')[0];
      if (key !== 'buyer' && r.text.includes(relay)) failures.push(`${label}: the buyer's relay address is shown`);
      if (key !== 'buyer' && !r.text.includes('From: Pierre Dubois <address-hidden@'))
        failures.push(`${label}: the From does not show the hidden address`);
    }
  }
  assert.deepEqual(failures, [], `original-mail matrix failures:\n${failures.join('\n')}`);
});

test('visibility matrix: guessing ids finds nothing', async () => {
  // Conversation ids of the request that the outsiders may not see, with every action.
  const s = await build();
  for (const key of ['distB', 'stranger', 'otherBuyer']) {
    for (const conv of Object.values(s.conv)) {
      for (const [path, body] of [
        ['messages', { body: 'x', conversation_id: conv }], ['read', { conversation_id: conv }],
        ['cc', { email: 'g@matrix.example', conversation_id: conv }], ['decline', { reason: 'other', text: 't', conversation_id: conv }],
        ['close', { outcome: 'lost', conversation_id: conv }], ['rating', { stars: 1, conversation_id: conv }],
      ]) {
        const r = await postJson(server, c[key], `/requests/${s.rid}/${path}`, body, { 'idempotency-key': newKey() });
        assert.equal(r.status, 404, `${key} ${path} ${conv}`);
      }
    }
  }
  // Hidden and missing look the same, byte for byte.
  const hidden = await getJson(server, c.distB, `/requests/${s.rid}`);
  const missing = await getJson(server, c.distB, '/requests/99999999');
  assert.equal(hidden.text, missing.text);
  // A conversation id that belongs to another request is not a way in either.
  const other = await build();
  const r = await say(c.maker, s.rid, 'cross', other.conv.M);
  assert.equal(r.status, 404);
});
