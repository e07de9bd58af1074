// Sign-in by magic link, session cookie, logout, 401 on every endpoint without a session.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, call, runSql } from './server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => {
  if (!server) return; // start failed: that error is reported by before()
  const { code, signal } = await server.stop();
  assert.equal(signal, null);
  assert.equal(code, 0, 'clean shutdown on SIGTERM');
});

test('demo prints one sign-in link per user, manufacturer first', () => {
  assert.ok(server.logins.length >= 20);
  assert.equal(server.logins[0].role, 'manufacturer');
  // Then the sales network, then the buyers.
  const roles = server.logins.map((l) => l.role);
  assert.deepEqual([...new Set(roles)], ['manufacturer', 'area_manager', 'distributor', 'buyer']);
  assert.equal(server.areaManagers.length, 1);
  assert.equal(server.distributors.length, 2);
  assert.equal(server.logins.length, server.stdout.split('\n').filter((l) => l.startsWith('login ')).length,
    'every login line parsed');
  assert.equal(server.manufacturer.name, 'Marta Iglesias');
  assert.ok(server.buyers.length >= 19);
  for (const l of server.logins) {
    assert.match(l.url, new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/login/[A-Za-z0-9_-]{43}$`));
  }
  // Tokens never appear in the request log.
  assert.ok(!server.stderr.includes(server.manufacturer.token));
});

test('login sets an HttpOnly SameSite=Lax session cookie and redirects to /', async () => {
  const { res, setCookie } = await signIn(server.manufacturer);
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), '/');
  assert.ok(setCookie, 'Set-Cookie present');
  assert.match(setCookie, /^parley_session=[A-Za-z0-9_-]{43};/);
  assert.match(setCookie, /; HttpOnly/);
  assert.match(setCookie, /; SameSite=Lax/);
  assert.match(setCookie, /; Path=\//);
  assert.match(setCookie, /; Max-Age=2592000/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'same-origin');
});

test('demo links are reusable and give distinct sessions', async () => {
  const a = await signIn(server.buyers[0]);
  const b = await signIn(server.buyers[0]);
  assert.equal(a.res.status, 302);
  assert.equal(b.res.status, 302);
  assert.notEqual(a.cookie, b.cookie);
  for (const c of [a.cookie, b.cookie]) {
    const me = await call(server, '/api/v1/me', { cookie: c });
    assert.equal(me.status, 200);
    assert.equal(me.json.name, server.buyers[0].name);
  }
});

test('login honours a local ?next= path only', async () => {
  const ok = await signIn(server.manufacturer, '?next=/requests/5');
  assert.equal(ok.res.headers.get('location'), '/requests/5');
  for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'requests/5',
    '/a\r\nSet-Cookie: x=1', '/a b', '']) {
    const r = await signIn(server.manufacturer, `?next=${encodeURIComponent(bad)}`);
    assert.equal(r.res.status, 302);
    assert.equal(r.res.headers.get('location'), '/', `next=${bad}`);
  }
});

test('invalid or unknown magic links get 401 with an HTML page', async () => {
  for (const token of ['nope', 'A'.repeat(43), server.manufacturer.token.slice(0, -1) + 'x',
    '..%2f..%2fetc', '%00', 'x'.repeat(300)]) {
    const r = await call(server, `/login/${token}`);
    assert.equal(r.status, 401, token);
    assert.match(r.headers.get('content-type'), /^text\/html/);
    assert.match(r.text, /invalid/i);
    assert.equal(r.headers.get('set-cookie'), null);
  }
  const post = await call(server, `/login/${server.manufacturer.token}`, { method: 'POST' });
  assert.equal(post.status, 405);
});

test('every API endpoint needs a session: 401 JSON without or with a bad cookie', async () => {
  const endpoints = [
    ['GET', '/api/v1/me'], ['GET', '/api/v1/requests'], ['GET', '/api/v1/requests/1'],
    ['POST', '/api/v1/requests/1/messages'], ['POST', '/api/v1/requests/1/read'],
    ['GET', '/api/v1/events?after=0'], ['POST', '/api/v1/logout'],
    ['POST', '/api/v1/requests'], ['POST', '/api/v1/requests/1/phone'], ['POST', '/api/v1/requests/1/cc'],
    ['POST', '/api/v1/requests/1/forward'], ['POST', '/api/v1/requests/1/decline'],
    ['POST', '/api/v1/requests/1/close'], ['POST', '/api/v1/requests/1/rating'], ['GET', '/api/v1/contacts'],
    ['GET', '/api/v1/network'], ['POST', '/api/v1/network/members'], ['POST', '/api/v1/network/members/2'],
    ['DELETE', '/api/v1/network/members/2'],
  ];
  for (const cookie of [undefined, 'parley_session=bogus', 'parley_session=' + 'A'.repeat(43), 'other=1']) {
    for (const [method, path] of endpoints) {
      const r = await call(server, path, {
        method, cookie, body: method === 'POST' ? '{"body":"x"}' : undefined,
        headers: method === 'POST' ? { 'idempotency-key': 'k' } : {},
      });
      assert.equal(r.status, 401, `${method} ${path} cookie=${cookie}`);
      assert.equal(r.json.error.code, 'unauthorized');
      assert.equal(typeof r.json.error.message, 'string');
      assert.match(r.headers.get('content-type'), /^application\/json/);
    }
  }
});

test('logout ends the session', async () => {
  const { cookie } = await signIn(server.buyers[1]);
  assert.equal((await call(server, '/api/v1/me', { cookie })).status, 200);
  const out = await call(server, '/api/v1/logout', { cookie, method: 'POST' });
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /^parley_session=;.*Max-Age=0/);
  assert.equal((await call(server, '/api/v1/me', { cookie })).status, 401);
  assert.equal((await call(server, '/api/v1/logout', { cookie, method: 'POST' })).status, 401);
  assert.equal((await call(server, '/api/v1/logout', { cookie, method: 'GET' })).status, 405);
});

test('a session ended elsewhere ends at once: in the database, or signed out on another instance', async () => {
  // Deleted in the database (an operator revoking it): the next request is refused.
  const { cookie } = await signIn(server.buyers[0]);
  assert.equal((await call(server, '/api/v1/me', { cookie })).status, 200);
  runSql(server, 'DELETE FROM sessions');
  assert.equal((await call(server, '/api/v1/me', { cookie })).status, 401, 'revoked in the database');
  // A second instance on the same database: signed out there, refused here at once.
  const other = await startServer({ dataDir: server.dataDir, demo: false });
  try {
    const link = (await signIn(server.buyers[0])).cookie;
    assert.equal((await call(server, '/api/v1/me', { cookie: link })).status, 200);
    assert.equal((await call(other, '/api/v1/me', { cookie: link })).status, 200, 'one session, both instances');
    assert.equal((await call(other, '/api/v1/logout', { cookie: link, method: 'POST' })).status, 204);
    assert.equal((await call(server, '/api/v1/me', { cookie: link })).status, 401, 'refused on the first instance too');
  } finally {
    await other.stop();
  }
});

test('a session cookie among other cookies is found', async () => {
  const { cookie } = await signIn(server.manufacturer);
  const r = await call(server, '/api/v1/me', { cookie: `theme=dark; ${cookie}; lang=es` });
  assert.equal(r.status, 200);
  assert.equal(r.json.role, 'manufacturer');
});
