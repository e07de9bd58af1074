// Volume benchmark of the API on a database filled by `parley-server load-demo`:
// inbox pages (first page, filters, deep pages by cursor) and searches in the nine
// languages, server time per request as written in the server's own request log
// ("GET /path 200 1.234ms"), p50/p95/max; and the size and time of a thread's first
// page and of an older page, 10,000-message thread vs a short one.
// usage: node bench/volume_api.mjs <data dir>   (PARLEY_SERVER: the server binary)
import { startServer, signIn, getJson } from '../tests/http/server.mjs';

const dataDir = process.argv[2];
if (!dataDir) { console.error('usage: node bench/volume_api.mjs <data dir filled by load-demo>'); process.exit(2); }

const server = await startServer({ args: ['--data-dir', dataDir], pollTimeout: 2 });
const M = (await signIn(server.manufacturer)).cookie;
const dist = server.distributors[0];
const D = dist ? (await signIn(dist)).cookie : null;

// Server times (from the server's request log) of the requests whose route pattern starts
// with `prefix`, logged since the previous call.
let logged = '';
server.proc.stderr.on('data', (d) => { logged += d; });
async function serverTimes(prefix) {
  await new Promise((r) => setTimeout(r, 400));  // the log is flushed every 200 ms
  const out = [];
  for (const l of logged.split('\n')) {
    const m = /^(GET|POST) (\S+) (\d{3}) ([\d.]+)ms /.exec(l);  // "GET /api/v1/requests/{id} 200 1.234ms 512B"
    if (m && m[2].startsWith(prefix)) out.push(Number(m[4]));
  }
  logged = '';
  return out;
}
const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(s.length * p))]; };
const line = (what, xs, target) => console.log(`${what.padEnd(44)} n=${String(xs.length).padStart(4)}  p50 ${pct(xs, 0.5).toFixed(2)} ms  p95 ${pct(xs, 0.95).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms${target ? `   target p95 <= ${target} ms` : ''}`);

try {
  const first = (await getJson(server, M, '/requests')).json;
  console.log(`== volume API (${first.total} requests in the manufacturer's inbox)`);
  await serverTimes('');  // skip start-up lines

  // Inbox pages: the first page, each filter, and deep pages by cursor.
  const filters = ['', 'status=to_answer', 'status=answered', 'unread=1', 'country=DE', 'country=JP', 'handler=me',
    'status=answered&country=FR', 'unread=1&country=ES'];
  for (let round = 0; round < 10; round++)
    for (const f of filters) await getJson(server, M, `/requests?${f}`);
  let page = '';
  for (let i = 0; i < 100; i++) {
    const r = (await getJson(server, M, `/requests?limit=50${page ? `&page=${page}` : ''}`)).json;
    if (!r.next_page) break;
    page = r.next_page;
  }
  // Jump far down: a cursor near the oldest activity.
  const far = `${Date.now() - 2 * 365 * 86400000}_999999999`;
  for (let i = 0; i < 20; i++) await getJson(server, M, `/requests?page=${far}`);
  if (D) for (let i = 0; i < 20; i++) await getJson(server, D, `/requests${i % 2 ? '?status=to_answer' : ''}`);
  const inbox = await serverTimes('/api/v1/requests');  // this phase only
  line('inbox page (first, filtered, deep, distributor)', inbox, 20);

  // Searches: common and rare words in the nine languages, names, codes, CJK substrings.
  const words = ['valvula', 'Lieferzeit', 'certificate', 'précisément', 'насос', '液压', '見積', 'DN50', 'García',
    'Müller', 'consegna', 'orçamento', 'Rahmenvertrag', 'Wälzlagerprüfstand', 'descuento', 'скидку', '交货期',
    'ギアポンプ', 'Angebot', 'volume discount', 'Zahnradpumpe Lieferung', 'ball valve', 'qwxzzy', 'Abruf 40'];
  for (let round = 0; round < 5; round++)
    for (const w of words) await getJson(server, M, `/requests?q=${encodeURIComponent(w)}`);
  if (D) for (const w of words) await getJson(server, D, `/requests?q=${encodeURIComponent(w)}`);
  const search = await serverTimes('/api/v1/requests');  // the log has no query string: this phase only
  line('search (nine languages, manufacturer + distributor)', search, 50);

  // Threads: the 10,000-message negotiation vs a short one.
  const long = (await getJson(server, M, `/requests?q=${encodeURIComponent('Wälzlagerprüfstand')}`)).json.requests[0];
  const short = first.requests.find((x) => x.message_count >= 5 && x.message_count <= 60) || first.requests[0];
  for (const [name, id] of [['10,000-message thread', long.id], [`${short.message_count}-message thread`, short.id]]) {
    const bytes = [];
    let older = 0;
    for (let i = 0; i < 20; i++) {
      const r = await getJson(server, M, `/requests/${id}`);
      bytes.push(r.text.length);
      older = r.json.older;
    }
    const t = await serverTimes('/api/v1/requests/{id}');
    line(`open ${name} (${(bytes[0] / 1024).toFixed(0)} KB)`, t);
    if (older) {
      for (let i = 0; i < 20; i++) await getJson(server, M, `/requests/${id}/history?before=${older}`);
      line(`  older page of it`, await serverTimes('/api/v1/requests/{id}/history'));
    }
  }

  // Export: the whole inbox (every row) as CSV and XLSX — time, size, the server's memory
  // while it writes (sampled from /proc), and another user's GET /me meanwhile.
  const { readFileSync } = await import('node:fs');
  const rss = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${server.proc.pid}/status`, 'utf8'))[1]) / 1024;
  for (const format of ['csv', 'xlsx']) {
    const base = rss();
    let peak = base, done = false;
    const meTimes = [];
    const sampler = (async () => {
      while (!done) {
        peak = Math.max(peak, rss());
        const t0 = performance.now();
        if (D) await getJson(server, D, '/me');
        meTimes.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const t0 = performance.now();
    const res = await fetch(`${server.base}/api/v1/export/requests?format=${format}`, { headers: { cookie: M } });
    const body = Buffer.from(await res.arrayBuffer());
    const secs = (performance.now() - t0) / 1000;
    done = true;
    await sampler;
    console.log(`export ${format.padEnd(4)} ${res.headers.get('x-export-rows')} rows: ${secs.toFixed(1)} s, ` +
      `${(body.length / 1048576).toFixed(1)} MB, server RSS +${(peak - base).toFixed(0)} MB (from ${base.toFixed(0)} MB), ` +
      `GET /me meanwhile p95 ${pct(meTimes, 0.95).toFixed(1)} ms`);
  }
} finally {
  const { code } = await server.stop();
  if (code !== 0) console.log(`server exit code ${code}`);
}
