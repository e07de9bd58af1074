// Thread pages and inbox pages on a seller's volume: a server filled by `load-demo`
// (300 requests, one 10,000-message negotiation). The long thread opens on its newest
// page and its oldest message arrives through paging as the reader scrolls; the inbox
// search finds the word only that oldest message holds, and its result opens the thread
// at that message; a reply lands on top. Asserted on the widget registry and frames.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, frames, launch, loadDemo, press, settle, shot, signIn, startServer, swipe,
  waitWidget, widgets } from './harness.mjs';

const WORD = 'Wälzlagerprüfstand';
let server, browser, demo;
before(async () => {
  demo = await loadDemo(['--requests', '300', '--messages', '3000', '--long-thread', '10000']);
  server = await startServer([], { dataDir: demo.dir });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'server shuts down cleanly on SIGTERM');
});

// "History  ·  10,050 messages" → 10050, counts grouped the language's way (0 for any
// other widget).
const historyTotal = (w) => (w.kind === 'heading' && /^History/.test(w.label)
  ? Number(((w.label.match(/([\d,]+) messages/) || [])[1] || '0').replace(/,/g, '')) : 0);
const onScreen = (page, w) => w.y + w.h > 0 && w.y < page.viewportSize().height;
const messagesOnScreen = async (page) => (await widgets(page)).filter((w) => w.kind === 'message' && onScreen(page, w));

// Scrolls the thread a long way down: the wheel (a finger covers ~600 px a swipe; the
// swipes are tried once in the first test, which then goes on by wheel).
async function scrollDown(page, px) {
  const { width, height } = page.viewportSize();
  await page.mouse.move(width - 200, height / 2);
  await page.mouse.wheel(0, px);
}

// Counts the history pages the client asks for, by kind, and the bytes of the thread's
// answers (detail and pages, as they came over the wire).
function countHistoryCalls(page) {
  const seen = { history: 0, downTo: 0, around: 0, after: 0, bytes: 0 };
  page.on('request', (r) => {
    const u = new URL(r.url());
    if (/\/api\/v1\/requests\/\d+\/history$/.test(u.pathname)) {
      seen.history++;
      if (u.searchParams.get('down_to')) seen.downTo++;
      if (u.searchParams.get('around')) seen.around++;
      if (u.searchParams.get('after')) seen.after++;
    }
  });
  page.on('response', async (r) => {
    if (!/\/api\/v1\/requests\/\d+(\/history)?(\?|$)/.test(new URL(r.url()).pathname + '?')) return;
    const size = Number((await r.allHeaders())['content-length'] || 0);
    seen.bytes += size || (await r.body().catch(() => Buffer.alloc(0))).length;
  });
  return seen;
}

async function typeInto(page, field, text) {
  await press(page, field);
  await page.waitForTimeout(150);
  await page.keyboard.type(text, { delay: 5 });
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  const touch = !!profile.hasTouch;
  describe(`thread and inbox pages on ${name}`, () => {
    test('the long thread: newest page first, the oldest message arrives through paging', async () => {
      const { long_request: id } = demo.info;
      const seller = await signIn(browser, profile, server.link('manufacturer'), `/requests/${id}`);
      const page = seller.page;
      const calls = countHistoryCalls(page);
      // The header counts the whole thread, not the page loaded.
      await waitWidget(page, (w) => historyTotal(w) >= 10000, 'history heading with the total');
      await shot(page, `${name}-long-thread`);
      assert.ok((await messagesOnScreen(page)).length > 0, 'newest messages drawn');

      if (touch) {  // a finger scrolls the thread too
        const before = (await messagesOnScreen(page)).map((w) => w.label).join();
        const { width, height } = page.viewportSize();
        await swipe(page, width - 30, height - 160, 160, 6);
        await settle(page);
        assert.notEqual((await messagesOnScreen(page)).map((w) => w.label).join(), before, 'a swipe scrolls');
      }
      // Scroll until the oldest message is on screen; only what is in view is drawn.
      let oldest, most = 0, steps = 0;
      for (; steps < 800 && !oldest; steps++) {
        await scrollDown(page, 60000);
        await page.waitForTimeout(60);
        const ws = await widgets(page);
        most = Math.max(most, ws.filter((w) => w.kind === 'message').length);
        oldest = ws.find((w) => w.kind === 'message' && w.label.includes(WORD) && onScreen(page, w));
      }
      assert.ok(oldest, `reached the oldest message (after ${steps} scrolls, ${calls.history} pages)`);
      assert.ok(calls.history >= 50, `it came through history pages (${calls.history})`);
      assert.equal(calls.downTo, 0, 'no jump was needed');
      assert.ok(most < 60, `only the messages in view are drawn and registered (at most ${most})`);
      await settle(page);
      await shot(page, `${name}-long-thread-oldest`);
      // Idle: no frames drawn while nothing changes, with 10,000 messages loaded.
      const f0 = await frames(page);
      await page.waitForTimeout(800);
      assert.ok((await frames(page)) - f0 <= 2, 'no frames while idle');
      await seller.context.close();
    });

    test('inbox search finds the oldest message; its result opens the thread there; a reply lands', async () => {
      const { long_request: id, long_oldest_message: oldestId } = demo.info;
      const seller = await signIn(browser, profile, server.link('manufacturer'));
      const page = seller.page;
      const calls = countHistoryCalls(page);
      const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      // Virtualised: a page of 50 loaded, only the rows in view registered.
      const shown = (await widgets(page)).filter((w) => w.kind === 'listitem');
      assert.ok(shown.length > 2 && shown.length < 20, `rows in view only (${shown.length}, before: ${rows.length})`);
      await waitWidget(page, (w) => w.kind === 'button' && w.label === 'To answer', 'filter chip');
      // The screen-reader mirror lists the same: the rows on screen (and the margin), the search box.
      const nav = page.getByRole('navigation', { name: 'Requests' });
      const mirrored = await nav.getByRole('listitem').getByRole('link').count();
      assert.ok(mirrored >= shown.length && mirrored < 25, `mirror rows ${mirrored}, on screen ${shown.length}`);
      assert.ok((await page.getByRole('textbox', { name: 'Search requests' }).count()) >= 1, 'the search box is in the mirror');

      const field = await waitWidget(page, byLabel('Search requests', 'input'), 'search box');
      await typeInto(page, field, WORD);
      const result = await waitWidget(page, (w) => w.kind === 'listitem' && w.label.includes('Volker Langer'),
        'the search result');
      const list = (await widgets(page)).filter((w) => w.kind === 'listitem');
      assert.equal(list.length, 1, 'one request holds the word');
      assert.ok((await widgets(page)).some((w) => w.kind === 'text' && w.label.includes(WORD)), 'the match is shown');
      assert.ok((await widgets(page)).some((w) => w.kind === 'status' && w.label === 'Requests found: 1'),
        'how many the search found');
      await shot(page, `${name}-inbox-search`);

      // Opening it: the thread at the matching message, one page around it (not the
      // 10,000 messages above it).
      await press(page, result);
      await page.waitForURL(new RegExp(`/requests/${id}\\?m=${oldestId}$`));
      // The landing, washed in amber for a moment (the screenshot to look at), then faded.
      for (let i = 0; i < 300; i++) {
        if ((await widgets(page)).some((w) => w.kind === 'message' && w.label.includes(WORD) && onScreen(page, w))) {
          await page.waitForTimeout(150);
          await shot(page, `${name}-search-landing`);
          break;
        }
        await page.waitForTimeout(50);
      }
      const target = await waitWidget(page, (w) => w.kind === 'message' && w.label.includes(WORD) && onScreen(page, w),
        'the oldest message, jumped to', 30000);
      // The oldest message ends the list: the view goes as far down as it can, all of it shown.
      assert.ok(target.y + target.h <= page.viewportSize().height, 'all of it in view');
      assert.ok((await messagesOnScreen(page)).length < 30, 'a few drawn, not all 10,000');
      assert.equal(calls.history, 1, `one page around it, no page-by-page walk (${calls.history} history calls)`);
      assert.equal(calls.around, 1, 'the page around it');
      assert.ok(calls.bytes < 200000, `the detail and that page only (${calls.bytes} bytes, not megabytes)`);
      await shot(page, `${name}-search-jump`);

      // Scrolling up from there: the messages just above arrive (?after=), in order, and
      // the message in view stays where it is while they are put above it.
      const landed = (await messagesOnScreen(page)).map((w) => w.label).join();
      let filled = 0;
      for (let i = 0; i < 60 && calls.after < 2; i++) {
        await page.mouse.move(page.viewportSize().width - 100, 400);
        await page.mouse.wheel(0, -400);
        await page.waitForTimeout(80);
        filled = calls.after;
      }
      assert.ok(filled >= 2, `newer pages fetched as the reader scrolls up (${calls.after})`);
      await settle(page);
      assert.notEqual((await messagesOnScreen(page)).map((w) => w.label).join(), landed, 'it scrolled');
      const gapStatus = (await widgets(page)).filter((w) => w.kind === 'status' && w.label === 'Loading messages…');
      assert.ok(gapStatus.every((w) => !onScreen(page, w)) || gapStatus.length <= 1, 'the gap shows at most one line');
      await shot(page, `${name}-jump-scrolled-up`);

      // Reply: the composer is above the history, at the top of the thread; the reply
      // appears on top of the history.
      let composer;
      for (let i = 0; i < 40 && !composer; i++) {
        await page.mouse.move(page.viewportSize().width - 100, 400);
        await page.mouse.wheel(0, -2000000);
        await page.waitForTimeout(100);
        composer = (await widgets(page)).find(byLabel('Write your reply', 'input'));
      }
      composer = await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field');
      const total = historyTotal(await waitWidget(page, (w) => historyTotal(w) >= 10000, 'history heading'));
      const reply = `Danke, Herr Langer — Prüfstand bestätigt (${name} ${Date.now()}).`;
      await typeInto(page, composer, reply);
      await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send button'));
      await waitWidget(page, (w) => w.kind === 'message' && w.label === reply, 'the reply on top');
      await waitWidget(page, (w) => historyTotal(w) === total + 1, 'the total counts the reply');
      const f0 = await frames(page);
      await page.waitForTimeout(800);
      assert.ok((await frames(page)) - f0 <= 2, 'no frames while idle');

      // Back: the inbox, the search still in the box.
      await page.goBack();
      await page.waitForURL(/\/$/);
      await waitWidget(page, (w) => w.kind === 'listitem' && w.label.includes('Volker Langer'), 'the inbox after back');
      await seller.context.close();
    });
  });
}
