// Dark mode over HTTP: each user's colour theme is remembered on the server — GET /me
// carries it ("system" until chosen), PUT /me/preferences sets it, strictly validated
// (400 on anything but "system" | "light" | "dark", on other keys, on bad JSON), per user,
// in the database (a second instance on the same data reads it), from any session of that
// user (a new sign-in, a scoped session of a notification's link).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSignedIn, signIn, stopCleanly, call, getJson, postJson, expectError, runSql }
  from './server.mjs';

let server;
const u = {};
const ids = {};

before(async () => {
  server = await startSignedIn({ M: 'Marta Iglesias', P: 'Pierre Dubois', C: 'Claire Martin' }, u);
  for (const k of Object.keys(u)) ids[k] = (await getJson(server, u[k], '/me')).json.id;
});
after(() => stopCleanly(server));

const putPrefs = (cookie, body, headers = { 'content-type': 'application/json' }) =>
  call(server, '/api/v1/me/preferences', {
    cookie, method: 'PUT', headers, body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const theme = async (cookie) => {
  const r = await getJson(server, cookie, '/me');
  assert.equal(r.status, 200, r.text);
  return r.json.theme;
};

test('GET /me says "system" until a theme is chosen, beside the user\'s fields', async () => {
  const me = await getJson(server, u.C, '/me');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.json.name, 'Claire Martin');
  assert.equal(me.json.theme, 'system');
  assert.equal(me.json.scope_request_id, 0);
});

test('PUT /me/preferences stores the theme for that user only, and answers what it stored', async () => {
  const r = await putPrefs(u.M, { theme: 'dark' });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { theme: 'dark' });
  assert.equal(await theme(u.M), 'dark');
  assert.equal(await theme(u.P), 'system', 'per user: the buyer keeps his');
  assert.equal((await putPrefs(u.P, { theme: 'light' })).status, 200);
  assert.equal(await theme(u.P), 'light');
  assert.equal(await theme(u.M), 'dark');
  // Back to following the device.
  assert.deepEqual((await putPrefs(u.P, { theme: 'system' })).json, { theme: 'system' });
  assert.equal(await theme(u.P), 'system');
});

test('bad values are refused with 400 and change nothing', async () => {
  assert.equal((await putPrefs(u.M, { theme: 'dark' })).status, 200);
  const cases = [
    [{ theme: 'Dark' }, 'invalid_field', 'case matters'],
    [{ theme: 'auto' }, 'invalid_field', 'not a theme'],
    [{ theme: '' }, 'invalid_field', 'empty'],
    [{ theme: 1 }, 'invalid_field', 'a number'],
    [{ theme: null }, 'invalid_field', 'null'],
    [{ theme: ['dark'] }, 'invalid_field', 'an array'],
    [{}, 'invalid_field', 'missing'],
    [{ theme: 'light', font: 'big' }, 'invalid_field', 'an unknown key beside a good one'],
    [{ Theme: 'light' }, 'invalid_field', 'a misspelt key'],
    [['light'], 'invalid_field', 'not an object'],
    ['"light"', 'invalid_field', 'a bare string'],
    ['{"theme":', 'malformed_json', 'truncated'],
    ['{"theme":"light","theme":"dark"}', 'duplicate_key', 'a key twice'],
  ];
  for (const [body, code, what] of cases) {
    const r = await putPrefs(u.M, body);
    expectError(r, 400, code, what);
  }
  assert.match((await putPrefs(u.M, { theme: 'auto' })).json.error.message, /"system", "light" or "dark"/);
  assert.equal(await theme(u.M), 'dark', 'still the last good value');
  expectError(await putPrefs(u.M, 'theme=light', { 'content-type': 'application/x-www-form-urlencoded' }), 415,
    'unsupported_media_type');
  expectError(await putPrefs(undefined, { theme: 'light' }), 401, 'unauthorized');
  const get = await call(server, '/api/v1/me/preferences', { cookie: u.M });
  assert.equal(get.status, 405);
  assert.equal(get.headers.get('allow'), 'PUT');
  assert.equal(await theme(u.M), 'dark');
});

test('the choice is the user\'s, in the database: a new sign-in and a second instance see it', async () => {
  assert.equal((await putPrefs(u.C, { theme: 'light' })).status, 200);
  const again = await signIn(server.login('Claire Martin'));
  assert.ok(again.cookie);
  assert.notEqual(again.cookie, u.C, 'another session');
  assert.equal(await theme(again.cookie), 'light');
  const row = runSql(server, `SELECT theme FROM user_settings WHERE user_id = ${ids.C}`).trim().split('\n').pop();
  assert.equal(row, 'light');
  const other = await startServer({ dataDir: server.dataDir, demo: false });
  try {
    const r = await call(other, '/api/v1/me', { cookie: u.C });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.theme, 'light');
  } finally {
    await other.stop();
  }
});

test('the translation setting and the theme do not reset each other', async () => {
  const set = await call(server, '/api/v1/me/settings', { cookie: u.C, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auto_translate: true }) });
  assert.equal(set.status, 200, set.text);
  assert.equal(await theme(u.C), 'light');
  assert.equal((await putPrefs(u.C, { theme: 'dark' })).status, 200);
  assert.equal((await getJson(server, u.C, '/me/settings')).json.auto_translate, true);
});

test('a scoped session (a notification\'s link) reads and sets its user\'s theme', async () => {
  const r = await postJson(server, u.P, '/requests', { manufacturer_id: ids.M, product: 'Vérins thème',
    message: 'Bonjour, 20 vérins.' });
  assert.equal(r.status, 201, r.text);
  const box = await getJson(server, u.M, '/dev/mailbox');
  const mail = box.json.messages.find((m) => m.kind === 'new_request' && m.request_id === r.json.id);
  assert.ok(mail, 'Marta is told about the request');
  const link = /(http:\/\/\S+\/login\/[A-Za-z0-9_-]+\?next=\S+)/.exec(mail.text)[1];
  const res = await fetch(link, { redirect: 'manual' });
  await res.arrayBuffer();
  const scoped = res.headers.getSetCookie().find((c) => c.startsWith('parley_session=')).split(';')[0];
  const me = await getJson(server, scoped, '/me');
  assert.equal(me.json.scope_request_id, r.json.id);
  assert.equal(me.json.theme, await theme(u.M));
  const put = await putPrefs(scoped, { theme: 'light' });
  assert.equal(put.status, 200, put.text);
  assert.equal(await theme(u.M), 'light', 'the same user, whichever session set it');
  expectError(await getJson(server, scoped, '/me/settings'), 403, 'scoped_session');
});
