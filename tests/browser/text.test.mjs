// Text like a web page: the hidden textarea (soft keyboard, IME, autocorrect), the
// word-wrapping composer, drafts that survive reloads, and an outbox for offline sends.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, waitWidget, widgets } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const composer = (page) => waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

async function openFirst(page) {
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  await press(page, row);
  return composer(page);
}

test('phone: tapping the composer focuses the textarea synchronously; typed text lands in the draft', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  const field = await openFirst(page);
  // Tap and check focus inside the same task as the touch events: no frame in between.
  const x = field.x + field.w / 2, y = field.y + field.h / 2;
  await page.touchscreen.tap(x, y);
  assert.equal(await activeId(page), 'parley-input', 'the hidden textarea has focus (the soft keyboard opens)');
  await page.keyboard.type('Gracias por su interés. ');
  await page.keyboard.insertText('Enviamos el catálogo');  // like autocorrect / dictation
  await settle(page);
  assert.equal(await page.evaluate(() => document.getElementById('parley-input').value),
    'Gracias por su interés. Enviamos el catálogo');
  await shot(page, 'phone-composer-focused');
  await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send'));
  await waitWidget(page, (w) => w.kind === 'message' && w.label === 'Gracias por su interés. Enviamos el catálogo', 'sent');
  // Leaving the field gives focus back (the keyboard closes).
  await settle(page);
  assert.notEqual(await activeId(page), 'parley-input');
  await context.close();
});

test('IME composition (Japanese) commits into the draft', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const field = await openFirst(page);
  await press(page, field);
  assert.equal(await activeId(page), 'parley-input');
  const cdp = await context.newCDPSession(page);
  await cdp.send('Input.imeSetComposition', { text: 'みつもり', selectionStart: 4, selectionEnd: 4 });
  await settle(page);
  await cdp.send('Input.imeSetComposition', { text: '見積もり', selectionStart: 4, selectionEnd: 4 });
  await cdp.send('Input.insertText', { text: '見積もり' });  // commit
  await settle(page);
  await page.keyboard.type('をお願いします');
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === '見積もりをお願いします', 'the composed text, sent');
  await context.close();
});

test('a 600-character Spanish paragraph wraps inside the composer and keeps every character', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  const field = await openFirst(page);
  await press(page, field);
  const sentence = 'Estimado cliente, le confirmamos que las bombas de engranajes GP-40 están disponibles en stock. ';
  let text = '';
  while (text.length < 600) text += sentence;
  text = text.slice(0, 600);
  await page.keyboard.insertText(text);
  await settle(page);
  const grown = await composer(page);
  assert.ok(grown.h > field.h, `the composer grew (${field.h} → ${grown.h})`);
  assert.ok(grown.x + grown.w <= 390, 'and stays inside the phone screen');
  await shot(page, 'phone-composer-wrapped');
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === text, 'the paragraph, sent whole');
  await context.close();
});

test('caret keys work on wrapped rows: Home/End, Shift+arrows, undo', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const field = await openFirst(page);
  await press(page, field);
  await page.keyboard.type('uno dos tres');
  await page.keyboard.press('Home');
  await page.keyboard.type('[');
  await page.keyboard.press('End');
  await page.keyboard.type(']');
  await page.keyboard.press('Control+ArrowLeft');
  await page.keyboard.press('Shift+End');
  await page.keyboard.type('cuatro]');
  await page.keyboard.press('Control+z');
  await page.keyboard.press('Control+y');
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === '[uno dos cuatro]', 'edited text');
  await context.close();
});

test('reload restores the draft', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const field = await openFirst(page);
  const path = new URL(page.url()).pathname;
  await press(page, field);
  await page.keyboard.type('Borrador: plazo de entrega 3 semanas');
  await settle(page);
  await page.reload();
  await page.waitForFunction(() => window.parley && window.parley.ready === true);
  assert.equal(new URL(page.url()).pathname, path);
  await composer(page);
  await settle(page);
  await press(page, await composer(page));
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === 'Borrador: plazo de entrega 3 semanas', 'restored draft, sent');
  await context.close();
});

test('offline: the reply waits as "sending…", goes out once back online, never twice', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const field = await openFirst(page);
  const id = new URL(page.url()).pathname.split('/').pop();
  await press(page, field);
  const text = `Sin conexión ${Date.now()}`;
  await page.keyboard.type(text);
  await context.setOffline(true);
  await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send'));
  await waitWidget(page, (w) => w.label.startsWith('Sending'), 'sending… state');
  await page.waitForTimeout(2500);  // a couple of failed retries
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'alert'), 'not red yet: still in the outbox');
  await shot(page, 'desktop-outbox');
  await context.setOffline(false);
  await waitWidget(page, (w) => w.kind === 'message' && w.label === text, 'sent once online', 20000);
  await page.waitForTimeout(1500);
  // The server has it exactly once.
  const thread = await page.evaluate(async (id) => (await fetch(`/api/v1/requests/${id}`)).json(), id);
  assert.equal(thread.messages.filter((m) => m.body === text).length, 1);
  await context.close();
});

test('select a message with the mouse, Ctrl+C copies it; "Copy message" copies the whole message', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  const field = await openFirst(page);
  // Make sure the thread has a message of ours, whatever request came first.
  await press(page, field);
  await page.keyboard.insertText('Texto para copiar: 1.240 €');
  await page.keyboard.press('Control+Enter');
  await waitWidget(page, (w) => w.kind === 'message' && w.label === 'Texto para copiar: 1.240 €', 'our message');
  // The request's own text is selectable like the messages.
  const msg = await waitWidget(page, (w) => w.kind === 'text' && w.label.length > 60 && w.x > 440, 'the request text');
  // Drag from the first character to past the end of the first line.
  await page.mouse.move(msg.x + 1, msg.y + 8);
  await page.mouse.down();
  await page.mouse.move(msg.x + msg.w - 2, msg.y + msg.h - 4, { steps: 5 });
  await page.mouse.up();
  await settle(page);
  await page.keyboard.press('Control+C');
  await settle(page);
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  assert.ok(copied.length > 10 && msg.label.startsWith(copied.slice(0, 10)), `selection copied: "${copied}"`);
  await shot(page, 'desktop-message-selected');
  // The Copy action.
  await page.evaluate(() => navigator.clipboard.writeText(''));
  const copyButtons = (await widgets(page)).filter((w) => w.label === 'Copy message');
  assert.ok(copyButtons.length > 0);
  await press(page, copyButtons[0]);
  await settle(page);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'Texto para copiar: 1.240 €',
    'the newest message, on top of the history');
  // Select again, then click where there is no text: the selection is gone, and Ctrl+C
  // leaves the clipboard as it is (it once copied the old, invisible selection).
  await page.mouse.move(msg.x + 1, msg.y + 8);
  await page.mouse.down();
  await page.mouse.move(msg.x + 120, msg.y + 8, { steps: 5 });
  await page.mouse.up();
  await settle(page);
  await page.mouse.click(1270, 795);
  await settle(page);
  await page.evaluate(() => navigator.clipboard.writeText('copied elsewhere'));
  await page.keyboard.press('Control+C');
  await settle(page);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'copied elsewhere',
    'nothing selected: the clipboard keeps what it had');
  await context.close();
});

test('phone: a long press selects the request text and a Copy bubble copies it; a tap elsewhere closes it', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.base });
  await openFirst(page);
  const text = await waitWidget(page, (w) => w.kind === 'text' && w.label.length > 60 && w.visible !== false,
    'the request text');
  const hold = async (x, y, ms) => {
    const cdp = await page.context().newCDPSession(page);
    const point = [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point });
    await page.waitForTimeout(ms);
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    await cdp.detach();
  };
  await page.evaluate(() => navigator.clipboard.writeText('before'));
  await hold(text.x + 40, text.y + 10, 800);
  const copy = await waitWidget(page, byLabel('Copy', 'button'), 'the Copy bubble');
  assert.ok(copy.h >= 44, 'finger-sized');
  await shot(page, 'phone-long-press-copy');
  await press(page, copy);
  await settle(page);
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text.label, 'the whole text copied');
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'button' && w.label === 'Copy'), 'the bubble closed');

  // A short tap selects nothing; a long press then a tap elsewhere leaves no bubble.
  await hold(text.x + 40, text.y + 10, 80);
  await settle(page);
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'button' && w.label === 'Copy'), 'a tap is not a long press');
  await hold(text.x + 40, text.y + 10, 800);
  await waitWidget(page, byLabel('Copy', 'button'), 'the bubble again');
  await page.touchscreen.tap(5, 600);
  await settle(page);
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'button' && w.label === 'Copy'), 'closed by a tap elsewhere');
  await context.close();
});

test('links in messages open in a new tab', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const field = await openFirst(page);
  await press(page, field);
  await page.keyboard.insertText('Ficha técnica: https://example.com/gp40.pdf');
  await page.keyboard.press('Control+Enter');
  const msg = await waitWidget(page, (w) => w.kind === 'message' && w.label.includes('https://example.com/gp40.pdf'), 'message with a link');
  // Answered here: no request leaves this machine.
  await context.route('https://example.com/**', (r) => r.fulfill({ status: 200, body: 'ok' }));
  const popup = context.waitForEvent('page');
  assert.ok(msg);
  const link = await waitWidget(page, (w) => w.kind === 'link' && w.label === 'https://example.com/gp40.pdf', 'the link');
  await page.mouse.click(link.x + link.w / 2, link.y + link.h / 2);
  const tab = await popup;
  assert.match(tab.url(), /^https:\/\/example\.com\/gp40\.pdf/);
  await context.close();
});

test('phone: when the keyboard takes half the screen, the composer stays visible', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'a request');
  await press(page, row);
  let field = await composer(page);
  await page.touchscreen.tap(field.x + field.w / 2, field.y + 20);
  await page.keyboard.type('Hola');
  // A soft keyboard: the visible area shrinks to 390×430.
  await page.setViewportSize({ width: 390, height: 430 });
  await settle(page);
  field = await composer(page);
  assert.ok(field.y >= 0 && field.y + 20 <= 430, `composer on screen (y=${field.y}, h=${field.h})`);
  // Send comes up with it, above the keyboard, and sends from there.
  const send = (await widgets(page)).find(byLabel('Send', 'button'));
  assert.ok(send && send.y >= 0 && send.y + send.h <= 430, `Send above the keyboard (${send && send.y}+${send && send.h})`);
  await shot(page, 'phone-keyboard-open');
  await page.keyboard.type(' y adiós');
  await press(page, (await widgets(page)).find(byLabel('Send', 'button')));
  await page.setViewportSize({ width: 390, height: 844 });
  await waitWidget(page, (w) => w.kind === 'message' && w.label === 'Hola y adiós', 'sent');
  await context.close();
});
