// The interface speaks the browser's language, can be switched, and remembers it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, waitWidget, widgets } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('a Spanish browser gets a Spanish interface with Spanish dates', async () => {
  const { context, page } = await signIn(browser, { ...DESKTOP, locale: 'es-ES' }, server.link('manufacturer'));
  await waitWidget(page, byLabel('Solicitudes', 'heading'), 'Spanish inbox heading');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'es');
  const row = await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
  assert.match(row.label, /\(sin leer\)$|—/);
  await press(page, row);
  await waitWidget(page, byLabel('Escriba su respuesta', 'input'), 'Spanish composer');
  await waitWidget(page, byLabel('Enviar', 'button'), 'Enviar');
  const received = await waitWidget(page, (w) => w.label.startsWith('Solicitud recibida el '), 'Spanish date line');
  assert.match(received.label, /\d{1,2} (ene|feb|mar|abr|may|jun|jul|ago|sept|oct|nov|dic) \d{4}/);
  await shot(page, 'desktop-spanish');
  await context.close();
});

test('the switcher changes the language at once and it is remembered', async () => {
  const { context, page } = await signIn(browser, PHONE, server.link('manufacturer'));
  await waitWidget(page, byLabel('Requests', 'heading'), 'English inbox');
  await press(page, await waitWidget(page, byLabel('Language: EN'), 'language button'));
  const de = await waitWidget(page, (w) => w.kind === 'option' && w.label === 'Deutsch', 'Deutsch in the menu');
  assert.ok((await widgets(page)).some((w) => w.kind === 'option' && w.label === '日本語'), 'all nine, in their own names');
  await shot(page, 'phone-language-menu');
  await press(page, de);
  await waitWidget(page, byLabel('Anfragen', 'heading'), 'German inbox');
  await page.reload();
  await page.waitForFunction(() => window.parley && window.parley.ready === true);
  await waitWidget(page, byLabel('Anfragen', 'heading'), 'still German after reload');
  await context.close();
});
