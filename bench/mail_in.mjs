// E-mail in under pathological input: bench/mail_in.sh runs this against an already
// started server (PARLEY_BASE, PARLEY_DATA, PARLEY_SERVER, PARLEY_SECRET; the demo
// sign-in links in PARLEY_OUT). Prints one line per mail: wall time, max RSS and the
// outcome of `parley-server mail-in`, then the latency of GET /api/v1/me while
// MAIL_IN_PARALLEL (default 4) such mails are posted at once to /api/v1/mail/inbound.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const base = process.env.PARLEY_BASE;
const dataDir = process.env.PARLEY_DATA;
const bin = process.env.PARLEY_SERVER;
const secret = process.env.PARLEY_SECRET;
const size = Number(process.env.MAIL_BYTES || 10 * 1024 * 1024);
const parallel = Number(process.env.MAIL_IN_PARALLEL || 4);
const logins = readFileSync(process.env.PARLEY_OUT, 'utf8');
const loginOf = (name) => new RegExp(`^login \\S+ ${name}: (\\S+)$`, 'm').exec(logins)[1];
const STEFAN = 's.mueller@mueller-foerdertechnik.de';

async function cookieOf(name) {
  const res = await fetch(loginOf(name), { redirect: 'manual' });
  await res.arrayBuffer();
  return res.headers.getSetCookie().find((s) => s.startsWith('parley_session=')).split(';')[0];
}
async function api(cookie, path, body) {
  const res = await fetch(base + '/api/v1' + path, {
    method: body ? 'POST' : 'GET', headers: { cookie, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  return res.json();
}

// A relay address of the buyer: the maker answers a new request, the buyer's
// notification (development mailbox) carries it in Reply-To.
const S = await cookieOf('Stefan Müller');
const M = await cookieOf('Marta Iglesias');
const maker = await api(M, '/me');
const req = await api(S, '/requests', { manufacturer_id: maker.id, product: 'Bench', message: 'Bench request.' });
const marker = `bench ${Date.now()}`;
await fetch(`${base}/api/v1/requests/${req.id}/messages`, {
  method: 'POST', headers: { cookie: M, 'content-type': 'application/json', 'idempotency-key': marker },
  body: JSON.stringify({ body: marker }),
});
const box = await api(S, '/dev/mailbox');
const relay = /r\+[a-z0-9]+@[^>\s]+/i.exec(box.messages.find((m) => m.text.includes(marker)).headers['Reply-To'])[0];

let seq = 0;
const head = (type = 'text/plain; charset=UTF-8') => [
  `From: Stefan <${STEFAN}>`, `To: ${relay}`, 'Subject: Re: bench', `Message-ID: <bench-${Date.now()}-${seq++}@x>`,
  'MIME-Version: 1.0', `Content-Type: ${type}`, '', ''].join('\r\n');
const fill = (h, unit) => h + unit.repeat(Math.max(0, Math.floor((size - h.length) / unit.length)));
function nested() {
  // 400 levels of multipart, then as many sibling parts as fit.
  let h = head('multipart/mixed; boundary="b0"');
  for (let i = 1; i < 400; ++i) h += `--b${i - 1}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n`;
  return fill(h + '--b399\r\n\r\nx\r\n', '--b399\r\nContent-Type: text/plain\r\n\r\nx\r\n');
}
function manyParts() {
  return fill(head('multipart/mixed; boundary="b"'), '--b\r\n\r\nx\r\n');
}
const mails = {
  newlines: () => fill(head(), '\n'),
  'one line': () => fill(head(), 'x'),
  '> x lines': () => fill(head(), '> x\r\n').slice(0, size),
  'many parts': manyParts,
  'deep nesting': nested,
};

// The process's own footprint (libraries, SQLite, migrations): a tiny mail first; the
// memory a mail costs is the max RSS above it.
const figures = [];
let baseMb = 0;
for (const [name, make] of [['tiny', () => head() + 'hi\r\n'], ...Object.entries(mails)]) {
  const raw = make();
  const r = spawnSync('/usr/bin/time', ['-v', bin, 'mail-in', '--data-dir', dataDir],
    { input: raw, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 120000 });
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):(\d+(?:\.\d+)?)/.exec(r.stderr);
  const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
  const secs = wall ? Number(wall[1] || 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const mb = rss ? Number(rss[1]) / 1024 : NaN;
  const outcome = (/mail-in: (.*)/.exec(r.stderr) || [, `exit ${r.status}`])[1].slice(0, 70);
  if (name === 'tiny') {
    baseMb = mb;
    console.log(`mail-in tiny mail: ${secs.toFixed(2)} s, max RSS ${mb.toFixed(0)} MB (the process itself)`);
    continue;
  }
  figures.push({ name, secs, mb: mb - baseMb });
  console.log(`mail-in ${name.padEnd(13)} ${(raw.length / 1048576).toFixed(1)} MB: ${secs.toFixed(2)} s, ` +
    `max RSS ${mb.toFixed(0)} MB, ${(mb - baseMb).toFixed(0)} MB above a tiny mail ` +
    `(${((mb - baseMb) * 1048576 / raw.length).toFixed(2)}× the mail) — ${outcome}`);
}

// Over HTTP: pathological mails posted at once while GET /me is timed in a loop. The
// mails are built first: making 10 MB strings stalls this process's own event loop, which
// would count in the GETs' latency.
const bodies = Array.from({ length: parallel }, (_, i) => Buffer.from(i % 2 ? mails['> x lines']() : mails.newlines()));
const lat = [];
let done = false;
const poll = (async () => {
  while (!done) {
    const t = performance.now();
    const res = await fetch(base + '/api/v1/me', { headers: { cookie: M } });
    await res.arrayBuffer();
    lat.push(performance.now() - t);
    await new Promise((r) => setTimeout(r, 5));
  }
})();
const post = async (raw) => {
  const t = performance.now();
  const res = await fetch(base + '/api/v1/mail/inbound', {
    method: 'POST', body: raw, headers: { authorization: `Bearer ${secret}`, 'content-type': 'message/rfc822' },
  });
  const text = await res.text();
  return `${res.status} ${(/"code":"([^"]+)"/.exec(text) || [, JSON.parse(text).status])[1]} in ${((performance.now() - t) / 1000).toFixed(2)} s`;
};
await new Promise((r) => setTimeout(r, 200));
const answers = await Promise.all(bodies.map(post));
await new Promise((r) => setTimeout(r, 200));
done = true;
await poll;
lat.sort((a, b) => a - b);
const pct = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))].toFixed(1);
console.log(`HTTP: ${parallel} mails posted at once (${answers.join('; ')})`);
console.log(`HTTP: GET /api/v1/me meanwhile: ${lat.length} requests, p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, ` +
  `max ${lat[lat.length - 1].toFixed(1)} ms`);
const worst = figures.reduce((a, f) => ({ secs: Math.max(a.secs, f.secs), ratio: Math.max(a.ratio, f.mb * 1048576 / size) }),
  { secs: 0, ratio: 0 });
console.log(`targets: ≤ 1 s per mail (worst ${worst.secs.toFixed(2)} s), ≤ 3× the mail in memory ` +
  `(worst ${worst.ratio.toFixed(2)}×), GET max < 50 ms (${lat[lat.length - 1].toFixed(1)} ms)`);
