// Leads into the seller's CRM over HTTP, against the real server and a real receiver:
// a manufacturer sets up an outgoing webhook (a URL and a generated secret) and an Odoo
// connection (tests/http/odoo_standin.mjs speaks Odoo's JSON-RPC). Checked: who may set
// them up; new requests and events arrive signed (timestamp + HMAC-SHA256 of "t.body",
// checked here in constant time as docs/API.md tells receivers); what the manufacturer's
// receiver gets is what she sees — never the text of a distributor's conversation; a
// receiver that fails gets the same delivery again with backoff, and the log says so;
// "Send a test event"; the Odoo lead is created once, then updated (phone once revealed,
// stage, relay address instead of the buyer's e-mail).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import crypto from 'node:crypto';
import { startServer, signIn, stopCleanly, call, getJson, postJson, postMessage, newKey, expectError }
  from './server.mjs';
import { startOdooStandin } from './odoo_standin.mjs';

let server, receiver, odoo, hole;
const holeSockets = [];  // a receiver that accepts and never answers
const u = {};
const ids = {};
const got = [];           // every POST the receiver heard: { headers, body, json }
const answers = [];       // statuses to answer next (then 200)

function startReceiver() {
  return new Promise((resolve) => {
    const s = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c) => { body += c; });
      req.on('end', () => {
        let json;
        try { json = JSON.parse(body); } catch { json = undefined; }
        got.push({ headers: req.headers, body, json });
        res.writeHead(answers.length ? answers.shift() : 200, { 'content-type': 'text/plain' });
        res.end('ok');
      });
    });
    s.listen(0, '127.0.0.1', () => resolve(s));
  });
}

// What a receiver does: the signature header's t and v1, HMAC-SHA256(secret, `${t}.${body}`)
// compared in constant time, and t recent.
function verify(secret, header, body) {
  const parts = Object.fromEntries(String(header).split(',').map((p) => p.split('=')));
  const expected = crypto.createHmac('sha256', secret).update(`${parts.t}.${body}`).digest('hex');
  const a = Buffer.from(expected), b = Buffer.from(parts.v1 || '');
  return a.length === b.length && crypto.timingSafeEqual(a, b) && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

const put = (cookie, kind, body) => call(server, `/api/v1/integrations/${kind}`, {
  cookie, method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
});

async function until(what, check, ms = 15000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const byType = (type, rid) => got.filter((g) => g.json?.type === type && (!rid || g.json.request?.id === rid));

before(async () => {
  receiver = await startReceiver();
  odoo = await startOdooStandin({ database: 'crm', login: 'sales@maker.test', apiKey: 'odoo-key-1' });
  hole = net.createServer((sock) => holeSockets.push(sock));
  await new Promise((r) => hole.listen(0, '127.0.0.1', r));
  server = await startServer({ args: ['--crm-retry', '1', '--crm-allow-private'] });
  const who = { M: 'Marta Iglesias', C: 'Claire Martin', P: 'Pierre Dubois', T: 'Tomás Navarro' };
  for (const [k, name] of Object.entries(who)) {
    u[k] = (await signIn(server.login(name))).cookie;
    ids[k] = (await getJson(server, u[k], '/me')).json.id;
  }
});
after(async () => {
  for (const sock of holeSockets) sock.destroy();  // hung tries end now, not at their timeout
  hole?.close();
  await stopCleanly(server);
  receiver?.close();
  await odoo?.close();
});

test('only a manufacturer sets up integrations; bad input is refused and changes nothing', async () => {
  for (const k of ['C', 'P', 'T']) {
    expectError(await getJson(server, u[k], '/integrations'), 403, 'forbidden', k);
    expectError(await put(u[k], 'webhook', { url: 'https://example.com/hook' }), 403, 'forbidden', k);
  }
  expectError(await call(server, '/api/v1/integrations'), 401, 'unauthorized');
  const empty = await getJson(server, u.M, '/integrations');
  assert.equal(empty.status, 200, empty.text);
  assert.equal(empty.json.has_webhook, false);
  for (const url of ['ftp://example.com/x', 'example.com/hook', 'https://user:pw@example.com/', 'https://', 'https://a b.com/'])
    expectError(await put(u.M, 'webhook', { url }), 400, 'invalid_field', url);
  expectError(await put(u.M, 'webhook', { url: 42 }), 400, 'invalid_field');
  expectError(await call(server, '/api/v1/integrations/webhook', { cookie: u.M, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"url":' }), 400, 'malformed_json');
  expectError(await put(u.M, 'salesforce', { url: 'https://example.com' }), 404, 'not_found');
  expectError(await put(u.M, 'odoo', { url: odoo.url, database: 'crm', login: '' , api_key: 'k' }), 400, 'invalid_field');
  assert.equal((await getJson(server, u.M, '/integrations')).json.has_webhook, false);
});

let secret, rid;

test('a new request and its events reach the webhook signed; a distributor\'s conversation text never does', async () => {
  const r = await put(u.M, 'webhook', { url: `http://127.0.0.1:${receiver.address().port}/parley`, enabled: true });
  assert.equal(r.status, 200, r.text);
  secret = r.json.webhook.secret;
  assert.match(secret, /^whsec_[A-Za-z0-9_-]{43}$/);
  // Pierre (FR) asks: routed to Claire (France); Claire answers in her conversation with a
  // word only she and Pierre may read; Pierre answers her; Marta writes in her own.
  const created = await postJson(server, u.P, '/requests', { manufacturer_id: ids.M, product: 'Vérins CRM-7',
    message: 'Bonjour, 12 vérins CRM-7 ?' });
  assert.equal(created.status, 201, created.text);
  rid = created.json.id;
  // (The buyer sees both conversations; Marta only her own.)
  const claireConv = created.json.conversations.find((c) => c.seller.name === 'Claire Martin')?.id;
  assert.ok(claireConv);
  assert.equal((await postMessage(server, u.C, rid, { body: 'Prix confidentiel CLAIRE-SECRET-91' }, newKey())).status, 201);
  assert.equal((await postMessage(server, u.P, rid, { body: 'Merci Claire BUYER-TO-CLAIRE-42', conversation_id: claireConv },
    newKey())).status, 201);
  assert.equal((await postMessage(server, u.M, rid, { body: 'Marta: MARTA-VISIBLE-7' }, newKey())).status, 201);

  const createdHook = await until('request.created', () => byType('request.created', rid)[0]);
  assert.equal(createdHook.json.schema, 1);
  assert.equal(createdHook.json.request.product, 'Vérins CRM-7');
  assert.equal(createdHook.json.request.buyer.name, 'Pierre Dubois');
  assert.equal(createdHook.json.request.buyer.phone, undefined, 'the phone only once revealed');
  assert.ok(!JSON.stringify(createdHook.json).includes('dubois-levage.fr'), 'never the buyer\'s own address');
  assert.match(createdHook.json.request.url, new RegExp(`/requests/${rid}$`));
  await until('routed', () => byType('request.routed', rid)[0]);
  const mine = await until('Marta\'s message', () =>
    byType('message.created', rid).find((g) => g.json.message.text.includes('MARTA-VISIBLE-7')));
  assert.equal(mine.json.message.author.name, 'Marta Iglesias');
  assert.equal(mine.headers['parley-event'], 'message.created');
  // Every delivery: signed with the secret, the event in a header, JSON.
  for (const g of got) {
    assert.ok(verify(secret, g.headers['parley-signature'], g.body), `signature of ${g.json?.type}`);
    assert.ok(!verify('whsec_wrong', g.headers['parley-signature'], g.body));
    assert.match(g.headers['content-type'], /^application\/json/);
    assert.ok(Number(g.headers['parley-delivery']) > 0);
  }
  // Claire's answer is a milestone Marta sees ("answered"), without its text.
  await until('answered', () => byType('request.answered', rid)[0]);
  await new Promise((r) => setTimeout(r, 3000));  // anything late would have come by now
  const all = got.map((g) => g.body).join('\n');
  assert.ok(!all.includes('CLAIRE-SECRET-91'), 'the distributor\'s text');
  assert.ok(!all.includes('BUYER-TO-CLAIRE-42'), 'the buyer\'s text to the distributor');
  // One delivery per event: the ids are unique.
  const eventIds = got.map((g) => g.json.id);
  assert.equal(new Set(eventIds).size, eventIds.length, eventIds.join(' '));
});

// parley_crm_deliveries_total{kind="webhook",outcome} from /metrics (this machine may scrape).
async function webhookTries() {
  const text = (await call(server, '/metrics')).text;
  const n = (o) => Number((text.match(new RegExp(`^parley_crm_deliveries_total\\{kind="webhook",outcome="${o}"\\} (\\d+)$`, 'm')) || [])[1]);
  return { delivered: n('delivered'), retry: n('retry'), failed: n('failed') };
}

test('a failing receiver gets the same delivery again with backoff; the log shows each step', async () => {
  const counted = await webhookTries();
  assert.ok(Number.isInteger(counted.retry) && counted.delivered >= 1, JSON.stringify(counted));
  const before = got.length;
  answers.push(500, 503);
  assert.equal((await postMessage(server, u.M, rid, { body: 'second try RETRY-ME-3' }, newKey())).status, 201);
  const tries = await until('three tries', () => {
    const t = got.slice(before).filter((g) => g.body.includes('RETRY-ME-3'));
    return t.length >= 3 ? t : null;
  }, 20000);
  assert.equal(new Set(tries.map((t) => t.headers['parley-delivery'])).size, 1, 'the same delivery');
  assert.equal(new Set(tries.map((t) => t.body)).size, 1, 'the same body');
  const log = await until('delivered in the log', async () => {
    const l = (await getJson(server, u.M, '/integrations')).json.webhook_log;
    const row = l.find((d) => d.id === Number(tries[0].headers['parley-delivery']));
    return row?.status === 'delivered' ? row : null;
  });
  assert.equal(log.attempts, 3);
  assert.equal(log.type, 'message.created');
  assert.equal(log.last_code, 200);
  // The operators' counters moved: two tries to be retried, at least this one delivered.
  const now = await webhookTries();
  assert.equal(now.retry - counted.retry, 2, JSON.stringify([counted, now]));
  assert.ok(now.delivered - counted.delivered >= 1, JSON.stringify([counted, now]));
  assert.equal(now.failed, counted.failed);
});

test('"Send a test event" posts a signed ping; a new secret signs what follows', async () => {
  const r = await postJson(server, u.M, '/integrations/webhook/test', {});
  assert.equal(r.status, 202, r.text);
  const ping = await until('ping', () => byType('ping')[0]);
  assert.ok(verify(secret, ping.headers['parley-signature'], ping.body));
  const n = await postJson(server, u.M, '/integrations/webhook/secret', {});
  assert.equal(n.status, 200, n.text);
  assert.notEqual(n.json.webhook.secret, secret);
  await postJson(server, u.M, '/integrations/webhook/test', {});
  const second = await until('second ping', () => byType('ping')[1]);
  assert.ok(verify(n.json.webhook.secret, second.headers['parley-signature'], second.body));
  assert.ok(!verify(secret, second.headers['parley-signature'], second.body), 'the old secret no longer signs');
  secret = n.json.webhook.secret;
  // A page of the log, and a delivery that is not mine cannot be retried.
  const page = await getJson(server, u.M, '/integrations/webhook/deliveries');
  assert.equal(page.status, 200, page.text);
  assert.ok(page.json.deliveries.length >= 5);
  expectError(await postJson(server, u.C, `/integrations/deliveries/${page.json.deliveries[0].id}/retry`, {}), 403, 'forbidden');
  expectError(await postJson(server, u.M, `/integrations/deliveries/${page.json.deliveries[0].id}/retry`, {}), 409, 'not_failed');
});

test('Odoo: the request becomes one lead, updated as it moves (phone once revealed, stage), relay address only', async () => {
  const r = await put(u.M, 'odoo', { url: odoo.url, database: 'crm', login: 'sales@maker.test', api_key: 'odoo-key-1' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.odoo.has_key, true);
  assert.ok(!r.text.includes('odoo-key-1'), 'the API key is never sent back');
  // Meanwhile the webhook's receiver hangs (accepts, never answers: 10 s per try): the
  // Odoo deliveries do not wait behind it.
  assert.equal((await put(u.M, 'webhook', { url: `http://127.0.0.1:${hole.address().port}/hang` })).status, 200);
  // A new request from Pierre: one lead, stage New, the relay address.
  const created = await postJson(server, u.P, '/requests', { manufacturer_id: ids.M, product: 'Pompe ODOO-1',
    message: 'Une pompe <b>ODOO-1</b> ?' });
  assert.equal(created.status, 201, created.text);
  const id2 = created.json.id;
  const lead = await until('the lead, beside a hanging webhook', () => odoo.leads().find((l) => l.name === 'Pompe ODOO-1'),
    7000);
  assert.ok(holeSockets.length >= 1, 'the webhook was being tried meanwhile');
  assert.equal(lead.partner_name, 'Dubois Levage SARL');
  assert.equal(lead.contact_name, 'Pierre Dubois');
  assert.ok(!lead.phone, 'not revealed yet');
  assert.ok(!String(lead.email_from || '').includes('dubois-levage.fr'));
  assert.equal(lead.referred, `parley:request:${id2}`);
  assert.ok(String(lead.description).includes('&lt;b&gt;ODOO-1'), 'the text escaped into Odoo\'s HTML field');
  // Marta reveals the phone and answers: the same lead, updated.
  assert.equal((await postJson(server, u.M, `/requests/${id2}/phone`, {})).status, 200);
  assert.equal((await postMessage(server, u.M, id2, { body: 'Oui, voici notre offre.' }, newKey())).status, 201);
  const updated = await until('phone and stage', () => {
    const l = odoo.leads().find((x) => x.referred === `parley:request:${id2}`);
    return l && l.phone && l.stage_id === 2 ? l : null;
  });
  assert.equal(updated.id, lead.id, 'updated, not created again');
  assert.equal(odoo.leads().filter((l) => l.referred === `parley:request:${id2}`).length, 1);
  // Wrong key: the log says the delivery failed, not retried forever.
  const bad = await put(u.M, 'odoo', { url: odoo.url, database: 'crm', login: 'sales@maker.test', api_key: 'wrong' });
  assert.equal(bad.status, 200, bad.text);
  await postJson(server, u.M, '/integrations/odoo/test', {});
  const row = await until('the failed test', async () => {
    const l = (await getJson(server, u.M, '/integrations')).json.odoo_log;
    return l.find((d) => d.type === 'ping' && d.status === 'failed');
  });
  assert.ok(row.last_error.length > 0);
  // Claire's view of the integrations: none, and Marta's stay hers.
  expectError(await call(server, '/api/v1/integrations/odoo', { cookie: u.C, method: 'DELETE' }), 403, 'forbidden');
  const del = await call(server, '/api/v1/integrations/odoo', { cookie: u.M, method: 'DELETE' });
  assert.equal(del.status, 200, del.text);
  assert.equal(del.json.has_odoo, false);
});
