// Client benchmark: first-load transfer (compressed html+js+wasm+fonts, as served)
// and frames drawn during 5 s of idle after the page settles.
// usage: node bench/client.mjs   (after scripts/build.sh; run from the repo root)
import fs from 'node:fs';
import path from 'node:path';
import { DESKTOP, launch, root, settle, signIn, startServer, waitWidget } from '../tests/browser/harness.mjs';

const server = await startServer();
const browser = await launch();
try {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  let bytes = 0;
  const seen = [];
  // Measure a fresh load of the app shell with an empty cache, as a first visit.
  const fresh = await context.newPage();
  const cdp = await context.newCDPSession(fresh);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; });
  cdp.on('Network.responseReceived', (e) => seen.push(e.response.url.replace(server.base, '')));
  await fresh.goto(server.base + '/');
  await fresh.waitForFunction(() => window.parley && window.parley.ready === true);
  await settle(fresh, 500);
  const staticBytes = ['index.html', ...fs.readdirSync(path.join(root, 'build-web/dist/assets'))]
    .filter((f) => (f.endsWith('.gz') || f === 'index.html') && !f.startsWith('DroidSansFallback'))
    .reduce((n, f) => n + fs.statSync(path.join(root, 'build-web/dist', f.startsWith('index') ? 'index.html.gz' : 'assets/' + f)).size, 0);

  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await settle(page, 1000);
  const a = await page.evaluate(() => window.parley.frames());
  await page.waitForTimeout(5000);
  const b = await page.evaluate(() => window.parley.frames());

  console.log('== client');
  console.log(`first load on the wire (all requests, compressed): ${(bytes / 1024).toFixed(1)} KB   target <= 800 KB`);
  console.log(`  static files gzipped (html+js+wasm+fonts):        ${(staticBytes / 1024).toFixed(1)} KB`);
  const assets = fs.readdirSync(path.join(root, 'build-web/dist/assets'));
  for (const [prefix, what] of [['DroidSansFallback', 'CJK font (fetched only when CJK text is drawn)'],
                                ['Symbola-emoji', 'emoji font (fetched only when an emoji is drawn)']])
    for (const f of assets.filter((a) => a.startsWith(prefix) && a.endsWith('.gz')))
      console.log(`  lazy ${what}: ${(fs.statSync(path.join(root, 'build-web/dist/assets', f)).size / 1024).toFixed(1)} KB gzipped`);
  console.log(`  requests: ${seen.length} (${seen.filter((u) => u.startsWith('/assets/')).join(', ')})`);
  console.log(`frames drawn in 5 s idle: ${b - a}   target <= 5`);
  await context.close();
} finally {
  await browser.close();
  await server.stop();
}
