// Cross-site requests and framing: a page of another origin (another port of the same
// host is "same-site" to a browser) cannot make a signed-in seller forward a request,
// add a network member or sign out; the page itself can. JSON endpoints take only JSON;
// every answer forbids framing and sniffing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startSignedIn, stopCleanly, call, getJson, postJson, postMessage, newKey } from './server.mjs';

let server;
const u = {};
before(async () => { server = await startSignedIn({ M: 'Marta Iglesias', S: 'Stefan Müller' }, u); });
after(async () => { await stopCleanly(server); });

// What a browser sends for a page at another port of the same host, and for the page itself.
const foreign = () => ({ origin: `http://127.0.0.1:${server.port + 1}`, 'sec-fetch-site': 'same-site' });
const own = () => ({ origin: server.base, 'sec-fetch-site': 'same-origin' });
const sibling = { origin: 'http://blog.127.0.0.1.nip.example', 'sec-fetch-site': 'cross-site' };

const members = async () => (await getJson(server, u.M, '/network')).json.members.length;
const forwards = async (rid) => (await getJson(server, u.M, `/requests/${rid}`)).json.events
  .filter((e) => e.kind === 'forwarded').length;

test('forward, add a member, sign out: refused from another origin, nothing changes', async () => {
  const rid = (await getJson(server, u.M, '/requests')).json.requests[0].id;
  const before = { members: await members(), forwards: await forwards(rid) };
  for (const headers of [foreign(), sibling, { origin: 'null' }, { 'sec-fetch-site': 'same-site' }]) {
    const fwd = await postJson(server, u.M, `/requests/${rid}/forward`, { email: `outsider.${newKey()}@evil.example` }, headers);
    assert.equal(fwd.status, 403, fwd.text);
    assert.equal(fwd.json.error.code, 'cross_site');
    const add = await postJson(server, u.M, '/network/members', {
      name: 'Eve', company: 'Evil', email: `eve.${newKey()}@evil.example`, country: 'ES', language: 'es',
      role: 'distributor', zones: ['ES'], auto_cc: false }, headers);
    assert.equal(add.status, 403, add.text);
    const out = await postJson(server, u.M, '/logout', undefined, headers);
    assert.equal(out.status, 403, out.text);
  }
  assert.equal((await getJson(server, u.M, '/me')).status, 200, 'still signed in');
  assert.equal(await members(), before.members, 'no member added');
  assert.equal(await forwards(rid), before.forwards, 'not forwarded');
});

test('the same requests from the page itself (and from programs without Origin) are accepted', async () => {
  const rid = (await getJson(server, u.M, '/requests')).json.requests[0].id;
  const fwd = await postJson(server, u.M, `/requests/${rid}/forward`, { email: `broker.${newKey()}@example.test` }, own());
  assert.equal(fwd.status, 200, fwd.text);
  const add = await postJson(server, u.M, '/network/members', {
    name: 'Lorenzo Bianchi', company: 'Idraulica Italia', email: `lorenzo.${newKey()}@idraulica.example`,
    country: 'it', language: 'it', role: 'distributor', zones: ['IT'], auto_cc: false }, { origin: server.base });
  assert.equal(add.status, 201, add.text);
  const msg = await postMessage(server, u.S, rid, { body: 'from a script' }, newKey());
  assert.equal(msg.status, 201, msg.text);
  const out = await postJson(server, u.S, '/logout', undefined, own());
  assert.equal(out.status, 204, out.text);
  assert.match(out.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, 'a 204 too');
  assert.equal((await getJson(server, u.S, '/me')).status, 401, 'signed out');
});

test('JSON endpoints refuse text/plain and form bodies (415, JSON), even without Origin', async () => {
  const rid = (await getJson(server, u.M, '/requests')).json.requests[0].id;
  for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
    const r = await call(server, `/api/v1/requests/${rid}/forward`, {
      cookie: u.M, method: 'POST', body: JSON.stringify({ email: `plain.${newKey()}@evil.example` }),
      headers: type ? { 'content-type': type } : {} });
    // fetch labels a string body text/plain when no type is given.
    assert.equal(r.status, 415, `${type}: ${r.text}`);
    assert.equal(r.json.error.code, 'unsupported_media_type');
  }
});

test('forms (demo checkout, development mailbox) are refused from another origin', async () => {
  const formHeaders = (h) => ({ ...h, 'content-type': 'application/x-www-form-urlencoded' });
  const checkout = await call(server, '/pay/demo/demo_nosuchsession', {
    method: 'POST', body: 'outcome=paid', headers: formHeaders(foreign()) });
  assert.equal(checkout.status, 403);
  assert.match(checkout.headers.get('content-type'), /^text\/html/);
  const reply = await call(server, '/dev/mailbox/1/reply', {
    cookie: u.M, method: 'POST', body: 'text=hijack', headers: formHeaders(foreign()) });
  assert.equal(reply.status, 403);
  // From the pages themselves the handlers answer (here: no such session / mail).
  const own1 = await call(server, '/pay/demo/demo_nosuchsession', {
    method: 'POST', body: 'outcome=paid', headers: formHeaders(own()) });
  assert.notEqual(own1.status, 403);
  const own2 = await call(server, '/dev/mailbox/999999/reply', {
    cookie: u.M, method: 'POST', body: 'text=hello', headers: formHeaders(own()) });
  assert.notEqual(own2.status, 403);
});

test('every answer forbids framing and sniffing: JSON, errors, 404s, 405s, pages', async () => {
  const rid = (await getJson(server, u.M, '/requests')).json.requests[0].id;
  const answers = [
    await call(server, '/api/v1/me'),                          // 401
    await call(server, '/api/v1/no/such/endpoint'),            // 404 JSON
    await getJson(server, u.M, '/me'),                         // 200 JSON
    await getJson(server, u.M, `/requests/${rid}`),            // 200 JSON, gzip-sized maybe
    await call(server, '/dev/mailbox', { cookie: u.M }),       // HTML page
    await call(server, '/login/not-a-token'),                  // sign-in page
    await call(server, '/api/v1/me', { method: 'DELETE', cookie: u.M }), // 405
  ];
  for (const r of answers) {
    const what = `${r.status} ${r.headers.get('content-type')}`;
    assert.match(r.headers.get('content-security-policy') || '', /frame-ancestors 'none'/, what);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff', what);
    assert.ok(r.headers.get('referrer-policy'), what);
    assert.equal(r.headers.get('x-frame-options'), 'DENY', what);
  }
});
