// Dark mode end to end, at desktop (1280×800) and phone (390×844, touch) sizes: with the
// device dark the app comes up dark (its canvas, the page around it, the loader, before
// any script of ours); the device switching while the page is open re-themes it with a
// frame or two and nothing after; the top bar's switch (also from the screen-reader
// mirror) cycles System → Light → Dark; the choice survives a reload and follows the user
// to a fresh browser whose device is light; screenshots of the inbox, a thread and the
// quote viewer in both themes at both sizes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, frames, launch, press, reach, settle, shot, signIn, startServer, waitReady, waitWidget }
  from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const PANEL = { light: [255, 255, 255], dark: [24, 27, 34] };   // app/palette.cpp: the top bar
const BG = { light: 'rgb(246, 247, 249)', dark: 'rgb(15, 17, 22)' };  // the page behind the canvas

const theme = (page) => page.evaluate(() => window.parley.theme());

// The canvas's colour at (x, y) CSS px, read back from WebGL (its buffer is preserved).
const pixel = (page, x, y) => page.evaluate(([x, y]) => {
  const c = document.getElementById('canvas');
  const copy = document.createElement('canvas');
  copy.width = c.width;
  copy.height = c.height;
  const g = copy.getContext('2d');
  g.drawImage(c, 0, 0);
  const dpr = c.width / c.getBoundingClientRect().width;
  return Array.from(g.getImageData(Math.floor(x * dpr), Math.floor(y * dpr), 1, 1).data).slice(0, 3);
}, [x, y]);

// What the page around the canvas shows.
const pageLook = (page) => page.evaluate(() => ({
  attr: document.documentElement.getAttribute('data-theme'),
  scheme: getComputedStyle(document.documentElement).colorScheme,
  bg: getComputedStyle(document.body).backgroundColor,
  themeColor: document.querySelector('meta[name=theme-color]').content,
  mirror: getComputedStyle(document.getElementById('a11y')).colorScheme,
}));

// Polls until the app shows this palette (and its last frame is drawn); returns the state.
async function untilPalette(page, palette, what) {
  const end = Date.now() + 15000;
  let t;
  while (Date.now() < end) {
    t = await theme(page);
    if (t.palette === palette) { await settle(page); return t; }
    await page.waitForTimeout(50);
  }
  throw new Error(`${what}: still ${JSON.stringify(t)}`);
}

async function expectLook(page, palette, what) {
  await untilPalette(page, palette, what);
  assert.deepEqual(await pixel(page, 3, 3), PANEL[palette], `${what}: the canvas is ${palette}`);
  const look = await pageLook(page);
  assert.equal(look.attr, palette, what);
  assert.equal(look.scheme, palette, `${what}: CSS color-scheme`);
  assert.equal(look.bg, BG[palette], `${what}: the page behind the canvas`);
  assert.equal(look.themeColor, palette === 'dark' ? '#181b22' : '#ffffff', what);
  assert.equal(look.mirror, palette, `${what}: the screen-reader mirror`);
}

// Presses the top bar's theme switch; resolves once the next theme shows and is saved.
async function pressThemeSwitch(page, from, to) {
  await press(page, await waitWidget(page, byLabel(`Theme: ${from}`, 'button'), `the theme switch (${from})`));
  await waitWidget(page, byLabel(`Theme: ${to}`, 'button'), `the switch says ${to}`);
  await page.waitForFunction(() => !window.parley.theme().saving);
  assert.equal((await theme(page)).error, false, 'saved on the server');
}

for (const [name, profile, users] of [
  ['desktop', DESKTOP, { device: ['distributor', 'Claire Martin'], choose: ['manufacturer', 'Marta Iglesias'] }],
  ['phone', PHONE, { device: ['area_manager', 'Tomás Navarro'], choose: ['buyer', 'Javier Morales'] }],
]) {
  describe(`dark mode on ${name}`, () => {
    test('a dark device: dark from the first paint, the page around the canvas too; its switching re-themes once', async () => {
      const context = await browser.newContext({ ...profile, colorScheme: 'dark' });
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('[pageerror]', e.message));
      await page.goto(server.link(...users.device).url, { waitUntil: 'domcontentloaded' });
      // Before the app runs (its loader still up, or just gone): the page is already dark.
      const early = await page.evaluate(() => ({
        bg: getComputedStyle(document.body).backgroundColor,
        loader: document.getElementById('loader') && getComputedStyle(document.getElementById('loader')).backgroundColor,
      }));
      assert.equal(early.bg, BG.dark, 'no white flash: the page is dark before the app starts');
      if (early.loader) assert.equal(early.loader, BG.dark, 'the loading screen too');
      await waitReady(page);
      await waitWidget(page, byLabel('Theme: System', 'button'), 'the theme switch');
      const t = await untilPalette(page, 'dark', 'a dark device');
      assert.equal(t.choice, 'system');
      assert.equal(t.system, 'dark');
      await expectLook(page, 'dark', 'a dark device');
      await shot(page, `${name}-theme-device-dark`);

      // The device turns light while the page is open: a frame or two, then idle again.
      await settle(page, 400);
      const before = await frames(page);
      await page.emulateMedia({ colorScheme: 'light' });
      await expectLook(page, 'light', 'the device turned light');
      const drawn = (await frames(page)) - before;
      assert.ok(drawn >= 1 && drawn <= 3, `re-themed with ${drawn} frames`);
      const idle = await frames(page);
      await page.waitForTimeout(1500);
      assert.equal(await frames(page), idle, 'nothing drawn while idle');
      await page.emulateMedia({ colorScheme: 'dark' });
      await expectLook(page, 'dark', 'and dark again');
      await context.close();
    });

    test('the switch cycles System → Light → Dark; the choice survives a reload and follows the user', async () => {
      const [role, who] = users.choose;
      const first = await signIn(browser, { ...profile, colorScheme: 'dark' }, server.link(role, who));
      const page = first.page;
      await untilPalette(page, 'dark', 'system, on a dark device');
      await pressThemeSwitch(page, 'System', 'Light');
      await expectLook(page, 'light', 'light chosen on a dark device');
      await pressThemeSwitch(page, 'Light', 'Dark');
      await expectLook(page, 'dark', 'dark chosen');
      assert.equal(await page.evaluate(() => localStorage.getItem('parley.theme')), 'dark');
      // A chosen theme ignores the device.
      await page.emulateMedia({ colorScheme: 'light' });
      await page.waitForTimeout(300);
      assert.equal((await theme(page)).palette, 'dark');

      await page.reload();
      await waitReady(page);
      await waitWidget(page, byLabel('Theme: Dark', 'button'), 'still Dark after a reload');
      await expectLook(page, 'dark', 'after a reload');
      await first.context.close();

      // Another browser, a light device, nothing stored: the account's choice.
      const fresh = await signIn(browser, { ...profile, colorScheme: 'light' }, server.link(role, who));
      assert.equal(await fresh.page.evaluate(() => localStorage.getItem('parley.theme')), 'dark', 'learnt from GET /me');
      await waitWidget(fresh.page, byLabel('Theme: Dark', 'button'), 'Dark in a fresh browser');
      await expectLook(fresh.page, 'dark', 'the user signed in again elsewhere');

      // The screen-reader mirror names the switch and operates it.
      const mirrored = fresh.page.locator('#a11y').getByRole('button', { name: 'Theme: Dark' });
      assert.equal(await mirrored.count(), 1, 'the switch is in the mirror, by name');
      await mirrored.dispatchEvent('click');
      await waitWidget(fresh.page, byLabel('Theme: System', 'button'), 'System, from the mirror');
      await expectLook(fresh.page, 'light', 'system on a light device');
      await fresh.page.waitForFunction(() => !window.parley.theme().saving);
      await fresh.context.close();
    });

    test('screenshots: the inbox, a thread and the quote viewer, dark and light', async () => {
      // Jonas Weber (distributor) closed request 14 with a quote that was accepted and paid.
      const { context, page } = await signIn(browser, profile, server.link('distributor', 'Jonas Weber'));
      const quote = await page.evaluate(async () => {
        const d = await (await fetch('/api/v1/requests/14')).json();
        return d.quotes && d.quotes.length ? d.quotes[0].id : 0;
      });
      assert.ok(quote, 'request 14 has a quote Jonas sees');
      // From "system" (the other size's run may have left another choice), on a light device.
      const reset = await page.evaluate(async () => (await fetch('/api/v1/me/preferences', {
        method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ theme: 'system' }),
      })).status);
      assert.equal(reset, 200);
      const looks = [['dark', ['System', 'Light', 'Dark']], ['light', ['Dark', 'System', 'Light']]];
      for (const [palette, [from, via, to]] of looks) {
        await page.goto(server.base + '/');
        await waitReady(page);
        await pressThemeSwitch(page, from, via);
        await pressThemeSwitch(page, via, to);
        if (!profile.hasTouch) await page.mouse.move(600, 790);  // the switch's tooltip away
        await untilPalette(page, palette, `${to} chosen`);
        await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
        await shot(page, `${name}-theme-${palette}-inbox`);
        await page.goto(`${server.base}/requests/14`);
        await waitReady(page);
        await waitWidget(page, (w) => w.kind === 'heading' && /^History/.test(w.label), 'the thread');
        await untilPalette(page, palette, 'the thread');
        await shot(page, `${name}-theme-${palette}-thread`);
        // Further down: the messages, theirs and mine (my bubbles are tinted).
        await reach(page, (w) => w.kind === 'message', 'a message', !!profile.hasTouch);
        await settle(page);
        await shot(page, `${name}-theme-${palette}-messages`);
        await page.goto(`${server.base}/requests/14?quote=${quote}`);
        await waitReady(page);
        await waitWidget(page, (w) => w.kind === 'heading' && /^Quote Q-\d{4}-\d{4}$/.test(w.label), 'the quote viewer');
        await untilPalette(page, palette, 'the quote viewer');
        await shot(page, `${name}-theme-${palette}-quote`);
      }
      await context.close();
    });
  });
}
