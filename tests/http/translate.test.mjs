// Translation over HTTP with real Apertium pipelines and a stand-in
// LibreTranslate server: languages and honest availability, detection, es→en, fr→en through
// Spanish, the remote provider (protected pieces never sent, one call per batch, errors),
// stored translations, visibility, settings and "also send a translation".
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, startSignedIn, signIn, stopCleanly, call, getJson, postJson, postMessage, newKey, expectError }
  from './server.mjs';
import { startTranslateStandin } from './libretranslate_standin.mjs';

let server;
let standin;
const u = {};

before(async () => {
  standin = await startTranslateStandin({ apiKey: 'k-123' });
  server = await startSignedIn({ M: 'Marta Iglesias', P: 'Pierre Dubois', S: 'Stefan Müller', R: 'Rahul Mehta' }, u,
    { pollTimeout: 2, args: ['--translate-url', standin.url, '--translate-key', 'k-123'] });
});
after(async () => {
  await stopCleanly(server);
  await standin?.close();
});

async function myRequest(cookie) {
  const r = await getJson(server, cookie, '/requests');
  assert.equal(r.status, 200, r.text);
  return r.json.requests[0].id;
}

const translations = (cookie, rid, to, items) =>
  getJson(server, cookie, `/requests/${rid}/translations?to=${to}${items ? `&items=${items}` : ''}`);

test('languages: the nine, with the pairs this server covers', async () => {
  const r = await getJson(server, u.M, '/translation/languages');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.languages, ['es', 'en', 'fr', 'de', 'it', 'pt', 'ru', 'zh', 'ja']);
  const pair = (from, to) => r.json.pairs.find((p) => p.from === from && p.to === to);
  assert.equal(pair('es', 'en')?.provider, 'apertium');
  assert.equal(pair('fr', 'en')?.provider, 'apertium via es');
  assert.equal(pair('de', 'en')?.provider, 'remote');
  assert.equal(pair('ja', 'en')?.provider, 'remote');
  assert.equal(pair('de', 'it'), undefined, 'no provider takes German to Italian');
  assert.equal(pair('es', 'es'), undefined);
});

test('the request text is detected as French and translated into Spanish once, then served stored', async () => {
  const rid = await myRequest(u.P);
  const d = await getJson(server, u.M, `/requests/${rid}`);
  assert.equal(d.json.message_lang, 'fr');
  const first = await translations(u.M, rid, 'es', `r${rid}`);
  assert.equal(first.status, 200, first.text);
  assert.equal(first.json.translations.length, 1);
  const t = first.json.translations[0];
  assert.equal(t.source, 'fr');
  assert.equal(t.target, 'es');
  assert.equal(t.provider, 'apertium');
  assert.notEqual(t.text, d.json.message);
  assert.match(t.text, /VH-80/, 'product references survive');
  assert.match(t.text, /500 mm/, 'quantities survive');
  const again = await translations(u.M, rid, 'es', `r${rid}`);
  assert.deepEqual(again.json.translations[0], t, 'stored: the same text and creation time');
});

test('es→en of a business sentence gives "valves"; fr→en goes through Spanish', async () => {
  const rid = await myRequest(u.P);
  const body = 'Necesitamos 200 válvulas de acero inoxidable, precio 12,50 EUR por unidad.\nContacto: ventas@hidraulica.es';
  const posted = await postMessage(server, u.M, rid, { body }, newKey());
  assert.equal(posted.status, 201, posted.text);
  const r = await translations(u.P, rid, 'en', `m${posted.json.id}`);
  assert.equal(r.status, 200, r.text);
  const t = r.json.translations[0];
  assert.equal(t.source, 'es');
  assert.match(t.text, /valves/);
  assert.match(t.text, /200/);
  assert.match(t.text, /12,50 EUR/);
  assert.match(t.text, /\nContact/, 'the line break survives');
  assert.match(t.text, /ventas@hidraulica\.es/);

  const fr = await postMessage(server, u.P, rid, { body: 'Merci beaucoup, nous attendons votre offre.' }, newKey());
  const e = await translations(u.M, rid, 'en', `m${fr.json.id}`);
  assert.equal(e.status, 200, e.text);
  assert.equal(e.json.translations[0].source, 'fr');
  assert.equal(e.json.translations[0].provider, 'apertium via es');
  assert.match(e.json.translations[0].text, /[Tt]hank/);
});

test('the remote provider: German into English, protected pieces never sent, one call per batch', async () => {
  const rid = await myRequest(u.S);
  const before = standin.translateCalls().length;
  const r = await translations(u.M, rid, 'en', `r${rid}`);
  assert.equal(r.status, 200, r.text);
  const t = r.json.translations[0];
  assert.equal(t.source, 'de');
  assert.equal(t.provider, 'remote');
  assert.match(t.text, /\[de>en\] /);
  const calls = standin.translateCalls().slice(before);
  assert.equal(calls.length, 1);
  assert.equal(calls[0].body.api_key, 'k-123');
  assert.ok(Array.isArray(calls[0].body.q));
  for (const q of calls[0].body.q) assert.doesNotMatch(q, /\d/, `digits are kept back: ${q}`);

  // A thread of 30 German messages into English: one provider call, not 30.
  for (let i = 0; i < 30; i++) {
    const p = await postMessage(server, u.S, rid, { body: `Guten Tag, wir brauchen Angebot Nummer ${i} bitte.` }, newKey());
    assert.equal(p.status, 201, p.text);
  }
  const n0 = standin.translateCalls().length;
  const batch = await translations(u.M, rid, 'en');
  assert.equal(batch.status, 200, batch.text);
  assert.ok(batch.json.translations.length >= 31, `${batch.json.translations.length}`);
  assert.equal(standin.translateCalls().length - n0, 1, 'one batched call');
  const text = batch.json.translations.map((x) => x.text).join('\n');
  for (let i = 0; i < 30; i++) assert.ok(text.includes(` ${i} `), `number ${i} kept`);
  // Served from the store the second time: no call at all.
  const again = await translations(u.M, rid, 'en');
  assert.equal(again.json.translations.length, batch.json.translations.length);
  assert.equal(standin.translateCalls().length - n0, 1);
});

test('provider failures: 503 with Retry-After, nothing stored, the next try works', async () => {
  const rid = await myRequest(u.S);
  const p = await postMessage(server, u.S, rid, { body: 'Wann können Sie liefern?' }, newKey());
  standin.failNext('rate');
  const busy = await translations(u.M, rid, 'ja', `m${p.json.id}`);
  // de→ja: the stand-in has no such pair at all — an honest 422, not a provider error.
  expectError(busy, 422, 'translation_unavailable');
  assert.match(busy.json.error.message, /German to Japanese is not available on this server/);
  standin.failNext('rate');
  const rate = await translations(u.M, rid, 'en', `m${p.json.id}`);
  expectError(rate, 503, 'translation_busy');
  assert.equal(rate.headers.get('retry-after'), '7');
  standin.failNext('server');
  expectError(await translations(u.M, rid, 'en', `m${p.json.id}`), 503, 'translation_failed');
  const ok = await translations(u.M, rid, 'en', `m${p.json.id}`);
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.json.translations[0].text, /WANN/);
});

test('bad input and visibility', async () => {
  const rid = await myRequest(u.P);
  expectError(await translations(u.M, rid, 'xx'), 400, 'invalid_language');
  expectError(await getJson(server, u.M, `/requests/${rid}/translations`), 400, 'invalid_language');
  expectError(await translations(u.M, rid, 'en', 'm999999'), 404, 'not_found');
  expectError(await translations(u.M, rid, 'en', 'bogus'), 404, 'not_found');
  expectError(await translations(u.M, rid, 'fr', `r${rid}`), 422, 'same_language');
  expectError(await translations(undefined, rid, 'en'), 401, 'unauthorized');
  // Another buyer sees none of it.
  expectError(await translations(u.R, rid, 'en', `r${rid}`), 404, 'not_found');
  expectError(await translations(u.M, 999999, 'en'), 404, 'not_found');
});

test('settings: always translate incoming messages', async () => {
  const r = await getJson(server, u.P, '/me/settings');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.auto_translate, false);
  const put = await call(server, '/api/v1/me/settings', { cookie: u.P, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: JSON.stringify({ auto_translate: true }) });
  assert.equal(put.status, 200, put.text);
  assert.equal((await getJson(server, u.P, '/me/settings')).json.auto_translate, true);
  assert.equal((await getJson(server, u.M, '/me/settings')).json.auto_translate, false, 'per user');
  const bad = await call(server, '/api/v1/me/settings', { cookie: u.P, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"auto_translate":' });
  expectError(bad, 400, 'malformed_json');
  const wrong = await call(server, '/api/v1/me/settings', { cookie: u.P, method: 'PUT',
    headers: { 'content-type': 'application/json' }, body: '{"auto_translate":"yes"}' });
  expectError(wrong, 400, 'invalid_field');
});

test('also send a translation into the buyer\'s language: the buyer gets both', async () => {
  const rid = await myRequest(u.P);
  const body = 'Buenos días, le enviamos la oferta para los cilindros.';
  const p = await postMessage(server, u.M, rid, { body, translate_to: 'fr' }, newKey());
  assert.equal(p.status, 201, p.text);
  const d = await getJson(server, u.P, `/requests/${rid}`);
  const m = d.json.messages.find((x) => x.id === p.json.id);
  assert.equal(m.body, body);
  assert.equal(m.lang, 'es');
  assert.equal(m.sent_lang, 'fr');
  assert.ok(m.sent_translation.length > 10 && m.sent_translation !== body, m.sent_translation);
  // Refused before anything is stored: the draft stays with the sender.
  const count = d.json.messages.length;
  expectError(await postMessage(server, u.M, rid, { body, translate_to: 'xx' }, newKey()), 400, 'invalid_language');
  expectError(await postMessage(server, u.M, rid, { body, translate_to: 'ja' }, newKey()), 422, 'translation_unavailable');
  expectError(await postMessage(server, u.M, rid, { body, translate_to: 'es' }, newKey()), 422, 'same_language');
  const after = await getJson(server, u.P, `/requests/${rid}`);
  assert.equal(after.json.messages.length, count);
});

test('without a remote provider German is honestly unavailable (422), the offline five still work', async () => {
  const plain = await startServer({ pollTimeout: 2 });
  try {
    const { cookie: M } = await signIn(plain.login('Marta Iglesias'));
    const { cookie: S } = await signIn(plain.login('Stefan Müller'));
    const inbox = await call(plain, '/api/v1/requests', { cookie: S });
    const rid = inbox.json.requests[0].id;
    const r = await call(plain, `/api/v1/requests/${rid}/translations?to=en&items=r${rid}`, { cookie: M });
    expectError(r, 422, 'translation_unavailable');
    assert.match(r.json.error.message, /German to English is not available on this server/);
    const langs = await call(plain, '/api/v1/translation/languages', { cookie: M });
    assert.ok(!langs.json.pairs.some((p) => p.from === 'de' || p.to === 'de'));
    assert.equal(langs.json.pairs.length, 20, 'en, es, fr, it, pt: every ordered pair');
    // The batch lists what it could not do instead of failing.
    const batch = await call(plain, `/api/v1/requests/${rid}/translations?to=en`, { cookie: M });
    assert.equal(batch.status, 200, batch.text);
    assert.ok(batch.json.unavailable.includes(`r${rid}`));
  } finally {
    await stopCleanly(plain);
  }
});
