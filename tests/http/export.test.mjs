// Export: the inbox as CSV and XLSX, with the filters and search on screen, exactly the
// rows the user's inbox holds (a distributor's export holds nothing of the
// manufacturer's own requests), a clear 400 for a wrong format, sign-in required.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { inflateRawSync } from 'node:zlib';
import { startServer, signIn, call, getJson } from './server.mjs';

let server;
const cookie = {};
before(async () => {
  server = await startServer();
  cookie.M = (await signIn(server.manufacturer)).cookie;
  cookie.D = (await signIn(server.distributors[0])).cookie;
  cookie.B = (await signIn(server.buyers[0])).cookie;
});
after(async () => { await server.stop(); });

// Every request id of the inbox with these filters, through its pages.
async function inboxIds(who, query = '') {
  const ids = [];
  let page = '';
  do {
    const r = await getJson(server, cookie[who], `/requests?limit=100${query}${page ? `&page=${encodeURIComponent(page)}` : ''}`);
    assert.equal(r.status, 200);
    for (const x of r.json.requests) ids.push(x.id);
    page = r.json.next_page;
  } while (page);
  return ids;
}

async function download(who, query) {
  const r = await fetch(`${server.base}/api/v1/export/requests?${query}`, { headers: { Cookie: cookie[who] } });
  return { status: r.status, headers: r.headers, bytes: Buffer.from(await r.arrayBuffer()) };
}

// RFC 4180 rows of a CSV text (quoted fields may hold commas, quotes and newlines).
function parseCsv(text) {
  const rows = [];
  let row = [], field = '', quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { row.push(field); field = ''; } else if (c === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++; } else field += c;
  }
  return rows;
}

// name → content of every entry of a ZIP file.
function unzip(buf) {
  const end = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(end > 0, 'a ZIP end record');
  const out = {};
  let at = buf.readUInt32LE(end + 16);
  for (let i = 0; i < buf.readUInt16LE(end + 10); i++) {
    assert.equal(buf.readUInt32LE(at), 0x02014b50);
    const packed = buf.readUInt32LE(at + 20), nameLen = buf.readUInt16LE(at + 28), local = buf.readUInt32LE(at + 42);
    const name = buf.subarray(at + 46, at + 46 + nameLen).toString();
    at += 46 + nameLen + buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const data = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    out[name] = inflateRawSync(buf.subarray(data, data + packed)).toString();
  }
  return out;
}

test('CSV: every row of the filtered inbox, with a BOM, as a download', async () => {
  for (const query of ['', '&status=to_answer', '&country=DE']) {
    const ids = await inboxIds('M', query);
    const r = await download('M', `format=csv${query}`);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /^text\/csv; charset=utf-8/);
    assert.match(r.headers.get('content-disposition'), /attachment; filename="parley-requests-\d{4}-\d\d-\d\d\.csv"/);
    assert.deepEqual([...r.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
    const rows = parseCsv(r.bytes.subarray(3).toString());
    assert.equal(rows[0][0], 'Request');
    assert.equal(rows[0][3], 'Buyer');
    assert.deepEqual(rows.slice(1).map((x) => Number(x[0])), ids, `same rows, same order (${query || 'no filter'})`);
    assert.equal(r.headers.get('x-export-rows'), String(ids.length));
    if (query === '&status=to_answer') assert.ok(rows.slice(1).every((x) => x[8] === 'to_answer'));
    if (query === '&country=DE') assert.ok(rows.slice(1).every((x) => x[5] === 'DE'));
    for (const x of rows.slice(1)) assert.match(x[1], new RegExp(`/requests/${x[0]}$`));
  }
});

test('XLSX: a workbook with the same rows; a search exports its hits with the match', async () => {
  const ids = await inboxIds('M');
  const r = await download('M', 'format=xlsx');
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  const parts = unzip(r.bytes);
  assert.ok(parts['xl/workbook.xml'].includes('name="Requests"'));
  const sheet = parts['xl/worksheets/sheet1.xml'];
  const first = [...sheet.matchAll(/<row r="\d+"><c r="A\d+"(?: [^>]*)?>(?:<v>(\d+)<\/v>|<is>)/g)].slice(1).map((m) => Number(m[1]));
  assert.deepEqual(first, ids);

  const found = await inboxIds('M', '&q=pump');
  assert.ok(found.length > 0, 'the demo has pumps');
  const s = await download('M', 'format=csv&q=pump');
  const rows = parseCsv(s.bytes.subarray(3).toString());
  assert.equal(rows[0].at(-1), 'Match');
  assert.deepEqual(rows.slice(1).map((x) => Number(x[0])).sort((a, b) => a - b), [...found].sort((a, b) => a - b));
});

test('a distributor exports their own inbox only; a buyer theirs', async () => {
  for (const who of ['D', 'B']) {
    const ids = await inboxIds(who);
    const r = await download(who, 'format=csv');
    assert.equal(r.status, 200);
    const got = parseCsv(r.bytes.subarray(3).toString()).slice(1).map((x) => Number(x[0]));
    assert.deepEqual(got, ids, who);
  }
  const all = await inboxIds('M');
  const mine = await inboxIds('D');
  assert.ok(mine.length < all.length, 'the distributor sees less than the manufacturer');
});

test('a wrong format or filter is a 400 with a JSON error; signed out is a 401', async () => {
  let r = await call(server, '/api/v1/export/requests?format=pdf', { cookie: cookie.M });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_query');
  r = await call(server, '/api/v1/export/requests?format=csv&status=nonsense', { cookie: cookie.M });
  assert.equal(r.status, 400);
  assert.equal(r.json.error.code, 'invalid_query');
  r = await call(server, '/api/v1/export/requests?format=csv');
  assert.equal(r.status, 401);
});
