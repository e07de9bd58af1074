// Translation in the browser, offline (Apertium only): on a phone the manufacturer translates
// the French buyer's request into Spanish — the picker greys German ("not available on
// this server") — reads it under "Translated from French · Show original" and toggles back;
// on a desktop "Always translate incoming messages" translates the thread by itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, waitReady, waitWidget, widgets }
  from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const ORIGINAL = /^Bonjour, nous cherchons 30 vérins/;

async function pierresRequest() {
  const b = await signIn(browser, DESKTOP, server.link('buyer', 'Pierre Dubois'));
  const rid = await b.page.evaluate(async () => (await (await fetch('/api/v1/requests')).json()).requests[0].id);
  await b.context.close();
  return rid;
}

test('phone: translate the French request into Spanish, then back to the original', async () => {
  const rid = await pierresRequest();
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'), `/requests/${rid}`);
  await waitWidget(page, (w) => w.kind === 'text' && ORIGINAL.test(w.label), 'the French request');
  // The first "Translate" is the request's own (it sits right under its text).
  const first = (await widgets(page)).filter(byLabel('Translate', 'button')).sort((a, b) => a.y - b.y)[0];
  assert.ok(first, 'a Translate button');
  await press(page, first);
  const spanish = await waitWidget(page, byLabel('Translate into Spanish', 'button'), 'the Spanish chip');
  const german = (await widgets(page)).find(byLabel('German: not available on this server', 'button'));
  assert.ok(german, 'German is offered, greyed, with its reason');
  assert.ok((await widgets(page)).some(byLabel('Greyed languages are not available on this server.')));
  await shot(page, 'phone-translate-picker');
  await press(page, spanish);
  const translated = await waitWidget(page, (w) => w.kind === 'text' && /buscamos/.test(w.label), 'the Spanish text');
  assert.match(translated.label, /VH-80/, 'the product reference is kept');
  assert.match(translated.label, /500 mm/, 'the quantity is kept');
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'text' && ORIGINAL.test(w.label)), 'the original is hidden');
  await waitWidget(page, (w) => w.kind === 'status' && w.label.startsWith('Translated from French'), 'the source line');
  await shot(page, 'phone-translate-spanish');

  await press(page, await waitWidget(page, byLabel('Show original', 'button'), 'Show original'));
  await waitWidget(page, (w) => w.kind === 'text' && ORIGINAL.test(w.label), 'the original again');
  assert.ok(!(await widgets(page)).some((w) => w.kind === 'text' && /buscamos/.test(w.label)));
  // And back to the stored translation without asking the server again.
  await press(page, await waitWidget(page, byLabel('Show the translation into Spanish', 'button'), 'Show translation'));
  await waitWidget(page, (w) => w.kind === 'text' && /buscamos/.test(w.label), 'the translation again');
  await shot(page, 'phone-translate-original');
  await context.close();
});

test('desktop: "Always translate incoming messages" translates the thread into my language', async () => {
  const rid = await pierresRequest();
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'), `/requests/${rid}`);
  await waitWidget(page, (w) => w.kind === 'text' && ORIGINAL.test(w.label), 'the French request');
  const sw = await waitWidget(page, byLabel('Always translate incoming messages into English', 'checkbox'), 'the switch');
  assert.equal(sw.checked, false);
  await press(page, sw);
  // The request (French) comes in English, through Spanish.
  const en = await waitWidget(page, (w) => w.kind === 'text' && /VH-80/.test(w.label) && !ORIGINAL.test(w.label),
    'the request in English');
  assert.match(en.label, /look|search|seek/i, en.label);
  await settle(page);
  await shot(page, 'desktop-translate-auto');
  // Remembered on the server: a reload translates again without touching the switch.
  await page.reload();
  await waitReady(page);
  await waitWidget(page, (w) => w.kind === 'text' && /VH-80/.test(w.label) && !ORIGINAL.test(w.label), 'translated after reload');
  assert.equal((await widgets(page)).find(byLabel('Always translate incoming messages into English', 'checkbox'))?.checked, true);
  await press(page, await waitWidget(page, byLabel('Always translate incoming messages into English', 'checkbox'), 'switch'));
  await context.close();
});
