// Online payment with the Stripe-compatible provider: Parley creates Checkout
// Sessions on a local stand-in of the Stripe API (tests/http/stripe_standin.mjs), and this
// test plays Stripe's webhooks: a valid signed event pays once, a redelivered event
// changes nothing, forged, stale, malformed and mismatched calls get 400.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, call, postJson, getJson, expectError } from './server.mjs';
import { startStripeStandin, completedEvent, signature } from './stripe_standin.mjs';

const KEY = 'sk_test_parley_standin';
const SECRET = 'whsec_parley_test_secret';
const HOOK = '/api/v1/payments/stripe/webhook';
const DAY = 24 * 3600 * 1000;
let server;
let stripe;
const u = {};

before(async () => {
  stripe = await startStripeStandin({ apiKey: KEY });
  server = await startServer({
    pollTimeout: 2,
    args: ['--payment-provider', 'stripe', '--stripe-api-key', KEY, '--stripe-base-url', stripe.url,
      '--stripe-webhook-secret', SECRET],
  });
  for (const [k, name] of Object.entries({ M: 'Marta Iglesias', R: 'Rahul Mehta' })) {
    const { cookie } = await signIn(server.login(name));
    assert.ok(cookie, name);
    u[k] = cookie;
  }
});
after(async () => {
  if (server) assert.equal((await server.stop()).code, 0);
  if (stripe) await stripe.close();
});

async function acceptedQuote() {
  const q = await postJson(server, u.M, '/requests/20/quotes', {
    currency: 'EUR', tax_bp: 2100, shipping: 1000, incoterm: 'FCA', lead_time_days: 10,
    valid_until: Date.now() + 30 * DAY, online_payment: true,
    lines: [{ product: 'Valve V-10', quantity: 3000, unit: 'pcs', unit_price: 4999 }],
  });
  assert.equal(q.status, 201, q.text);
  const a = await postJson(server, u.R, `/quotes/${q.json.id}/accept`, { name: 'Rahul Mehta', version: 1 });
  assert.equal(a.status, 200, a.text);
  return a.json;
}

// Pays through Parley: returns the stand-in's record of the session it created.
async function checkout(q) {
  const before = stripe.sessions.length;
  const r = await postJson(server, u.R, `/quotes/${q.id}/pay`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.provider, 'stripe');
  assert.equal(stripe.sessions.length, before + 1);
  const s = stripe.sessions.at(-1);
  assert.equal(r.json.checkout_url, s.url);
  return s;
}

function hook(body, sig) {
  const headers = { 'content-type': 'application/json' };
  if (sig !== undefined) headers['stripe-signature'] = sig;
  return call(server, HOOK, { method: 'POST', body, headers });
}

const status = async (id) => (await getJson(server, u.R, `/quotes/${id}`)).json;
const paidEvents = async (cookie, q) => (await getJson(server, cookie, '/requests/20')).json.events
  .filter((e) => e.kind === 'quote_paid' && e.text === q.number);

test('Parley creates a Checkout Session with the quote total, URLs and metadata', async () => {
  const q = await acceptedQuote();
  const s = await checkout(q);
  const call0 = stripe.calls.at(-1);
  assert.equal(call0.authorization, `Bearer ${KEY}`);
  assert.match(call0.contentType, /^application\/x-www-form-urlencoded/);
  const f = s.form;
  assert.equal(f.mode, 'payment');
  assert.equal(f['line_items[0][price_data][currency]'], 'eur');
  assert.equal(Number(f['line_items[0][price_data][unit_amount]']), q.totals.total);
  assert.ok(f['line_items[0][price_data][product_data][name]'].includes(`${q.number} v1`));
  assert.equal(f['line_items[0][quantity]'], '1');
  assert.equal(f.success_url, `${server.base}/requests/20?quote=${q.id}&paid=1`);
  assert.equal(f.cancel_url, `${server.base}/requests/20?quote=${q.id}`);
  assert.equal(f.client_reference_id, String(q.id));
  assert.equal(f['metadata[quote_id]'], String(q.id));
  assert.equal(f['metadata[quote_version]'], '1');
  // Nothing is paid until Stripe says so.
  assert.equal((await status(q.id)).status, 'accepted');
  // The provider failing → 502, nothing changes; the buyer can try again.
  stripe.failNext = true;
  expectError(await postJson(server, u.R, `/quotes/${q.id}/pay`), 502, 'payment_provider_error');
  assert.equal((await status(q.id)).status, 'accepted');
  await checkout(q);
});

test('a signed checkout.session.completed pays once; the same event again changes nothing', async () => {
  const q = await acceptedQuote();
  const s = await checkout(q);
  const event = completedEvent(s);
  const body = JSON.stringify(event);
  const ok = await hook(body, signature(SECRET, body));
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.received, true);
  const paid = await status(q.id);
  assert.equal(paid.status, 'paid');
  assert.equal(paid.paid_provider, 'stripe');
  assert.equal(paid.paid_reference, event.data.object.payment_intent);
  assert.ok(paid.paid_at > 0);
  for (const who of [u.R, u.M]) assert.equal((await paidEvents(who, q)).length, 1);

  // Redelivered (Stripe retries): 200, no second event, nothing changes.
  const again = await hook(body, signature(SECRET, body));
  assert.equal(again.status, 200, again.text);
  assert.equal(again.json.paid, false);
  for (const who of [u.R, u.M]) assert.equal((await paidEvents(who, q)).length, 1);
  assert.equal((await status(q.id)).paid_at, paid.paid_at);
  expectError(await postJson(server, u.R, `/quotes/${q.id}/pay`), 409, 'already_paid');
});

test('forged, stale, unsigned and malformed webhooks are refused with 400', async () => {
  const q = await acceptedQuote();
  const s = await checkout(q);
  const body = JSON.stringify(completedEvent(s));
  const now = Math.floor(Date.now() / 1000);
  expectError(await hook(body, signature('whsec_forged', body)), 400, 'invalid_signature', 'forged');
  expectError(await hook(body, signature(SECRET, `${body} `)), 400, 'invalid_signature', 'other body');
  expectError(await hook(body, signature(SECRET, body, now - 600)), 400, 'invalid_signature', 'old');
  expectError(await hook(body, signature(SECRET, body, now + 600)), 400, 'invalid_signature', 'future');
  expectError(await hook(body), 400, 'invalid_signature', 'unsigned');
  expectError(await hook(body, 'garbage'), 400, 'invalid_signature', 'garbage header');
  expectError(await hook('{not json', signature(SECRET, '{not json')), 400, 'malformed_webhook', 'bad JSON');
  const get = await call(server, HOOK);
  assert.equal(get.status, 405);
  assert.equal((await status(q.id)).status, 'accepted');
  assert.equal((await paidEvents(u.R, q)).length, 0);

  // Authentic but not a completed payment: acknowledged, ignored.
  const pending = JSON.stringify(completedEvent(s, { paymentStatus: 'unpaid' }));
  const ack = await hook(pending, signature(SECRET, pending));
  assert.equal(ack.status, 200, ack.text);
  const other = JSON.stringify({ id: 'evt_other_1', type: 'customer.created', data: { object: {} } });
  assert.equal((await hook(other, signature(SECRET, other))).status, 200);
  assert.equal((await status(q.id)).status, 'accepted');

  // A valid signature at the edge of the tolerance still works.
  const edge = await hook(body, signature(SECRET, body, now - 290));
  assert.equal(edge.status, 200, edge.text);
  assert.equal((await status(q.id)).status, 'paid');
});

test('amount or currency not matching the quote: 400, not paid', async () => {
  const q = await acceptedQuote();
  const s = await checkout(q);
  const wrongAmount = JSON.stringify(completedEvent(s, { amount: q.totals.total - 1 }));
  expectError(await hook(wrongAmount, signature(SECRET, wrongAmount)), 400, 'payment_rejected', 'amount');
  const wrongCurrency = JSON.stringify(completedEvent(s, { currency: 'usd' }));
  expectError(await hook(wrongCurrency, signature(SECRET, wrongCurrency)), 400, 'payment_rejected', 'currency');
  // A session Parley never created for this quote.
  const foreign = JSON.stringify(completedEvent({ ...s, id: 'cs_test_foreign' }));
  expectError(await hook(foreign, signature(SECRET, foreign)), 400, 'payment_rejected', 'foreign session');
  assert.equal((await status(q.id)).status, 'accepted');
  assert.equal((await paidEvents(u.M, q)).length, 0);
  // The log line is written by another thread: give it a moment to arrive.
  for (let i = 0; i < 40 && !/payments: rejected stripe event .* does not match/.test(server.stderr); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.match(server.stderr, /payments: rejected stripe event .* does not match/);
});
