// Documents against the real server with the demo data: the PDF of a
// structured quote (both sides, never opens the quote, 404 for others, inline or
// download), and page previews of PDF attachments and quote PDFs (page list, PNG of the
// requested width, refusals: not a PDF, unreadable PDF, no such page, not visible).
//
// Request 20: Rahul Mehta (buyer) and Marta Iglesias (manufacturer, her own
// conversation). Pierre Dubois (another buyer) and Jonas Weber (a distributor not on
// request 20) see nothing of it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startSignedIn, stopCleanly, call, postJson, postMessage, newKey, getJson, expectError } from './server.mjs';

let server;
const u = {};
const REQ = 20;
const DAY = 24 * 3600 * 1000;

before(async () => { server = await startSignedIn({ M: 'Marta Iglesias', R: 'Rahul Mehta', P: 'Pierre Dubois', J: 'Jonas Weber' }, u); });
after(() => stopCleanly(server));

function quoteBody(lines = 3) {
  const L = [];
  for (let i = 0; i < lines; i++) {
    L.push(i % 2 === 0
      ? { product: 'Válvula de bola DN50 — Ø 50 mm', reference: `VB-${i}`, quantity: 12000, unit: 'pcs', unit_price: 8950, discount_bp: 750 }
      : { product: 'Шаровой кран', reference: `SK-${i}`, quantity: 2500, unit: 'm', unit_price: 1999 });
  }
  return {
    currency: 'EUR', lines: L, tax_bp: 2100, shipping: 5000, incoterm: 'EXW', lead_time_days: 15,
    valid_until: Date.now() + 30 * DAY, payment_terms: '30 days net', notes: 'Pressure tested.', online_payment: false,
  };
}

// GET with the raw bytes.
async function getBytes(cookie, path) {
  const res = await fetch(`${server.base}/api/v1${path}`, { headers: cookie ? { cookie } : {} });
  const buf = Buffer.from(await res.arrayBuffer());
  let json;
  try { json = JSON.parse(buf.toString('utf8')); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, buf, json, text: buf.toString('utf8') };
}

const PNG_SIG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Width and height from the IHDR chunk (the first one, right after the signature).
function pngSize(buf) {
  assert.ok(buf.subarray(0, 8).equals(PNG_SIG), 'PNG signature');
  assert.equal(buf.subarray(12, 16).toString('latin1'), 'IHDR');
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function upload(cookie, body, { kind = 'other', name = 'file' } = {}) {
  const q = new URLSearchParams({ kind, name });
  return call(server, `/api/v1/requests/${REQ}/attachments?${q}`, {
    cookie, method: 'POST', body, headers: { 'content-type': 'application/octet-stream' },
  });
}

// Uploads as Marta and posts it in her conversation; returns the attachment.
async function attach(body, opts) {
  const up = await upload(u.M, body, opts);
  assert.equal(up.status, 201, up.text);
  const posted = await postMessage(server, u.M, REQ, { body: '', attachments: [up.json.id] }, newKey());
  assert.equal(posted.status, 201, posted.text);
  return up.json;
}

let quote;     // a small quote (one page)
let bigPdf;    // the bytes of a several-page quote PDF

test('the quote PDF: both sides get it; inline or download; others 404; it opens nothing', async () => {
  const r = await postJson(server, u.M, `/requests/${REQ}/quotes`, quoteBody());
  assert.equal(r.status, 201, r.text);
  quote = r.json;
  const name = `${quote.number}-v1.pdf`;
  for (const who of [u.M, u.R]) {
    const pdf = await getBytes(who, `/quotes/${quote.id}/pdf`);
    assert.equal(pdf.status, 200, pdf.text);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.equal(pdf.headers.get('content-disposition'), `inline; filename="${name}"`);
    assert.equal(pdf.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(pdf.buf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.ok(pdf.buf.includes('/FontFile2'), 'embedded font');
    assert.ok(pdf.buf.subarray(-8).toString('latin1').includes('%%EOF'));
  }
  const dl = await getBytes(u.R, `/quotes/${quote.id}/pdf?download=1`);
  assert.equal(dl.status, 200);
  assert.equal(dl.headers.get('content-disposition'), `attachment; filename="${name}"`);

  // The same document every time (cached per quote version).
  const again = await getBytes(u.M, `/quotes/${quote.id}/pdf`);
  assert.ok(again.buf.equals(dl.buf));
  assert.ok(existsSync(join(server.dataDir, 'cache', 'quote-pdf')));

  for (const who of [u.P, u.J]) expectError(await getBytes(who, `/quotes/${quote.id}/pdf`), 404, 'not_found');
  expectError(await getBytes(u.M, '/quotes/999999/pdf'), 404, 'not_found');
  expectError(await getBytes(undefined, `/quotes/${quote.id}/pdf`), 401, 'unauthorized');
  const post = await call(server, `/api/v1/quotes/${quote.id}/pdf`, { cookie: u.M, method: 'POST' });
  expectError(post, 405, 'method_not_allowed');

  // Neither side's download opened it: still "sent", no quote_opened event.
  for (const who of [u.M, u.R]) {
    const q = await getJson(server, who, `/quotes/${quote.id}`);
    assert.equal(q.json.status, 'sent');
    assert.equal(q.json.opened_at, 0);
  }
  const d = await getJson(server, u.M, `/requests/${REQ}`);
  assert.ok(!d.json.events.some((e) => e.kind === 'quote_opened'));
});

test('a quote with many lines makes a several-page PDF, which previews page by page', async () => {
  const r = await postJson(server, u.M, `/requests/${REQ}/quotes`, quoteBody(80));
  assert.equal(r.status, 201, r.text);
  const pdf = await getBytes(u.R, `/quotes/${r.json.id}/pdf`);
  assert.equal(pdf.status, 200);
  bigPdf = pdf.buf;

  const pages = await getJson(server, u.R, `/quotes/${r.json.id}/pdf/pages`);
  assert.equal(pages.status, 200, pages.text);
  assert.ok(pages.json.pages >= 2, pages.text);
  assert.equal(pages.json.truncated, false);
  assert.equal(pages.json.sizes.length, pages.json.pages);
  const [w, h] = pages.json.sizes[0];
  assert.ok(Math.abs(w - 595.28) < 1 && Math.abs(h - 841.89) < 1, pages.text);

  const png = await getBytes(u.M, `/quotes/${r.json.id}/pdf/pages/2?width=300`);
  assert.equal(png.status, 200, png.text);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.deepEqual(pngSize(png.buf), { width: 300, height: Math.round(300 * 841.89 / 595.28) });
  expectError(await getBytes(u.P, `/quotes/${r.json.id}/pdf/pages`), 404, 'not_found');
  expectError(await getBytes(u.P, `/quotes/${r.json.id}/pdf/pages/1`), 404, 'not_found');
  expectError(await getBytes(u.M, `/quotes/${r.json.id}/pdf/pages/99`), 404, 'no_such_page');
  const q = await getJson(server, u.R, `/quotes/${r.json.id}`);
  assert.equal(q.json.status, 'sent');
});

test('previews of a PDF attachment: page list, PNG of the requested width, refusals', async () => {
  assert.ok(bigPdf, 'needs the previous test');
  const a = await attach(bigPdf, { kind: 'quote', name: 'offer.pdf' });
  assert.equal(a.type, 'application/pdf');

  for (const who of [u.M, u.R]) {
    const pages = await getJson(server, who, `/attachments/${a.id}/pages`);
    assert.equal(pages.status, 200, pages.text);
    assert.ok(pages.json.pages >= 2);
    assert.equal(pages.json.sizes.length, pages.json.pages);
  }
  const png = await getBytes(u.R, `/attachments/${a.id}/pages/1?width=400`);
  assert.equal(png.status, 200, png.text);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.equal(png.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(pngSize(png.buf).width, 400);
  // Cached on disk: the same bytes again, stored apart from the uploaded files.
  const again = await getBytes(u.M, `/attachments/${a.id}/pages/1?width=400`);
  assert.ok(again.buf.equals(png.buf));
  const cached = readdirSync(join(server.dataDir, 'cache', 'previews', a.sha256.slice(0, 2)));
  assert.ok(cached.includes(`${a.sha256}-p1-w400.png`), cached.join());
  assert.ok(cached.includes(`${a.sha256}-pages.json`), cached.join());

  // Width: default 800, clamped to 100..1600; garbage refused.
  assert.equal(pngSize((await getBytes(u.M, `/attachments/${a.id}/pages/1`)).buf).width, 800);
  assert.equal(pngSize((await getBytes(u.M, `/attachments/${a.id}/pages/1?width=20`)).buf).width, 100);
  assert.equal(pngSize((await getBytes(u.M, `/attachments/${a.id}/pages/2?width=99999`)).buf).width, 1600);
  expectError(await getBytes(u.M, `/attachments/${a.id}/pages/1?width=wide`), 400, 'invalid_field');

  expectError(await getBytes(u.M, `/attachments/${a.id}/pages/99`), 404, 'no_such_page');
  expectError(await getBytes(u.M, `/attachments/${a.id}/pages/0`), 404, 'no_such_page');
  expectError(await getBytes(u.M, `/attachments/${a.id}/pages/x`), 404, 'no_such_page');
  for (const who of [u.P, u.J]) {
    expectError(await getBytes(who, `/attachments/${a.id}/pages`), 404, 'not_found');
    expectError(await getBytes(who, `/attachments/${a.id}/pages/1`), 404, 'not_found');
  }
  expectError(await getBytes(u.M, '/attachments/999999/pages'), 404, 'not_found');
  expectError(await call(server, `/api/v1/attachments/${a.id}/pages`, { cookie: u.M, method: 'POST' }),
    405, 'method_not_allowed');
  expectError(await getBytes(u.M, `/attachments/${a.id}/pages/1/x`), 404, 'not_found');
});

test('not a PDF → 415; an unreadable PDF → 422; a pending upload previews for its uploader only', async () => {
  const PNG = Buffer.concat([PNG_SIG, Buffer.alloc(32, 1)]);
  const img = await attach(PNG, { name: 'photo.png' });
  expectError(await getBytes(u.R, `/attachments/${img.id}/pages`), 415, 'not_a_pdf');
  expectError(await getBytes(u.R, `/attachments/${img.id}/pages/1`), 415, 'not_a_pdf');

  const broken = await attach(Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n'), { name: 'broken.pdf' });
  expectError(await getBytes(u.R, `/attachments/${broken.id}/pages`), 422, 'unreadable_pdf');
  expectError(await getBytes(u.R, `/attachments/${broken.id}/pages/1`), 422, 'unreadable_pdf');
  const truncated = await attach(bigPdf.subarray(0, 2000), { name: 'truncated.pdf' });
  const t = await getBytes(u.R, `/attachments/${truncated.id}/pages/1?width=200`);
  assert.ok(t.status === 422 || t.status === 200, t.text);  // poppler may rebuild what is left
  assert.ok(server.alive());

  const pending = await upload(u.M, bigPdf, { kind: 'quote', name: 'draft.pdf' });
  assert.equal(pending.status, 201, pending.text);
  const mine = await getJson(server, u.M, `/attachments/${pending.json.id}/pages`);
  assert.equal(mine.status, 200, mine.text);
  expectError(await getBytes(u.R, `/attachments/${pending.json.id}/pages`), 404, 'not_found');
  expectError(await getBytes(u.R, `/attachments/${pending.json.id}/pages/1`), 404, 'not_found');
});
