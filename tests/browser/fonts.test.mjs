// Text in nine languages without boxes ("tofu"): Latin, Greek and Cyrillic come with
// the first load; the CJK font is fetched once, only when CJK text reaches the screen,
// and the emoji font only when an emoji does.
// window.parley.missingGlyphs() counts code points drawn in the last frame that the
// font atlas lacks; the screenshots are there to be looked at.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, launch, press, settle, shot, signIn, startServer, swipe, waitNoTofu, waitWidget, widgets, reach } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const RU = 'Алексей Смирнов', ZH = '王建国', JA = '佐藤 健一';

// Requests for the CJK font file, as the browser saw them (resource timing: XHR included).
const cjkFetches = (page) => page.evaluate(() => {
  const url = window.parleyAssets['DroidSansFallback.ttf'];
  return performance.getEntriesByType('resource').filter((e) => new URL(e.name).pathname === url)
    .map((e) => ({ transferred: e.transferSize, encoded: e.encodedBodySize, decoded: e.decodedBodySize }));
});
const fontState = (page) => page.evaluate(() => window.parley.fonts());

// Scrolls the inbox (wheel or finger) until the buyer's row is fully visible, then opens it.
async function openRequest(page, profile, buyer, beforePress = async () => {}) {
  const h = profile.viewport.height, top = 56;  // below the top bar
  let down = true, last = null;
  for (let i = 0; i < 40; i++) {
    const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
    const row = rows.find((w) => w.label.startsWith(buyer + ','));
    if (row && row.visible !== false && row.y >= top && row.y + row.h <= h) {
      await beforePress();
      await press(page, row);
      await waitWidget(page, (w) => w.kind === 'heading' && w.label === buyer, `request of ${buyer}`);
      return;
    }
    if (row) down = row.y + row.h > h;
    const seen = rows.map((w) => `${w.label}@${Math.round(w.y)}`).join('|');
    if (!row && seen === last) down = !down;  // the list did not move: at an end, turn round
    last = seen;
    const dy = down ? 1 : -1;
    if (profile.hasTouch) await swipe(page, profile.viewport.width / 2, h * 0.5 + dy * h * 0.2, h * 0.5 - dy * h * 0.2);
    else { await page.mouse.move(200, h / 2); await page.mouse.wheel(0, dy * 300); }
    await settle(page);
  }
  throw new Error(`no inbox row for ${buyer}`);
}

async function backToInbox(page, profile) {
  if (!profile.isMobile) return;  // desktop: the inbox stays on the left
  await page.goBack();
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox after back');
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`fonts on ${name}`, () => {
    test('Russian, Chinese and Japanese requests render without boxes; one lazy CJK fetch', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      await waitNoTofu(page);
      assert.deepEqual(await cjkFetches(page), [], 'the first load fetches no CJK font');
      assert.equal((await fontState(page)).cjk, 'absent');

      // Russian: Cyrillic is in the first-load fonts.
      await openRequest(page, profile, RU);
      await waitNoTofu(page);
      // (The thread may start below the fold: the request card and the composer come first.)
      await reach(page, (w) => w.kind === 'message' && w.label.includes('Екатеринбурга'), 'the Russian thread',
        !!profile.hasTouch);
      await shot(page, `${name}-fonts-ru`);
      await backToInbox(page, profile);

      // Chinese: CJK on screen → the CJK font arrives, the atlas is rebuilt, no boxes.
      await openRequest(page, profile, ZH);
      await waitNoTofu(page);
      assert.equal((await fontState(page)).cjk, 'loaded');
      await waitWidget(page, (w) => w.kind === 'heading' && w.label.includes('齿轮泵'), 'the Chinese product');
      await shot(page, `${name}-fonts-zh`);
      await backToInbox(page, profile);

      // Japanese: the font is already there — no second fetch.
      await openRequest(page, profile, JA, async () => {
        await waitNoTofu(page);  // inbox rows with CJK names and snippets
        await shot(page, `${name}-fonts-inbox`);
      });
      await waitNoTofu(page);
      await reach(page, (w) => w.kind === 'message' && w.label.includes('見積書'), 'the Japanese replies', !!profile.hasTouch);
      await shot(page, `${name}-fonts-ja`);

      const fetches = await cjkFetches(page);
      const state = await fontState(page);
      assert.equal(fetches.length, 1, 'exactly one CJK font fetch');
      assert.equal(state.cjkFetches, 1);
      assert.ok(state.atlas[0] <= state.maxTexture && state.atlas[1] <= state.maxTexture,
        `atlas ${state.atlas} fits the GPU limit ${state.maxTexture}`);
      console.log(`[${name}] CJK font: ${(fetches[0].transferred / 1024).toFixed(1)} KB on the wire ` +
        `(${(fetches[0].decoded / 1024).toFixed(1)} KB unpacked); atlas ${state.atlas.join('x')} at ` +
        `${state.scale}x, ${state.builds} builds, last ${state.buildMs} ms, ${state.extra} extra code points`);
      await context.close();
    });

    test('emoji in a reply render without boxes; the emoji font comes only then, once', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      await waitNoTofu(page);
      // (An earlier run's reply may already show in an inbox row's snippet.)
      const shown = (await widgets(page)).some((w) => /\p{Extended_Pictographic}/u.test(w.label));
      if (!shown) assert.equal((await fontState(page)).emoji, 'absent', 'no emoji on screen: no emoji font');
      await openRequest(page, profile, 'Javier Morales');
      const field = await reach(page, (w) => w.kind === 'input' && w.label === 'Write your reply', 'the composer',
        !!profile.hasTouch);
      await press(page, field);
      await page.waitForTimeout(150);
      const text = `Perfecto ${name} 👍🙂 ✅ ❤\uFE0F 🚚`;
      await page.keyboard.insertText(text);
      await page.keyboard.press('Control+Enter');
      await waitWidget(page, (w) => w.kind === 'message' && w.label === text, 'the reply with emoji');
      await waitNoTofu(page);
      const state = await fontState(page);
      assert.equal(state.emoji, 'loaded');
      assert.equal(state.emojiFetches, 1);
      await shot(page, `${name}-fonts-emoji`);
      await context.close();
    });
  });
}
