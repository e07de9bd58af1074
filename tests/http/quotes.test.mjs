// Structured quotes against the real server with the demo data: numbering,
// validation, who may send/see/open/accept, live events, versions and refusals.
//
// Request 20: Rahul Mehta (buyer) and Marta Iglesias (manufacturer, her own conversation).
// Request 8: Camille Laurent (buyer), routed to Claire Martin (distributor); Marta keeps
// her own conversation there and must not see Claire's quotes; Jonas Weber (another
// distributor) and Pierre Dubois (another buyer) see nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, waitForEvent, stopCleanly, call, postJson, getJson, expectError } from './server.mjs';

let server;
const u = {};
const DAY = 24 * 3600 * 1000;
const YEAR = new Date().getUTCFullYear();

before(async () => { server = await startSignedIn({
    M: 'Marta Iglesias', C: 'Claire Martin', J: 'Jonas Weber', B: 'Camille Laurent', P: 'Pierre Dubois',
    R: 'Rahul Mehta',
  }, u); });
after(() => stopCleanly(server));

function quote(extra = {}) {
  return {
    currency: 'EUR',
    lines: [
      { product: 'Gear pump P-200', reference: 'P200', quantity: 2000, unit: 'pcs', unit_price: 125000, discount_bp: 1000 },
      { product: 'Hose 1/2"', quantity: 2500, unit: 'm', unit_price: 1999 },
    ],
    tax_bp: 2100,
    shipping: 5000,
    incoterm: 'EXW',
    lead_time_days: 15,
    valid_until: Date.now() + 30 * DAY,
    payment_terms: '30 days net',
    notes: 'Prices for the quantities above.',
    online_payment: false,
    ...extra,
  };
}

const cursorOf = async (cookie) => (await getJson(server, cookie, '/requests')).json.cursor;

let first;  // Marta's first quote on request 20

test('the seller sends quotes: 201, numbers in sequence, totals computed by the server', async () => {
  const body = quote({ id: 77, number: 'Q-2000-0099', status: 'accepted', version: 9, totals: { total: 1 } });
  const r = await postJson(server, u.M, '/requests/20/quotes', body);
  assert.equal(r.status, 201, r.text);
  first = r.json;
  assert.equal(first.number, `Q-${YEAR}-0001`);
  assert.equal(first.version, 1);
  assert.equal(first.status, 'sent');
  assert.equal(first.supersedes, 0);
  assert.notEqual(first.id, 77);
  assert.equal(first.request_id, 20);
  // 2 × 1250.00 − 10 % = 2250.00; 2.5 × 19.99 = 49.975 → 49.98; + 50.00 shipping;
  // VAT 21 % of 2349.98 = 493.4958 → 493.50
  assert.equal(first.totals.subtotal, 229998);
  assert.equal(first.totals.tax, 49350);
  assert.equal(first.totals.total, 229998 + 5000 + 49350);

  const second = await postJson(server, u.M, '/requests/20/quotes', quote());
  assert.equal(second.status, 201, second.text);
  assert.equal(second.json.number, `Q-${YEAR}-0002`);

  // Both sides see them in the request detail, newest first, with the event.
  for (const who of [u.M, u.R]) {
    const d = await getJson(server, who, '/requests/20');
    assert.equal(d.status, 200);
    assert.deepEqual(d.json.quotes.map((q) => q.number), [`Q-${YEAR}-0002`, `Q-${YEAR}-0001`]);
    assert.ok(d.json.events.some((e) => e.kind === 'quote_sent' && e.text === `Q-${YEAR}-0001`));
  }
});

test('invalid quotes get 400 listing the fields; malformed JSON 400', async () => {
  const bad = quote({ currency: 'ZZZ', lines: [{ product: 'X', quantity: 0, unit_price: 100 }] });
  const r = await postJson(server, u.M, '/requests/20/quotes', bad);
  expectError(r, 400, 'invalid_quote');
  assert.match(r.json.error.message, /lines\[0\]\.quantity: /);
  assert.match(r.json.error.message, /currency: /);
  expectError(await postJson(server, u.M, '/requests/20/quotes', '{"lines": ['), 400, 'malformed_json');
  expectError(await postJson(server, u.M, '/requests/20/quotes', '{"lines": "x"}'), 400, 'invalid_field');
  expectError(await postJson(server, u.M, `/quotes/${first.id}/accept`, '{oops'), 403, 'forbidden');
  expectError(await postJson(server, u.R, `/quotes/${first.id}/accept`, '{oops'), 400, 'malformed_json');
  expectError(await postJson(server, u.M, `/quotes/${first.id}/revise`, 'nope'), 400, 'malformed_json');
});

test('visibility: the buyer cannot send; other parties do not see', async () => {
  expectError(await postJson(server, u.R, '/requests/20/quotes', quote()), 403, 'forbidden', 'buyer');
  expectError(await postJson(server, u.B, '/requests/20/quotes', quote()), 404, 'not_found', 'other buyer');
  expectError(await postJson(server, u.J, '/requests/8/quotes', quote()), 404, 'not_found', 'other distributor');

  // Claire's quote in her conversation on request 8.
  const c = await postJson(server, u.C, '/requests/8/quotes', quote());
  assert.equal(c.status, 201, c.text);
  // Numbering is per seller: Claire starts at 1.
  assert.equal(c.json.number, `Q-${YEAR}-0001`);
  const qid = c.json.id;
  assert.equal((await getJson(server, u.C, `/quotes/${qid}`)).status, 200);
  assert.equal((await getJson(server, u.B, `/quotes/${qid}`)).status, 200);
  for (const [who, name] of [[u.J, 'Jonas'], [u.P, 'Pierre'], [u.M, 'Marta'], [u.R, 'Rahul']]) {
    expectError(await getJson(server, who, `/quotes/${qid}`), 404, 'not_found', name);
    expectError(await postJson(server, who, `/quotes/${qid}/open`, ''), 404, 'not_found', name);
  }
  // Marta does not see Claire's quote in her detail of request 8; Camille does.
  const dm = await getJson(server, u.M, '/requests/8');
  assert.ok(!dm.json.quotes.some((q) => q.id === qid));
  assert.ok(!dm.json.events.some((e) => e.kind === 'quote_sent'));
  const db = await getJson(server, u.B, '/requests/8');
  assert.ok(db.json.quotes.some((q) => q.id === qid));
  expectError(await getJson(server, u.M, '/quotes/999999'), 404, 'not_found');
  expectError(await getJson(server, u.M, '/quotes/abc'), 404, 'not_found');
  const wrong = await call(server, `/api/v1/quotes/${qid}/accept`, { cookie: u.B });
  assert.equal(wrong.status, 405);
});

test('opening: the seller reading does not count; the buyer opening is seen live, once', async () => {
  const g = await getJson(server, u.M, `/quotes/${first.id}`);
  assert.equal(g.status, 200);
  assert.equal(g.json.status, 'sent');
  expectError(await postJson(server, u.M, `/quotes/${first.id}/open`, ''), 403, 'forbidden');
  assert.equal((await getJson(server, u.R, `/quotes/${first.id}`)).json.status, 'sent');

  const cursor = await cursorOf(u.M);
  const waiting = waitForEvent(server, u.M, cursor, 'quote_opened');
  await new Promise((r) => setTimeout(r, 200));
  const o = await postJson(server, u.R, `/quotes/${first.id}/open`, '');
  assert.equal(o.status, 204, o.text);
  const ev = await waiting;
  assert.ok(ev, 'quote_opened reached the seller');
  assert.equal(ev.request_id, 20);
  assert.equal(ev.text, first.number);
  assert.equal((await postJson(server, u.R, `/quotes/${first.id}/open`, '')).status, 204);
  const q = await getJson(server, u.M, `/quotes/${first.id}`);
  assert.equal(q.json.status, 'opened');
  assert.ok(q.json.opened_at > 0);
  const d = await getJson(server, u.M, '/requests/20');
  assert.equal(d.json.events.filter((e) => e.kind === 'quote_opened' && e.text === first.number).length, 1);
});

test('revision before acceptance supersedes; acceptance checks the version; accepted is final', async () => {
  const rev = await postJson(server, u.M, `/quotes/${first.id}/revise`, quote({ shipping: 0 }));
  assert.equal(rev.status, 201, rev.text);
  const v2 = rev.json;
  assert.equal(v2.number, first.number);
  assert.equal(v2.version, 2);
  assert.equal(v2.supersedes, first.id);
  assert.equal(v2.status, 'sent');
  assert.equal(v2.totals.shipping, 0);
  assert.equal((await getJson(server, u.R, `/quotes/${first.id}`)).json.status, 'superseded');
  expectError(await postJson(server, u.R, `/requests/20/quotes`, quote()), 403, 'forbidden');
  expectError(await postJson(server, u.R, `/quotes/${first.id}/revise`, quote()), 403, 'forbidden');
  expectError(await postJson(server, u.M, `/quotes/${first.id}/revise`, quote()), 409, 'quote_superseded');
  const d = await getJson(server, u.R, '/requests/20');
  assert.ok(d.json.events.some((e) => e.kind === 'quote_superseded' && e.value === 1));
  assert.ok(d.json.events.some((e) => e.kind === 'quote_sent' && e.value === 2));

  // Wrong version, missing name, seller accepting, old version.
  expectError(await postJson(server, u.R, `/quotes/${v2.id}/accept`, { name: 'Rahul Mehta', version: 1 }),
    409, 'stale_version');
  expectError(await postJson(server, u.R, `/quotes/${v2.id}/accept`, { name: ' ', version: 2 }), 400, 'name_required');
  expectError(await postJson(server, u.M, `/quotes/${v2.id}/accept`, { name: 'Marta', version: 2 }), 403, 'forbidden');
  expectError(await postJson(server, u.R, `/quotes/${first.id}/accept`, { name: 'Rahul Mehta', version: 2 }),
    409, 'quote_superseded');

  const cursor = await cursorOf(u.M);
  const waiting = waitForEvent(server, u.M, cursor, 'quote_accepted');
  await new Promise((r) => setTimeout(r, 200));
  const a = await postJson(server, u.R, `/quotes/${v2.id}/accept`, { name: 'Rahul Mehta', version: 2 });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.status, 'accepted');
  assert.equal(a.json.accepted_by_name, 'Rahul Mehta');
  assert.ok(a.json.accepted_at > 0);
  assert.ok(a.json.opened_at > 0, 'accepting a sent quote opens it');
  const ev = await waiting;
  assert.ok(ev, 'quote_accepted reached the seller');
  assert.equal(ev.text, 'Rahul Mehta');
  assert.equal(ev.value, 2);

  expectError(await postJson(server, u.R, `/quotes/${v2.id}/accept`, { name: 'Rahul Mehta', version: 2 }),
    409, 'already_accepted');
  expectError(await postJson(server, u.M, `/quotes/${v2.id}/revise`, quote()), 409, 'quote_accepted');
  const after = await getJson(server, u.M, '/requests/20');
  const shown = after.json.quotes.find((q) => q.id === v2.id);
  assert.equal(shown.status, 'accepted');
  assert.equal(shown.accepted_by_name, 'Rahul Mehta');
});
