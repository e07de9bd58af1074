// The C++ Odoo client (server/crm/odoo.cpp) against the Odoo stand-in: runs the unit
// tests tagged [standin] with PARLEY_TEST_ODOO_URL pointing at it, then checks what the
// stand-in holds and saw — a lead created then updated, a deleted lead created again,
// a create whose answer was lost not made twice, a wrong key refused, a 502 retried.
//
// The unit test binary: PARLEY_UNIT_TESTS, else tests/unit/unit_tests under
// PARLEY_BUILD_DIR, else under build/ or, failing that, build-crm/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startOdooStandin } from './odoo_standin.mjs';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const UNIT = 'tests/unit/unit_tests';
const buildDir = process.env.PARLEY_BUILD_DIR ||
  ['build', 'build-crm'].find((d) => existsSync(join(repo, d, UNIT))) || 'build';
const UNIT_BIN = resolve(repo, process.env.PARLEY_UNIT_TESTS || join(buildDir, UNIT));

const CONFIG = { database: 'parley-crm', login: 'sales@parley.test', apiKey: 'odoo-key-7f3a' };
let odoo;
let run;

before(async () => {
  if (!existsSync(UNIT_BIN)) throw new Error(`unit test binary not found: ${UNIT_BIN} (set PARLEY_BUILD_DIR)`);
  odoo = await startOdooStandin(CONFIG);
  // Asynchronous: the stand-in must keep serving while the child runs.
  run = await new Promise((res) => {
    const child = spawn(UNIT_BIN, ['[standin]'], {
      env: { ...process.env, PARLEY_TEST_ODOO_URL: odoo.url, PARLEY_TEST_ODOO_DB: CONFIG.database,
        PARLEY_TEST_ODOO_LOGIN: CONFIG.login, PARLEY_TEST_ODOO_KEY: CONFIG.apiKey },
    });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('close', (code) => res({ code, out }));
  });
});
after(() => odoo?.close());

const ref = (id) => `parley:request:${id}`;
const leadsOf = (id) => odoo.leads().filter((l) => l.referred === ref(id));
const leadCalls = (method) => odoo.calls().filter((c) => c.model === 'crm.lead' && c.modelMethod === method);

test('the client tests pass against the stand-in, none skipped', () => {
  assert.equal(run.code, 0, run.out);
  assert.doesNotMatch(run.out, /PARLEY_TEST_ODOO_URL is not set/);
  assert.match(run.out, /in 4 test cases/, run.out);
  // Every call was JSON to /jsonrpc.
  for (const c of odoo.calls()) {
    assert.equal(c.path, '/jsonrpc');
    assert.match(c.contentType, /^application\/json/);
  }
});

test('a lead is created once, then written: stage, revenue, phone, archived as lost, back when reopened', () => {
  const [lead, ...more] = leadsOf(9101);
  assert.ok(lead);
  assert.equal(more.length, 0);
  assert.equal(leadCalls('create').filter((c) => c.args[0].referred === ref(9101)).length, 1);
  const writes = leadCalls('write').filter((c) => c.args[0][0] === lead.id);
  assert.equal(writes.length, 4);
  assert.equal(writes[0].args[1].stage_id, 3); // quoted → Proposition
  assert.equal(writes[0].args[1].expected_revenue, 1234.5);
  assert.equal('active' in writes[0].args[1], false);
  assert.equal(writes[1].args[1].active, false); // lost is archived...
  assert.equal('stage_id' in writes[1].args[1], false); // ...keeping its stage
  assert.equal('active' in writes[2].args[1], false); // an archived lead is not brought back by an event
  assert.equal(writes[3].args[1].active, true); // but by the request's reopening
  assert.equal(lead.expected_revenue, 1234.5);
  assert.equal(lead.active, true);
  assert.equal(lead.type, 'opportunity');
  assert.equal(lead.country_id, odoo.countries().find((c) => c.code === 'ES').id);
  assert.equal(lead.email_from, 'r42-b7@relay.parley.test');
  assert.equal(lead.phone, '+34 600 000 000');
  assert.match(lead.description, /&lt;script&gt;/);
  assert.doesNotMatch(lead.description, /<script/);
  assert.match(lead.description, /<a href="https:\/\/parley\.test\/requests\/42">/);
  // Created as new: the first stage, without a phone.
  const created = leadCalls('create').find((c) => c.args[0].referred === ref(9101)).args[0];
  assert.equal(created.stage_id, 1);
  assert.equal('phone' in created, false);
});

test('a lead deleted in Odoo is created again', () => {
  const unlinked = leadCalls('unlink').map((c) => c.args[0][0]);
  assert.equal(unlinked.length, 1);
  const leads = leadsOf(9102);
  assert.equal(leads.length, 1);
  assert.ok(leads[0].id > unlinked[0]);
  assert.equal(leadCalls('create').filter((c) => c.args[0].referred === ref(9102)).length, 2);
});

test('a create whose answer was lost is found by its reference, not made twice', () => {
  const creates = leadCalls('create').filter((c) => c.args[0].referred === ref(9103));
  assert.equal(creates.length, 1);
  assert.equal(creates[0].lost, true);
  assert.equal(leadsOf(9103).length, 1);
  assert.ok(leadCalls('write').some((c) => c.args[0][0] === leadsOf(9103)[0].id));
});

test('a wrong key is refused at login; a 502 is answered once and the retry succeeds', () => {
  const refused = odoo.calls().filter((c) => c.service === 'common' && c.result === false);
  assert.equal(refused.length, 2); // odoo_check and odoo_upsert_lead
  assert.equal(odoo.calls().filter((c) => c.status === 502).length, 1);
  assert.equal(leadsOf(9104).length, 1);
  // Nothing the stand-in refused as a typo: no unknown field, keyword or method.
  const errors = odoo.calls().filter((c) => c.error).map((c) => c.error);
  assert.deepEqual(errors, []);
});
