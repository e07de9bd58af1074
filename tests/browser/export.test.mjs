// Export of the inbox in a real browser: the "Export" button of the inbox shows its
// formats, CSV and Excel download the list as it is filtered (the chip "To answer"), and
// the page stays where it was. At desktop and phone sizes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, waitWidget, widgets } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'server shuts down cleanly on SIGTERM');
});

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`export on ${name}`, () => {
    test('Export → CSV downloads the filtered list; Excel a workbook; the inbox stays', async () => {
      const { context, page } = await signIn(browser, { ...profile, acceptDownloads: true }, server.link('manufacturer'));
      try {
        await press(page, await waitWidget(page, (w) => w.kind === 'button' && /^To answer/.test(w.label), 'the To answer chip'));
        await settle(page);
        const rows = (await widgets(page)).filter((w) => w.kind === 'listitem').length;
        assert.ok(rows > 0, 'requests to answer');
        await press(page, await waitWidget(page, byLabel('Export the list', 'button'), 'the Export button'));
        const csvItem = await waitWidget(page, byLabel('CSV', 'button'), 'the CSV item');
        await shot(page, `${name}-export-menu`);
        const [csv] = await Promise.all([page.waitForEvent('download'), press(page, csvItem)]);
        assert.match(csv.suggestedFilename(), /^parley-requests-\d{4}-\d\d-\d\d\.csv$/);
        assert.match(csv.url(), /\/api\/v1\/export\/requests\?format=csv&status=to_answer$/);
        const text = fs.readFileSync(await csv.path(), 'utf8');
        assert.ok(text.startsWith('\ufeffRequest,Link,Received,Buyer'), text.slice(0, 80));
        const lines = text.trim().split('\r\n').slice(1);
        assert.ok(lines.length >= rows, `${lines.length} rows exported, ${rows} on screen`);
        assert.ok(lines.every((l) => l.includes(',to_answer,')), 'only requests to answer');

        await press(page, await waitWidget(page, byLabel('Export the list', 'button'), 'the Export button'));
        const excel = await waitWidget(page, byLabel('Excel (XLSX)', 'button'), 'the Excel item');
        const [xlsx] = await Promise.all([page.waitForEvent('download'), press(page, excel)]);
        assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
        const bytes = fs.readFileSync(await xlsx.path());
        assert.equal(bytes.subarray(0, 2).toString(), 'PK');
        // Still the inbox, still filtered.
        await waitWidget(page, byLabel('Export the list', 'button'), 'the inbox after the downloads');
        assert.match(page.url(), /\/$|\/inbox|\?/);
        await shot(page, `${name}-export-done`);
      } finally {
        await context.close();
      }
    });
  });
}
