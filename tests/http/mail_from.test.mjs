// E-mail, the spec's "From" case (FAQ c): when the server knows no working address of a
// seller — mail to it failed for good with "address rejected" — the request page asks for
// one (can.from_required), a reply without it is refused with a clear error and nothing is
// posted, a bad, relay or someone else's address is refused, a good one becomes the
// seller's address and the next notification reaches it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, signIn, stopCleanly, getJson, postJson, postMessage, newKey, expectError } from './server.mjs';
import { startSink, waitFor } from './smtp_sink.mjs';

let server, sink;
const C = {}, ID = {};
const MARTA = 'marta.iglesias@hidraulica-iberia.es';

before(async () => {
  sink = await startSink();
  server = await startServer({ args: ['--smtp-url', sink.url, '--smtp-tls', 'none', '--relay-domain', 'relay.parley.test',
    '--mail-retry-base-ms', '200'] });
  for (const [k, name] of [['S', 'Stefan Müller'], ['M', 'Marta Iglesias'], ['B', 'Camille Laurent']]) {
    C[k] = (await signIn(server.login(name))).cookie;
    ID[k] = (await getJson(server, C[k], '/me')).json.id;
  }
});
after(async () => {
  await stopCleanly(server);
  if (sink) await sink.stop();
});

const can = async (cookie, rid) => (await getJson(server, cookie, `/requests/${rid}`)).json.can;

test('a seller whose address bounces is asked for a From address before replying', async () => {
  const r = await postJson(server, C.S, '/requests', { manufacturer_id: ID.M, product: 'Zahnradpumpen', message: 'Bitte ein Angebot.' });
  assert.equal(r.status, 201, r.text);
  const rid = r.json.id;
  assert.equal((await can(C.M, rid)).from_required, false, 'a known, working address: no field');

  // The new-request mail to Marta is rejected by her mail server.
  sink.reject(MARTA);
  const p = await postMessage(server, C.S, rid, { body: 'Haben Sie die Pumpen auf Lager?' }, newKey());
  assert.equal(p.status, 201, p.text);
  await waitFor('Marta\'s address marked as rejected', async () => (await can(C.M, rid)).from_required === true);
  assert.equal((await can(C.S, rid)).from_required, false, 'never asked of buyers');

  const count = async () => (await getJson(server, C.M, `/requests/${rid}`)).json.messages.length;
  const before = await count();
  expectError(await postMessage(server, C.M, rid, { body: 'Ja, ab Lager.' }, newKey()), 422, 'from_required');
  expectError(await postMessage(server, C.M, rid, { body: 'Ja.', from_email: 'marta at home' }, newKey()), 400, 'invalid_from');
  expectError(await postMessage(server, C.M, rid, { body: 'Ja.', from_email: 'r+abc@relay.parley.test' }, newKey()),
    400, 'invalid_from');
  expectError(await postMessage(server, C.M, rid, { body: 'Ja.', from_email: 'camille@agri-laurent.fr' }, newKey()),
    409, 'email_taken');
  assert.equal(await count(), before, 'nothing posted');

  sink.reject(MARTA, false);
  const ok = await postMessage(server, C.M, rid, { body: 'Ja, ab Lager.', from_email: 'ventas@hidraulica-iberia.es' }, newKey());
  assert.equal(ok.status, 201, ok.text);
  assert.equal((await can(C.M, rid)).from_required, false, 'the new address is hers now');
  // The next notification goes to the new address.
  const q = await postMessage(server, C.S, rid, { body: 'Danke, wir bestellen.' }, newKey());
  assert.equal(q.status, 201, q.text);
  await waitFor('a mail to the new address',
    () => sink.messages().some((m) => m.envelope.rcpt_tos.includes('ventas@hidraulica-iberia.es')));
});
