// "Attach a document" in the reply composer: the picker opened inside the
// tap, upload progress, the chip, sending, the document in the bubble; a file over
// the limit refused in the browser with the draft kept — at desktop and phone sizes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, reach, settle, shot, signIn, startServer, waitWidget, widgets }
  from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A small but real PDF, padded so that a throttled upload shows its progress bar.
function pdf(padBytes) {
  const pad = 'x'.repeat(padBytes);
  return Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n` +
    `2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${pad}\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}

async function typeInto(page, field, text) {
  await press(page, field);
  await page.waitForTimeout(150);
  await page.keyboard.type(text, { delay: 5 });
}

// "Attach a document" → kind → the file chooser, answered with `files`.
async function attach(page, kind, files, shotName) {
  await press(page, await waitWidget(page, byLabel('Attach a document', 'button'), 'Attach a document'));
  const item = await waitWidget(page, byLabel(kind, 'button'), kind);
  if (shotName) { await shot(page, shotName); await settle(page); }
  const chooser = page.waitForEvent('filechooser', { timeout: 5000 });
  await press(page, item);
  const fc = await chooser;
  assert.ok(fc.isMultiple(), 'several files may be picked at once');
  await fc.setFiles(files);
}

for (const [name, profile, row] of [['desktop', DESKTOP, 2], ['phone', PHONE, 3]]) {
  describe(`attach a document on ${name}`, () => {
    test('quote PDF: progress, chip, send, the bubble shows it; 12 MB refused with the draft kept', async () => {
      const { page, context } = await signIn(browser, profile, server.link('manufacturer'));
      // Intercept file choosers from the start: turning interception on inside attach() can come
      // after the click (the dialog then opens natively and the event is missed).
      page.on('filechooser', () => {});
      await page.waitForTimeout(200);
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
      await press(page, rows.length > row ? rows[row] : rows[0]);
      await page.waitForURL(/\/requests\/\d+$/);
      const field = await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field');
      const text = `Please find our quote attached (${name}).`;
      await typeInto(page, field, text);

      // Hold each chunk's answer for a while: the chip shows its progress bar meanwhile.
      const chunks = /\/api\/v1\/uploads\/[^/?]+\?offset=/;
      await page.route(chunks, async (route) => { await new Promise((r) => setTimeout(r, 1500)); await route.continue(); });
      const calls = [];  // the chunked protocol: open, PUT chunks from File.slice, complete
      page.on('request', (r) => { if (r.url().includes('/uploads')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`); });
      const file = `quote-${name}.pdf`;
      await attach(page, 'Quote', { name: file, mimeType: 'application/pdf', buffer: pdf(1500 * 1024) },
        `${name}-attach-menu`);
      const bar = await waitWidget(page, (w) => w.kind === 'progressbar' && w.label.startsWith(`Uploading ${file}: `),
        'upload progress', 10000).catch(() => null);
      if (bar) {
        await shot(page, `${name}-attach-progress`);
        const send = (await widgets(page)).find(byLabel('Send', 'button'));
        assert.ok(send && send.disabled, 'Send waits while the upload runs');
        assert.ok((await widgets(page)).some(byLabel(`Cancel upload ${file}`, 'button')), 'a running upload can be cancelled');
      }
      await waitWidget(page, byLabel(`Remove ${file}`, 'button'), 'the finished chip', 30000);
      await page.unroute(chunks);
      await shot(page, `${name}-attach-chip`);
      assert.ok(bar, 'the progress bar was shown while uploading');
      assert.equal(calls[0], 'POST /api/v1/requests/' + page.url().split('/').pop() + '/uploads', calls.join(', '));
      assert.equal(calls.filter((c) => c.startsWith('PUT /api/v1/uploads/')).length, 2, 'two chunks for 1.5 MB');
      assert.match(calls[calls.length - 1], /^POST \/api\/v1\/uploads\/[^/]+\/complete$/);

      // The menu closed when the picker opened, even though the chip pushed it down
      // under the finger before the tap was over (a menu left open eats the next tap).
      assert.ok(!(await widgets(page)).some(byLabel('Quote', 'button')), 'the attach menu closed');
      await waitWidget(page, (w) => byLabel('Send', 'button')(w) && !w.disabled, 'Send');
      await press(page, await waitWidget(page, (w) => byLabel('Send', 'button')(w) && !w.disabled, 'Send'));
      const link = await reach(page, (w) => w.kind === 'link' && w.label.startsWith(file + ', '), 'the document in the bubble',
        !!profile.hasTouch);
      assert.match(link.href, /^\/api\/v1\/attachments\/\d+$/);
      assert.match(link.label, /Quote \(PDF\)/);
      await waitWidget(page, (w) => w.kind === 'message' && w.label === text, 'the sent text');
      assert.ok(!(await widgets(page)).some(byLabel(`Remove ${file}`, 'button')), 'the chip left the composer');
      await settle(page);
      await shot(page, `${name}-attach-sent`);
      const got = await page.evaluate(async (href) => { const r = await fetch(href); return [r.status, (await r.text()).slice(0, 8)]; }, link.href);
      assert.deepEqual(got, [200, '%PDF-1.4'], 'the link serves the document');

      // Over the limit: refused before any upload, the draft stays.
      const draft = `Draft kept (${name}).`;
      await typeInto(page, await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field'), draft);
      await attach(page, 'Other documents', { name: 'big.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(12 * 1024 * 1024, 32) });
      await waitWidget(page, (w) => w.kind === 'alert' && w.label === 'big.pdf is 12 MB; the limit is 10 MB', 'size error');
      await shot(page, `${name}-attach-too-big`);
      const saved = await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('parley.drafts.'))
        .map((k) => localStorage.getItem(k)).join(' '));
      assert.ok(saved.includes(draft), 'the draft text is kept');
      assert.ok(!(await widgets(page)).some((w) => w.label.startsWith('Remove big.pdf')), 'no chip for a refused file');
      await context.close();
    });
  });
}

describe('dropped and pasted files', () => {
  test('attach as other documents; a refused one names the accepted types; × removes a chip', async () => {
    const { page, context } = await signIn(browser, DESKTOP, server.link('manufacturer'));
    await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
    const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
    await press(page, rows[Math.min(4, rows.length - 1)]);
    await page.waitForURL(/\/requests\/\d+$/);
    await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field');
    const drop = (name, type, text, binary = false) => page.evaluate(([name, type, text, binary]) => {
      const dt = new DataTransfer();
      const body = binary ? new Uint8Array([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff, 0, 0]) : text;
      dt.items.add(new File([body], name, { type }));
      document.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, cancelable: true, bubbles: true }));
      document.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, cancelable: true, bubbles: true }));
    }, [name, type, text, binary]);
    await drop('prices.csv', 'text/csv', 'model,price\nVS-25,120\n');
    await waitWidget(page, byLabel('Remove prices.csv', 'button'), 'the dropped file\'s chip');
    await page.evaluate(() => {
      const dt = new DataTransfer();
      dt.items.add(new File(['delivery in 3 weeks'], 'notes.txt', { type: 'text/plain' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, cancelable: true, bubbles: true }));
    });
    await waitWidget(page, byLabel('Remove notes.txt', 'button'), 'the pasted file\'s chip');
    await drop('plan.dwg', 'application/octet-stream', 'AC1027');
    await waitWidget(page, (w) => w.kind === 'alert' &&
      w.label === 'plan.dwg: this type is not accepted (PDF, PNG, JPEG, DOCX, XLSX, CSV, TXT)', 'type error');
    // Accepted by its name, refused by the server for its content (415): red on its chip.
    await drop('fake.pdf', 'application/pdf', '', true);  // an executable's first bytes
    await waitWidget(page, byLabel('Remove fake.pdf', 'button'), 'the refused upload\'s chip');
    await shot(page, 'desktop-attach-dropped');
    const alerts = (await widgets(page)).filter((w) => w.kind === 'alert' && !w.label.startsWith('plan.dwg'));
    assert.ok(alerts.length >= 1, 'the server\'s reason shows in red: ' + alerts.map((a) => a.label).join(' | '));
    await shot(page, 'desktop-attach-dropped');
    await press(page, await waitWidget(page, byLabel('Remove notes.txt', 'button'), 'remove'));
    await waitWidget(page, (w) => byLabel('Remove prices.csv', 'button')(w) &&
      !(w === undefined), 'the other chip stays');
    await settle(page);
    assert.ok(!(await widgets(page)).some(byLabel('Remove notes.txt', 'button')), 'the removed chip is gone');
    await context.close();
  });

  test('cancel during a chunked upload aborts it and deletes it on the server', async () => {
    const { page, context } = await signIn(browser, DESKTOP, server.link('manufacturer'));
    page.on('filechooser', () => {});
    await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
    const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
    await press(page, rows[Math.min(2, rows.length - 1)]);
    await page.waitForURL(/\/requests\/\d+$/);
    await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field');
    const calls = [];
    page.on('request', (r) => { if (r.url().includes('/uploads')) calls.push(`${r.method()} ${new URL(r.url()).pathname}`); });
    // The second chunk hangs: the upload is cancelled while it runs.
    let held = 0;
    await page.route(/\/api\/v1\/uploads\/[^/?]+\?offset=/, async (route) => {
      if (held++ >= 1) await new Promise((r) => setTimeout(r, 5000));
      await route.continue().catch(() => {});
    });
    const file = 'cancel-me.pdf';
    await attach(page, 'Other documents', { name: file, mimeType: 'application/pdf', buffer: pdf(3 * 1024 * 1024) });
    await press(page, await waitWidget(page, byLabel(`Cancel upload ${file}`, 'button'), 'cancel', 10000));
    const deadline = Date.now() + 5000;
    while (!calls.some((c) => c.startsWith('DELETE /api/v1/uploads/')) && Date.now() < deadline) await page.waitForTimeout(100);
    assert.ok(calls.some((c) => c.startsWith('DELETE /api/v1/uploads/')), calls.join(', '));
    assert.ok(!calls.some((c) => c.endsWith('/complete')), 'never completed');
    assert.ok(!(await widgets(page)).some((w) => w.label.includes(file)), 'the chip is gone');
    await page.unroute(/\/api\/v1\/uploads\//);
    await context.close();
  });
});
