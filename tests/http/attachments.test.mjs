// Attachments against the real server with the demo data: uploads by content
// type (PDF, PNG, DOCX-like ZIP, CSV), size and type refusals, name sanitising, download
// headers, visibility (pending uploads: the uploader only; then the conversation's
// audience), messages carrying attachments, idempotent replays, and a dropped upload
// leaving no file behind.
//
// Request 8: Camille Laurent (buyer), routed to Claire Martin (distributor); Marta
// Iglesias (manufacturer) keeps her own conversation and must not see Claire's files;
// Jonas Weber (another distributor) and Pierre Dubois (another buyer) see nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  startSignedIn, stopCleanly, call, postMessage, newKey, getJson, expectError,
} from './server.mjs';

let server;
const u = {};
const REQ = 8;

before(async () => { server = await startSignedIn({ M: 'Marta Iglesias', C: 'Claire Martin', J: 'Jonas Weber', B: 'Camille Laurent', P: 'Pierre Dubois' }, u); });
after(() => stopCleanly(server));

const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 1)]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.from([0x90, 0, 3, 0, 0, 0, 4, 0]), Buffer.alloc(64, 0)]);

// A tiny ZIP whose entries are named like a Word document's.
function docxLike() {
  const name = Buffer.from('word/document.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  return Buffer.concat([local, name, Buffer.from('<w:document/>'), central, name, end]);
}

function upload(cookie, body, { kind = 'other', name = 'file', conversation, rid = REQ } = {}) {
  const q = new URLSearchParams({ kind, name });
  if (conversation) q.set('conversation_id', String(conversation));
  return call(server, `/api/v1/requests/${rid}/attachments?${q}`, {
    cookie, method: 'POST', body, headers: { 'content-type': 'application/octet-stream' },
  });
}
const download = (cookie, id) => fetch(`${server.base}/api/v1/attachments/${id}`, { headers: { cookie } });

// Every regular file under <data-dir>/files (relative paths).
function storedFiles() {
  const root = join(server.dataDir, 'files');
  const out = [];
  const walk = (dir) => {
    if (!existsSync(dir)) return;
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p); else out.push(p.slice(root.length + 1));
    }
  };
  walk(root);
  return out.sort();
}

async function camilleConvWithClaire() {
  const d = (await getJson(server, u.B, `/requests/${REQ}`)).json;
  const c = d.conversations.find((x) => x.seller.name === 'Claire Martin');
  assert.ok(c, 'request 8 has a conversation with Claire');
  return c.id;
}

test('a quote PDF: pending for the uploader only, then visible with the message', async () => {
  const up = await upload(u.C, PDF, { kind: 'quote', name: 'Angebot 12.pdf' });
  assert.equal(up.status, 201, up.text);
  const a = up.json;
  assert.equal(a.type, 'application/pdf');
  assert.equal(a.kind, 'quote');
  assert.equal(a.size, PDF.length);
  assert.equal(a.message_id, 0);
  assert.equal(a.name, 'Angebot 12.pdf');
  assert.match(a.sha256, /^[0-9a-f]{64}$/);
  assert.ok(storedFiles().includes(`${a.sha256.slice(0, 2)}/${a.sha256.slice(2)}`));

  // Pending: only Claire.
  assert.equal((await download(u.C, a.id)).status, 200);
  for (const k of ['B', 'M', 'J', 'P']) {
    const r = await download(u[k], a.id);
    assert.equal(r.status, 404, k);
    assert.equal((await r.json()).error.code, 'not_found');
  }

  // The message names it (empty body allowed with attachments).
  const key = newKey();
  const posted = await postMessage(server, u.C, REQ, { body: '', attachments: [a.id] }, key);
  assert.equal(posted.status, 201, posted.text);
  assert.equal(posted.json.attachments.length, 1);
  assert.equal(posted.json.attachments[0].id, a.id);
  assert.equal(posted.json.attachments[0].message_id, posted.json.id);

  // Replay: the same message, with its attachments.
  const replay = await postMessage(server, u.C, REQ, { body: '', attachments: [a.id] }, key);
  assert.equal(replay.status, 200, replay.text);
  assert.equal(replay.json.id, posted.json.id);
  assert.deepEqual(replay.json.attachments.map((x) => x.id), [a.id]);

  // The buyer sees it in the detail and can download it.
  const d = (await getJson(server, u.B, `/requests/${REQ}`)).json;
  const m = d.messages.find((x) => x.id === posted.json.id);
  assert.ok(m, 'the buyer sees the message');
  assert.equal(m.attachments[0].name, 'Angebot 12.pdf');
  const r = await download(u.B, a.id);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.match(r.headers.get('cache-control'), /private/);
  assert.equal(r.headers.get('content-disposition'),
    'attachment; filename="Angebot 12.pdf"; filename*=UTF-8\'\'Angebot%2012.pdf');
  assert.deepEqual(Buffer.from(await r.arrayBuffer()), PDF);

  // Marta (her own conversation only), Jonas and another buyer: not visible.
  for (const k of ['M', 'J', 'P']) assert.equal((await download(u[k], a.id)).status, 404, k);
  const md = (await getJson(server, u.M, `/requests/${REQ}`)).json;
  assert.ok(!md.messages.some((x) => x.id === posted.json.id));

  // Already attached: a new message cannot take it again.
  expectError(await postMessage(server, u.C, REQ, { body: 'again', attachments: [a.id] }, newKey()),
    400, 'invalid_attachment');
});

test('other types by content: PNG, DOCX-like ZIP, CSV, TXT', async () => {
  const cases = [
    [PNG, 'photo.png', 'image/png'],
    [docxLike(), 'Offer.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    [Buffer.from('ref,qty\nA-12,40\n'), 'list.csv', 'text/csv; charset=utf-8'],
    [Buffer.from('Grüße — 你好\n'), 'notes.txt', 'text/plain; charset=utf-8'],
  ];
  for (const [bytes, name, type] of cases) {
    const r = await upload(u.C, bytes, { name });
    assert.equal(r.status, 201, `${name}: ${r.text}`);
    assert.equal(r.json.type, type, name);
    assert.equal(r.json.name, name);
    const dl = await download(u.C, r.json.id);
    assert.equal(dl.headers.get('content-type'), type);
    assert.deepEqual(Buffer.from(await dl.arrayBuffer()), bytes);
  }
});

test('refusals: too large, wrong type, quote not a PDF, empty, bad kind', async () => {
  const big = await upload(u.C, Buffer.alloc(12 * 1024 * 1024, 0x41), { name: 'big.txt' });
  expectError(big, 413, 'file_too_large', 'a 12 MB file');

  const fake = await upload(u.C, PNG, { kind: 'quote', name: 'quote.pdf' });
  expectError(fake, 415, 'unsupported_type', 'a PNG named .pdf as a quote');
  assert.match(fake.json.error.message, /PDF/);
  const exe = await upload(u.C, EXE, { name: 'setup.exe' });
  expectError(exe, 415, 'unsupported_type', 'an executable');
  assert.match(exe.json.error.message, /PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT/);
  expectError(await upload(u.C, EXE, { name: 'invoice.pdf' }), 415, 'unsupported_type', 'exe named .pdf');
  expectError(await upload(u.C, Buffer.alloc(0), { name: 'empty.pdf' }), 400, 'empty_file');
  expectError(await upload(u.C, PDF, { kind: 'contract', name: 'x.pdf' }), 400, 'invalid_field');
  // Not visible / not signed in.
  expectError(await upload(u.J, PDF, { name: 'x.pdf' }), 404, 'not_found', 'Jonas on request 8');
  expectError(await upload(u.P, PDF, { name: 'x.pdf' }), 404, 'not_found', 'another buyer');
  expectError(await upload(undefined, PDF, { name: 'x.pdf' }), 401, 'unauthorized');
  // A conversation of the request that is not mine.
  const conv = await camilleConvWithClaire();
  expectError(await upload(u.M, PDF, { name: 'x.pdf', conversation: conv }), 404, 'not_found');
});

test('file names are sanitised', async () => {
  const r = await upload(u.C, Buffer.from('hello'), { name: '../../etc/pa\u0001ss\r\nwd?.txt' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'passwd.txt');
  const r2 = await upload(u.C, Buffer.from('hello'), { name: '..' });
  assert.equal(r2.json.name, 'document.txt', 'nothing left: "document", with its type\'s extension');
  const r3 = await upload(u.C, Buffer.from('hello'), { name: `${'x'.repeat(300)}.csv` });
  assert.equal(r3.json.name.length, 150);
  assert.ok(r3.json.name.endsWith('.csv'));
  assert.equal(r3.json.type, 'text/csv; charset=utf-8');
  const r4 = await upload(u.C, Buffer.from('hello'), { name: 'Préstamo "final".txt' });
  assert.equal(r4.json.name, 'Préstamo final.txt');
  const dl = await download(u.C, r4.json.id);
  assert.equal(dl.headers.get('content-disposition'),
    'attachment; filename="Pr__stamo final.txt"; filename*=UTF-8\'\'Pr%C3%A9stamo%20final.txt');
});

test('scripts and pages are not accepted as text; the extension must fit the content', async () => {
  const script = Buffer.from('echo pwned\n');
  for (const name of ['run.js', 'a.vbs', 'x.hta', 'setup.bat', 'go.cmd', 'p.ps1', 'i.sh', 'app.desktop',
    'page.html', 'page.HTM', 'logo.svg', 'notes.txt.js']) {
    const r = await upload(u.C, script, { name });
    expectError(r, 415, 'unsupported_type', name);
    assert.match(r.json.error.message, /are not accepted/, name);
  }
  const svg = await upload(u.C, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    { name: 'logo.svg' });
  expectError(svg, 415, 'unsupported_type', 'an SVG');
  expectError(await upload(u.C, PDF, { name: 'invoice.exe' }), 415, 'unsupported_type', 'a PDF named .exe');
  // Fitting names pass; a name without extension gets its type's.
  assert.equal((await upload(u.C, PDF, { name: 'Offer.PDF' })).status, 201);
  assert.equal((await upload(u.C, PNG, { name: 'photo.jpg' })).json.name, 'photo.jpg', 'image extensions interchange');
  assert.equal((await upload(u.C, script, { name: 'README' })).json.name, 'README.txt');
  assert.equal((await upload(u.C, PDF, { name: 'scan' })).json.name, 'scan.pdf');
});

test('bidirectional and invisible characters are taken out of names', async () => {
  // "invoice_<RLO>fdp.exe" shows as "invoice_exe.pdf" in a right-to-left-aware list.
  const spoof = await upload(u.C, PDF, { name: 'invoice_\u202Efdp.exe' });
  expectError(spoof, 415, 'unsupported_type', 'an .exe name behind a right-to-left override');
  const r = await upload(u.C, PDF, { name: 'of\u200Bfer\u2066_\u2069final\u202C\uFEFF.pdf' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.name, 'offer_final.pdf');
  const ar = await upload(u.C, PDF, { name: 'عرض\u061C السعر.pdf' });
  assert.equal(ar.json.name, 'عرض السعر.pdf', 'Arabic text itself stays');
});

test('messages: the buyer attaches in her conversation; invalid ids and limits', async () => {
  const conv = await camilleConvWithClaire();
  const mine = await upload(u.B, Buffer.from('qty,price\n10,5\n'), { name: 'needs.csv', conversation: conv });
  assert.equal(mine.status, 201, mine.text);
  assert.equal(mine.json.conversation_id, conv);
  // Pending: Claire cannot fetch it or attach it.
  assert.equal((await download(u.C, mine.json.id)).status, 404);
  expectError(await postMessage(server, u.C, REQ, { body: 'x', attachments: [mine.json.id] }, newKey()),
    400, 'invalid_attachment', "another user's upload");
  expectError(await postMessage(server, u.B, REQ, { body: 'x', attachments: [999999] }, newKey()),
    400, 'invalid_attachment', 'unknown id');
  expectError(await postMessage(server, u.B, REQ,
    { body: 'x', conversation_id: conv, attachments: Array.from({ length: 11 }, (_, i) => i + 1) }, newKey()),
    400, 'too_many_attachments');
  expectError(await postMessage(server, u.B, REQ, { body: '  ', conversation_id: conv }, newKey()), 400, 'empty_message');
  const posted = await postMessage(server, u.B, REQ,
    { body: 'Our needs attached', conversation_id: conv, attachments: [mine.json.id] }, newKey());
  assert.equal(posted.status, 201, posted.text);
  assert.equal(posted.json.attachments[0].name, 'needs.csv');
  // Now Claire sees it; Marta and Jonas do not.
  const dl = await download(u.C, mine.json.id);
  assert.equal(dl.status, 200);
  assert.equal(await dl.text(), 'qty,price\n10,5\n');
  const cd = (await getJson(server, u.C, `/requests/${REQ}`)).json;
  assert.ok(cd.messages.find((m) => m.id === posted.json.id).attachments.some((a) => a.id === mine.json.id));
  assert.equal((await download(u.M, mine.json.id)).status, 404);
  assert.equal((await download(u.J, mine.json.id)).status, 404);
  // An upload in one conversation cannot go to another.
  const other = await upload(u.B, PDF, { name: 'x.pdf', conversation: conv });
  const martaConv = (await getJson(server, u.B, `/requests/${REQ}`)).json.conversations
    .find((c) => c.seller.name === 'Marta Iglesias').id;
  assert.notEqual(martaConv, conv);
  expectError(await postMessage(server, u.B, REQ,
    { body: 'wrong conversation', conversation_id: martaConv, attachments: [other.json.id] }, newKey()),
  400, 'invalid_attachment');
});

test('identical content is stored once; ids and bad paths', async () => {
  const before = storedFiles();
  const a = await upload(u.C, Buffer.from('same bytes\n'), { name: 'one.txt' });
  const b = await upload(u.C, Buffer.from('same bytes\n'), { name: 'two.txt' });
  assert.equal(a.json.sha256, b.json.sha256);
  assert.notEqual(a.json.id, b.json.id);
  const after = storedFiles();
  assert.equal(after.length, before.length + 1);
  assert.equal((await download(u.C, 'abc')).status, 404);
  assert.equal((await download(u.C, 999999)).status, 404);
  const post = await call(server, '/api/v1/attachments/1', { cookie: u.C, method: 'POST' });
  assert.equal(post.status, 405);
});

test('a dropped upload leaves no file behind', async () => {
  const before = storedFiles();
  await new Promise((resolve) => {
    const s = net.connect(server.port, '127.0.0.1', () => {
      s.write(`POST /api/v1/requests/${REQ}/attachments?kind=other&name=cut.txt HTTP/1.1\r\nHost: x\r\n` +
        `Cookie: ${u.C}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${1024 * 1024}\r\n\r\n`);
      s.write(Buffer.alloc(100 * 1024, 0x61), () => setTimeout(() => { s.destroy(); resolve(); }, 100));
    });
    s.on('error', resolve);
  });
  await new Promise((r) => setTimeout(r, 300));
  const after = storedFiles();
  assert.deepEqual(after, before);
  assert.ok(!after.some((f) => f.includes('.tmp')));
  assert.equal((await call(server, '/api/v1/me', { cookie: u.C })).status, 200);
});
