// Online payment with the demo provider against the real server: accept → pay →
// the test-mode checkout page → declined card (nothing changes) → 4242 card → 303 to the
// success URL, quote paid once, quote_paid seen live and in the history by both sides;
// the refusals of POST /quotes/{id}/pay.
//
// Request 20: Rahul Mehta (buyer) and Marta Iglesias (manufacturer). Pierre Dubois is
// another buyer who must not see anything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, waitForEvent, stopCleanly, call, postJson, getJson, expectError } from './server.mjs';

let server;
const u = {};
const DAY = 24 * 3600 * 1000;

before(async () => { server = await startSignedIn({ M: 'Marta Iglesias', R: 'Rahul Mehta', P: 'Pierre Dubois' }, u); });
after(() => stopCleanly(server));

function quote(extra = {}) {
  return {
    currency: 'EUR',
    lines: [{ product: 'Gear pump <P-200> & "seal"', reference: 'P200', quantity: 2000, unit: 'pcs', unit_price: 125000 }],
    tax_bp: 2100, shipping: 5000, incoterm: 'EXW', lead_time_days: 15,
    valid_until: Date.now() + 30 * DAY, payment_terms: 'Prepayment', online_payment: true, ...extra,
  };
}

async function sentQuote(extra) {
  const r = await postJson(server, u.M, '/requests/20/quotes', quote(extra));
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function accepted(extra) {
  const q = await sentQuote(extra);
  const a = await postJson(server, u.R, `/quotes/${q.id}/accept`, { name: 'Rahul Mehta', version: q.version });
  assert.equal(a.status, 200, a.text);
  return a.json;
}

const pay = (cookie, id) => postJson(server, cookie, `/quotes/${id}/pay`);
const form = (url, card) => fetch(url, {
  method: 'POST', redirect: 'manual',
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ card }).toString(),
});
const paidEvents = async (cookie) => (await getJson(server, cookie, '/requests/20')).json.events
  .filter((e) => e.kind === 'quote_paid');

test('pay refusals: before acceptance 409, seller 403, stranger 404, offline quote 409', async () => {
  const q = await sentQuote();
  expectError(await pay(u.R, q.id), 409, 'not_accepted', 'sent');
  expectError(await pay(u.M, q.id), 403, 'forbidden', 'seller');
  expectError(await pay(u.P, q.id), 404, 'not_found', 'stranger');
  expectError(await pay(u.R, 987654), 404, 'not_found', 'unknown');
  expectError(await pay(u.R, 'abc'), 404, 'not_found', 'bad id');
  expectError(await call(server, `/api/v1/quotes/${q.id}/pay`, { method: 'POST' }), 401, 'unauthorized');
  const get = await call(server, `/api/v1/quotes/${q.id}/pay`, { cookie: u.R });
  assert.equal(get.status, 405);
  const offline = await accepted({ online_payment: false });
  expectError(await pay(u.R, offline.id), 409, 'online_payment_disabled');
  // The demo provider has no webhook.
  const hook = await call(server, '/api/v1/payments/stripe/webhook', { method: 'POST', body: '{}' });
  assert.equal(hook.status, 404, hook.text);
});

test('demo checkout: test mode page, declined card, approved card, paid once', async () => {
  const q = await accepted();
  const total = q.totals.total;
  const r = await pay(u.R, q.id);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.provider, 'demo');
  assert.ok(r.json.checkout_url.startsWith(`${server.base}/pay/demo/demo_`), r.json.checkout_url);
  const url = r.json.checkout_url;
  const sid = url.split('/').pop();

  // The page (no Parley cookie needed: it stands for a third-party site).
  const page = await call(server, new URL(url).pathname);
  assert.equal(page.status, 200, page.text);
  assert.match(page.headers.get('content-type'), /^text\/html/);
  assert.match(page.text, /TEST MODE/);
  assert.ok(page.text.includes(q.number), 'quote number on the page');
  const amount = `€${(total / 100).toLocaleString('en-US', { minimumFractionDigits: 2 })}`;
  assert.ok(page.text.includes(amount), `amount ${amount} on the page`);
  assert.match(page.text, /Marta Iglesias/);
  assert.match(page.text, /name="card"/);
  assert.ok(page.text.includes(`href="${server.base}/requests/20?quote=${q.id}"`), 'cancel link');
  assert.match(page.headers.get('content-security-policy') || '', /default-src 'none'/);
  assert.equal(page.headers.get('cache-control'), 'no-store');

  // Declined: the page says so in red, nothing changes.
  const declined = await form(url, '4000 0000 0000 0002');
  const declinedText = await declined.text();
  assert.equal(declined.status, 402);
  assert.match(declinedText, /class="error"[^>]*>Your card was declined/);
  assert.match(declinedText, /TEST MODE/);
  assert.equal((await getJson(server, u.R, `/quotes/${q.id}`)).json.status, 'accepted');
  // Invalid numbers: a clear error; markup typed into the field comes back escaped.
  const invalid = await form(url, '4242 4242 4242 4241');
  const invalidText = await invalid.text();
  assert.equal(invalid.status, 400);
  assert.match(invalidText, /not valid/);
  const markup = await form(url, '"><script>x</script>');
  const markupText = await markup.text();
  assert.equal(markup.status, 400);
  assert.ok(!markupText.includes('<script>x'), 'typed markup is escaped');
  assert.ok(markupText.includes('&lt;script&gt;'), 'typed markup shown escaped');
  assert.equal((await paidEvents(u.R)).length, 0);

  // Approved: 303 to the success URL, paid, quote_paid live to the seller.
  const cursor = (await getJson(server, u.M, '/requests')).json.cursor;
  const waiting = waitForEvent(server, u.M, cursor, 'quote_paid');
  const ok = await form(url, '4242 4242 4242 4242');
  await ok.arrayBuffer();
  assert.equal(ok.status, 303);
  assert.equal(ok.headers.get('location'), `${server.base}/requests/20?quote=${q.id}&paid=1`);
  const ev = await waiting;
  assert.ok(ev, 'quote_paid reached the seller live');
  assert.equal(ev.text, q.number);
  assert.equal(ev.value, q.version);

  const shown = (await getJson(server, u.M, `/quotes/${q.id}`)).json;
  assert.equal(shown.status, 'paid');
  assert.equal(shown.paid_provider, 'demo');
  assert.ok(shown.paid_at > 0);
  assert.match(shown.paid_reference, /^demo_pi_/);
  assert.ok(!shown.paid_reference.includes(sid), 'the reference does not reveal the session');
  for (const who of [u.R, u.M]) {
    const evs = await paidEvents(who);
    assert.equal(evs.length, 1);
    assert.equal(evs[0].text, q.number);
  }
  const detail = (await getJson(server, u.R, '/requests/20')).json;
  assert.equal(detail.quotes.find((x) => x.id === q.id).status, 'paid');
  expectError(await getJson(server, u.P, '/requests/20'), 404, 'not_found');

  // Posting again: same redirect, no second event; paying again is refused.
  const again = await form(url, '4242424242424242');
  await again.arrayBuffer();
  assert.equal(again.status, 303);
  for (const who of [u.R, u.M]) assert.equal((await paidEvents(who)).length, 1);
  expectError(await pay(u.R, q.id), 409, 'already_paid');
  const after = await call(server, new URL(url).pathname);
  assert.equal(after.status, 200);
  assert.match(after.text, /has been paid/);
  // Session ids are secrets: never in the request log.
  assert.ok(!server.stderr.includes(sid), 'session id kept out of the log');
});

test('demo checkout: unknown sessions 404, other methods 405', async () => {
  for (const path of ['/pay/demo/demo_nope', '/pay/demo/', '/pay/demo/%3Cb%3E']) {
    const r = await call(server, path);
    assert.equal(r.status, 404, path);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.ok(!r.text.includes('<b>'), path);
  }
  const post = await form(`${server.base}/pay/demo/demo_nope`, '4242424242424242');
  assert.equal(post.status, 404);
  const put = await call(server, '/pay/demo/demo_nope', { method: 'PUT', body: 'x' });
  assert.equal(put.status, 405);
});
