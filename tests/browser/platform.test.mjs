// The canvas behaves like a page: crisp at the device's pixel ratio, follows resizes
// and rotation, scrolls with wheel and finger, sends with Ctrl+Enter.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, swipe, waitWidget, widgets, tabToRow } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const canvasSize = (page) => page.evaluate(() => {
  const c = document.getElementById('canvas');
  return { w: c.width, h: c.height, cssW: c.clientWidth, cssH: c.clientHeight, dpr: devicePixelRatio };
});
const rowYs = async (page) => (await widgets(page)).filter((w) => w.kind === 'listitem').map((w) => [w.label, w.y]);

test('the backing store follows devicePixelRatio (phone at 3×)', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  const c = await canvasSize(page);
  assert.equal(c.dpr, 3);
  assert.equal(c.w, c.cssW * 3);
  assert.equal(c.h, c.cssH * 3);
  await context.close();
});

test('resizing below 900 px switches to one pane with a back button, and back again', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await press(page, row);
  await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
  assert.ok((await widgets(page)).some((w) => w.kind === 'listitem'), 'two panes at 1280');
  await page.setViewportSize({ width: 820, height: 1000 });  // e.g. a tablet in portrait
  await waitWidget(page, (w) => w.kind === 'button' && w.label.includes('Inbox'), 'back button at 820 px');
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'listitem'), 'one pane at 820');
  const c = await canvasSize(page);
  assert.equal(c.w, 820);
  await shot(page, 'desktop-resized-820');
  await page.setViewportSize({ width: 1280, height: 800 });
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox back at 1280');
  await context.close();
});

test('phone rotation keeps the page usable', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await page.setViewportSize({ width: 844, height: 390 });
  await settle(page);
  const c = await canvasSize(page);
  assert.equal(c.cssW, 844);
  const rows = (await widgets(page)).filter((w) => w.kind === 'listitem');
  assert.ok(rows.length >= 2 && rows[0].w > 800, 'rows span the landscape width');
  await shot(page, 'phone-landscape');
  await context.close();
});

test('the mouse wheel scrolls the inbox', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  const before = await rowYs(page);
  await page.mouse.move(200, 400);
  await page.mouse.wheel(0, 300);
  await settle(page);
  const after = await rowYs(page);
  const moved = after.find(([l]) => l === before[before.length - 1][0]);
  assert.ok(moved && moved[1] < before[before.length - 1][1] - 100, 'rows moved up');
  await context.close();
});

test('a finger drag scrolls the inbox and does not open a request', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  const before = await rowYs(page);
  await swipe(page, 200, 700, 300);
  await settle(page);
  const after = await rowYs(page);
  assert.equal(new URL(page.url()).pathname, '/', 'a drag is not a tap');
  const label = before[before.length - 1][0];
  const moved = after.find(([l]) => l === label);
  assert.ok(moved && moved[1] < before[before.length - 1][1] - 200, `rows followed the finger (${JSON.stringify(moved)})`);
  await shot(page, 'phone-scrolled');
  await context.close();
});

test('Ctrl+Enter sends; Enter makes a new line', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await press(page, row);
  const field = await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
  await press(page, field);
  await page.keyboard.type('Line one');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Line two');
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === 'Line one\nLine two', 'two-line message');
  await context.close();
});

test('paste puts clipboard text in the composer; Ctrl+A, Ctrl+C copies it out', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await press(page, row);
  const field = await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
  await press(page, field);
  const pasted = 'Lieferzeit: 6 Wochen — Preis 1.240 € netto';
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, pasted);
  await settle(page);
  // Copy it back out: select all in the field, Ctrl+C.
  await page.evaluate(() => navigator.clipboard.writeText('something else'));
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Control+C');
  await settle(page);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), pasted);
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === pasted, 'the pasted text, sent');
  await context.close();
});

test('the keyboard alone reaches and opens a request (Tab, Enter)', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  const focused = await tabToRow(page);
  assert.ok(focused, 'Tab reaches an inbox row');
  await shot(page, 'desktop-keyboard-focus');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/requests\/\d+$/);
  await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
  await context.close();
});
