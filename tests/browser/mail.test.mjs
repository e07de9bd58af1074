// E-mail delivery errors in red, at desktop and phone sizes: the server sends through
// an SMTP sink (tests/http/smtp_sink.py) that rejects the buyer's address; the seller
// replies in the page → "Not delivered to <buyer>: address rejected" appears live in red
// under the message with a Retry button → the sink accepts again → Retry → the red line
// goes and the mail is delivered.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, swipe, waitWidget, widgets, reach } from './harness.mjs';
import { startSink, waitFor } from '../http/smtp_sink.mjs';

// Demo buyers (server/domain/seed.cpp) and their addresses: one per screen size.
const BUYERS = {
  desktop: { name: 'Stefan Müller', email: 's.mueller@mueller-foerdertechnik.de' },
  phone: { name: 'Pierre Dubois', email: 'p.dubois@dubois-levage.fr' },
};

let server, browser, sink;
before(async () => {
  sink = await startSink();
  server = await startServer(['--smtp-url', sink.url, '--smtp-tls', 'none', '--mail-retry-base-ms', '200']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  await sink?.stop();
});

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  const touch = !!profile.hasTouch;
  const buyer = BUYERS[name];
  describe(`delivery errors on ${name}`, () => {
    test('reply → red line live with the kind → the sink accepts → Retry → the red line goes', async () => {
      // A fresh request of this buyer to the manufacturer, made through the API.
      const seller0 = await signIn(browser, profile, server.link('manufacturer'));
      const makerId = await seller0.page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).id);
      await seller0.context.close();
      const b = await signIn(browser, profile, server.link('buyer', buyer.name));
      const rid = await b.page.evaluate(async (m) => {
        const r = await fetch('/api/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ manufacturer_id: m, product: 'Grupo hidráulico', message: 'Please send an offer.' }) });
        return (await r.json()).id;
      }, makerId);
      await b.context.close();
      assert.ok(rid > 0, 'a new request');
      sink.reject(buyer.email);

      const seller = await signIn(browser, profile, server.link('manufacturer'), `/requests/${rid}`);
      const page = seller.page;
      await page.waitForURL(new RegExp(`/requests/${rid}$`));
      const reply = `Buenos días, le enviamos la oferta (${name} ${Date.now()}).`;
      await press(page, await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field'));
      await page.waitForTimeout(150);
      await page.keyboard.type(reply, { delay: 5 });
      await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send'));
      await waitWidget(page, (w) => w.kind === 'message' && w.label === reply, 'the sent reply');

      // Live: the worker's 550 becomes the red line under my message, with its kind in words.
      const line = `Not delivered to ${buyer.name}: address rejected`;
      const red = await reach(page, byLabel(line, 'alert'), 'the red line', touch);
      const retry = await reach(page, byLabel(`Retry delivery to ${buyer.name}`, 'button'), 'Retry', touch);
      assert.ok(retry.h >= 32, `Retry is finger-sized (${retry.h})`);
      assert.ok(retry.x + retry.w <= page.viewportSize().width, 'Retry fits the screen');
      const msg = (await widgets(page)).find((w) => w.kind === 'message' && w.label === reply);
      if (msg) assert.ok(red.y > msg.y, 'the red line is under the message');
      // The history also has the event line (same words, not an alert), and the screen-reader
      // mirror carries the alert and the button.
      assert.ok((await widgets(page)).some((w) => w.kind !== 'alert' && w.label === line), 'the event line');
      const mirror = await waitFor('the mirror updated', () => page.evaluate(() => {
        const root = document.getElementById('a11y');
        const alerts = [...root.querySelectorAll('[role=alert]')].map((e) => e.textContent);
        const buttons = [...root.querySelectorAll('button')].map((e) => e.textContent);
        return alerts.length ? { alerts, buttons } : null;
      }), 5000);
      assert.ok(mirror.alerts.includes(line), `the screen-reader mirror announces the red line: ${mirror.alerts}`);
      assert.ok(mirror.buttons.includes(`Retry delivery to ${buyer.name}`), 'the screen-reader mirror has Retry');
      await shot(page, `${name}-delivery-failed`);

      // The mailbox accepts again: Retry → the line goes; the mail arrives.
      sink.reject(buyer.email, false);
      const delivered = () => sink.messages().filter((m) => m.envelope.rcpt_tos.includes(buyer.email)).length;
      const before = delivered();
      await press(page, retry);
      await waitFor('the red line gone', async () => !(await widgets(page)).some((w) => w.kind === 'alert' && w.label === line), 10000);
      await waitFor('the mail delivered', () => delivered() === before + 1, 10000);
      const status = await page.evaluate(async (id) => {
        const d = await (await fetch(`/api/v1/requests/${id}`)).json();
        return d.messages[0].deliveries.map((x) => x.status);
      }, rid);
      assert.ok(status.every((s) => s === 'sent' || s === 'queued'), status.join());
      await settle(page);
      assert.equal((await widgets(page)).some((w) => w.label === `Retry delivery to ${buyer.name}`), false);
      await shot(page, `${name}-delivery-retried`);
      await seller.context.close();
    });
  });
}
