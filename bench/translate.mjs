#!/usr/bin/env node
// Translation performance. One server (demo data) with warm Apertium pipelines and
// a local LibreTranslate stand-in; server times are read from the server's request log
// ("GET /api/v1/requests/N/translations 200 12.345ms"), so HTTP and Node costs are out.
//   (a) first translation of a 500-character message, fr→es (direct) and fr→en (through
//       Spanish), 40 messages each          → PASS if p95 ≤ 300 ms
//   (b) the same translations again, served from the store → PASS if p95 ≤ 5 ms
//   (c) a 50-message thread into one language → PASS if one provider call (stand-in count)
// Baselines in the same run: one cold `apertium -u fr-es` process on the same text (what
// each translation would cost without warm pipelines), and GET of the request's detail
// (a cached read) next to (b).
// Usage: node bench/translate.mjs   (PARLEY_SERVER=path/to/parley-server; default
// build/server/parley-server). Exit code 1 when a target is missed.
import { execFileSync } from 'node:child_process';
import { writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, signIn, call } from '../tests/http/server.mjs';
import { startTranslateStandin } from '../tests/http/libretranslate_standin.mjs';

const N = 40;
const sentence = (i) =>
  `Bonjour, nous cherchons ${i + 10} vérins hydrauliques double effet pour nos plateformes élévatrices. ` +
  `Pouvez-vous nous envoyer une offre avec le prix unitaire, le délai de livraison et les conditions de paiement? ` +
  `Nous avons aussi besoin de joints de rechange et d'un manuel en français. Merci d'avance, cordialement.`;
const text500 = (i) => { let t = sentence(i); while (t.length < 500) t += ' Merci.'; return t.slice(0, 500); };

function pct(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
// Server times (ms) of the log lines matching `re` after position `from` of stderr.
function times(server, from, re) {
  return server.stderr.slice(from).split('\n').filter((l) => re.test(l))
    .map((l) => Number(/ ([\d.]+)ms /.exec(l)?.[1])).filter((x) => Number.isFinite(x));
}
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
let server;
// Runs `fn` and gives the server times of its log lines matching `re` (the log is
// written by a background thread: wait for it before and after).
async function logged(fn, re) {
  await wait(600);
  const mark = server.stderr.length;
  await fn();
  await wait(600);
  return times(server, mark, re);
}

const standin = await startTranslateStandin();
server = await startServer({ pollTimeout: 2, args: ['--translate-url', standin.url] });
let failed = false;
try {
  const { cookie: M } = await signIn(server.login('Marta Iglesias'));
  const { cookie: P } = await signIn(server.login('Pierre Dubois'));
  const { cookie: S } = await signIn(server.login('Stefan Müller'));
  const rid = (await call(server, '/api/v1/requests', { cookie: P })).json.requests[0].id;
  await wait(4000);  // the pipelines start in the background at server start

  const post = async (cookie, id, body) => {
    const r = await call(server, `/api/v1/requests/${id}/messages`, { cookie, method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `b-${Math.random()}` },
      body: JSON.stringify({ body }) });
    if (r.status !== 201) throw new Error(`post: ${r.status} ${r.text}`);
    return r.json.id;
  };
  const translate = async (cookie, id, to, items) => {
    const r = await call(server, `/api/v1/requests/${id}/translations?to=${to}${items ? `&items=${items}` : ''}`,
      { cookie });
    if (r.status !== 200) throw new Error(`translate: ${r.status} ${r.text}`);
    return r.json;
  };

  const results = [];
  for (const to of ['es', 'en']) {
    const ids = [];
    for (let i = 0; i < N; i++) ids.push(await post(P, rid, text500(i)));
    const first = await logged(async () => { for (const id of ids) await translate(M, rid, to, `m${id}`); },
      /GET \/api\/v1\/requests\/\{id\}\/translations 200/);
    const stored = await logged(async () => { for (const id of ids) await translate(M, rid, to, `m${id}`); },
      /GET \/api\/v1\/requests\/\{id\}\/translations 200/);
    const detail = await logged(async () => { for (let i = 0; i < N; i++) await call(server, `/api/v1/requests/${rid}`, { cookie: M }); },
      /GET \/api\/v1\/requests\/\{id\} 200/);
    results.push({ pair: `fr→${to}`, first, stored, detail });
  }

  // Cold baseline: one apertium process per translation, as without warm pipelines.
  const cold = [];
  const tmp = join(tmpdir(), `parley-bench-${process.pid}.txt`);
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    writeFileSync(tmp, text500(i));
    const out = execFileSync('apertium', ['-u', 'fr-es', tmp], { encoding: 'utf8' });
    if (!/buscamos|Saludo/i.test(out)) throw new Error(`apertium CLI: ${out}`);
    cold.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  rmSync(tmp, { force: true });

  // (c) a 50-message thread into one language: Stefan's request, German, remote provider.
  const sid = (await call(server, '/api/v1/requests', { cookie: S })).json.requests[0].id;
  for (let i = 0; i < 50; i++) await post(S, sid, `Guten Tag, wir brauchen ${i + 1} Pumpen bis Ende des Monats.`);
  const calls0 = standin.translateCalls().length;
  let batch;
  const batchMs = (await logged(async () => { batch = await translate(M, sid, 'en'); }, /translations 200/))[0];
  const calls = standin.translateCalls().length - calls0;

  console.log('Translation, server times from the request log');
  console.log('| pair | first p50 | first p95 | stored p50 | stored p95 | detail GET p95 (baseline) |');
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(`| ${r.pair} | ${pct(r.first, 50).toFixed(1)} ms | ${pct(r.first, 95).toFixed(1)} ms | ` +
      `${pct(r.stored, 50).toFixed(2)} ms | ${pct(r.stored, 95).toFixed(2)} ms | ${pct(r.detail, 95).toFixed(2)} ms |`);
    if (pct(r.first, 95) > 300) { failed = true; console.log(`FAIL ${r.pair}: first p95 > 300 ms`); }
    if (pct(r.stored, 95) > 5) { failed = true; console.log(`FAIL ${r.pair}: stored p95 > 5 ms`); }
  }
  const coldP50 = pct(cold, 50);
  const warmP50 = pct(results[0].first, 50);
  console.log(`cold apertium process (baseline): p50 ${coldP50.toFixed(0)} ms; warm fr→es p50 ${warmP50.toFixed(1)} ms ` +
    `(ratio warm/cold ${(warmP50 / coldP50).toFixed(3)})`);
  console.log(`50-message thread → en: ${batch.translations.length} texts in ${batchMs?.toFixed(1)} ms, ` +
    `${calls} provider call(s)`);
  if (calls !== 1) { failed = true; console.log('FAIL: the thread took more than one provider call'); }
} finally {
  await server.stop();
  await standin.close();
}
process.exit(failed ? 1 : 0);
