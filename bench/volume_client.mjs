// Client benchmark at volume, in headless Chromium: a 10,000-message thread against the
// demo's 50-message one, side by side in one run.
//  - opening: from the inbox to the first frame that shows messages (in-app navigation,
//    as a click on a row does), median of 5 alternating runs;
//  - scrolling: wasm/JS time per frame drawn (CDP Performance.getMetrics ScriptDuration ÷
//    window.parley.frames()) while the wheel scrolls down through the history.
// usage: node bench/volume_client.mjs <data dir filled by load-demo> [desktop|phone]
import { DESKTOP, PHONE, launch, settle, signIn, startServer, waitWidget, swipe } from '../tests/browser/harness.mjs';

const dir = process.argv[2];
const profile = process.argv[3] === 'phone' ? PHONE : DESKTOP;
if (!dir) { console.error('usage: node bench/volume_client.mjs <data dir> [desktop|phone]'); process.exit(2); }

const server = await startServer(['--data-dir', dir]);
const browser = await launch();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
try {
  const { page, context } = await signIn(browser, profile, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox', 60000);
  const find = (q) => page.evaluate(async (q) => (await (await fetch(`/api/v1/requests?q=${encodeURIComponent(q)}`)).json()).requests[0], q);
  const long = await find('Wälzlagerprüfstand');
  const short = await find('Zahnradpumpen ZP-40');
  if (!long || !short) throw new Error('the data has no long thread or no demo thread (run load-demo)');
  const threads = [['50-message thread', short.id, short.message_count], ['10,000-message thread', long.id, long.message_count]];

  const go = (p) => page.evaluate((p) => { history.pushState({}, '', p); dispatchEvent(new PopStateEvent('popstate')); }, p);
  const open = {};
  for (let run = 0; run < 5; run++) {
    for (const [name, id] of threads) {
      await go('/');
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
      await settle(page, 300);
      const t0 = Date.now();
      await go(`/requests/${id}`);
      await page.waitForFunction(() => window.parley.widgets().some((w) => w.kind === 'message'), null, { polling: 'raf', timeout: 60000 });
      (open[name] ||= []).push(Date.now() - t0);
    }
  }

  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async (name) => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name).value;
  const scroll = {};
  for (const [name, id] of threads) {
    await go(`/requests/${id}`);
    await waitWidget(page, (w) => w.kind === 'message', 'messages', 60000);
    await settle(page, 500);
    const s0 = await metric('ScriptDuration');
    const f0 = await page.evaluate(() => window.parley.frames());
    for (let i = 0; i < 40; i++) {
      if (profile.hasTouch) await swipe(page, 200, 600, 300, 6);
      else { await page.mouse.move(640, 500); await page.mouse.wheel(0, 300); }
      await page.waitForTimeout(40);
    }
    await settle(page, 300);
    const s1 = await metric('ScriptDuration');
    const f1 = await page.evaluate(() => window.parley.frames());
    scroll[name] = { ms: ((s1 - s0) * 1000) / Math.max(1, f1 - f0), frames: f1 - f0 };
  }

  const [a, b] = threads.map((t) => t[0]);
  console.log(`== client at volume (${profile === PHONE ? 'phone 390x844' : 'desktop 1280x800'})`);
  for (const [name, , n] of threads)
    console.log(`${name.padEnd(24)} (${n} messages): open ${median(open[name])} ms (runs ${open[name].join(', ')}); scrolling ${scroll[name].ms.toFixed(1)} ms of script per frame over ${scroll[name].frames} frames`);
  console.log(`open ratio 10,000 ÷ 50:      ${(median(open[b]) / median(open[a])).toFixed(2)}×   target <= 1.5×`);
  console.log(`per-frame ratio 10,000 ÷ 50: ${(scroll[b].ms / scroll[a].ms).toFixed(2)}×   target <= 1.5×`);
} finally {
  await browser.close();
  await server.stop();
}
