// Leads into the CRM in a real browser, at desktop and phone sizes: on "My sales
// network", the manufacturer types a webhook URL (a refused one first: red reason, the
// text kept), saves it, sees the masked secret and shows it, sends a test event — a real
// receiver gets it signed with that secret — and the log under the form says delivered;
// Remove asks before it takes the webhook away; the Odoo API key is typed as dots.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, reach, settle, shot, signIn, startServer, waitReady, waitWidget,
  widgets }
  from './harness.mjs';

let server, browser, receiver;
const got = [];

before(async () => {
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => { got.push({ headers: req.headers, body }); res.end('ok'); });
  });
  await new Promise((r) => receiver.listen(0, '127.0.0.1', r));
  server = await startServer(['--crm-allow-private', '--crm-retry', '1']);
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
  receiver?.close();
});

async function typeInto(page, label, text, touch) {
  const w = await reach(page, byLabel(label, 'input'), label, touch);
  await press(page, w);
  await page.waitForTimeout(150);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text, { delay: 5 });
  await settle(page, 150);
}

// Whether the screen-reader mirror (every widget, on screen or not) has a text matching re.
const inMirror = (page, re) => page.evaluate((src) => [...document.querySelectorAll('#a11y *')]
  .some((e) => e.children.length === 0 && new RegExp(src).test(e.textContent)), re.source);

async function tap(page, label, touch, kind = 'button') {
  await press(page, await reach(page, byLabel(label, kind), label, touch));
  await settle(page, 150);
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  const touch = !!profile.hasTouch;
  describe(`leads into the CRM on ${name}`, () => {
    test('set up a webhook, send a test event, read the log', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'), '/network');
      await waitWidget(page, byLabel('My sales network', 'heading'), 'network heading');
      await reach(page, byLabel('Leads into your CRM', 'heading'), 'CRM heading', touch);
      const port = receiver.address().port;
      const path = `/parley-${name}`;

      // Refused first: a red reason, the text kept.
      await typeInto(page, 'Webhook URL', `ftp://127.0.0.1:${port}${path}`, touch);
      await tap(page, 'Save the webhook', touch);
      const alert = await waitWidget(page, (w) => w.kind === 'alert' && /https:\/\//.test(w.label), 'red refusal');
      assert.ok(alert.w > 0);
      await shot(page, `${name}-crm-refused`);

      // The text was kept: replacing its first three letters makes it right.
      await press(page, await reach(page, byLabel('Webhook URL', 'input'), 'URL field', touch));
      await page.waitForTimeout(150);
      await page.keyboard.press('Home');
      for (let i = 0; i < 3; i++) await page.keyboard.press('Delete');
      await page.keyboard.type('http', { delay: 5 });
      await settle(page, 150);
      await tap(page, 'Save the webhook', touch);
      const masked = await waitWidget(page, (w) => /^Signing secret: whsec_[A-Za-z0-9_-]{2}••/.test(w.label), 'masked secret');
      assert.ok(!/whsec_[A-Za-z0-9_-]{20}/.test(masked.label), 'hidden until asked');
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'alert'), 'no error left');
      await tap(page, 'Show the secret', touch);
      const shown = await waitWidget(page, (w) => /^Signing secret: whsec_[A-Za-z0-9_-]{43}$/.test(w.label), 'secret');
      const secret = shown.label.replace('Signing secret: ', '');

      const before = got.length;
      await tap(page, 'Send a test event', touch);
      const start = Date.now();
      while (!got.slice(before).some((g) => g.headers['parley-event'] === 'ping') && Date.now() - start < 15000)
        await new Promise((r) => setTimeout(r, 100));
      const ping = got.slice(before).find((g) => g.headers['parley-event'] === 'ping');
      assert.ok(ping, 'the receiver got the test event');
      const [t, v1] = ping.headers['parley-signature'].split(',').map((p) => p.split('=')[1]);
      assert.equal(crypto.createHmac('sha256', secret).update(`${t}.${ping.body}`).digest('hex'), v1);
      // The log under the form catches up by itself.
      await reach(page, (w) => /^ping {2}· {2}delivered {2}· {2}HTTP 200/.test(w.label), 'delivered in the log', touch);
      await shot(page, `${name}-crm-log`);

      // More than a page of deliveries: 8 rows, then the rest on demand, then older pages.
      const pings = got.filter((g) => g.headers['parley-event'] === 'ping').length;
      for (let i = 0; i < 21; i++) {
        const status = await page.evaluate(() => fetch('/api/v1/integrations/webhook/test',
          { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' }).then((r) => r.status));
        assert.equal(status, 202);
      }
      const t0 = Date.now();
      while (got.filter((g) => g.headers['parley-event'] === 'ping').length < pings + 21 && Date.now() - t0 < 30000)
        await new Promise((r) => setTimeout(r, 100));
      await page.reload();
      await waitReady(page);
      await reach(page, byLabel('Show older deliveries', 'button'), 'older deliveries', touch);
      // Counted in the screen-reader mirror, which lists the rows off screen too.
      const logRows = () => page.evaluate(() => [...document.querySelectorAll('#a11y *')]
        .filter((e) => e.children.length === 0 && /^ping {2}· /.test(e.textContent)).length);
      assert.equal(await logRows(), 8);
      await tap(page, 'Show older deliveries', touch);
      assert.equal(await logRows(), 20);
      await tap(page, 'Show older deliveries', touch);
      const t1 = Date.now();
      while ((await logRows()) < 22 && Date.now() - t1 < 5000) await settle(page, 100);
      assert.equal(await logRows(), 22, 'every ping of this webhook, the first one included');
      await shot(page, `${name}-crm-log-older`);

      // Remove asks first; Cancel keeps the webhook, "Yes, remove" takes it away.
      await tap(page, 'Remove the webhook', touch);
      await reach(page, (w) => w.kind === 'alert' && /^Remove the webhook\?/.test(w.label), 'the question', touch);
      await shot(page, `${name}-crm-remove-confirm`);
      await tap(page, 'Cancel', touch);
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'alert'), 'the question is gone');
      assert.ok(await inMirror(page, /^Signing secret: /), 'still set up');
      await tap(page, 'Remove the webhook', touch);
      await tap(page, 'Yes, remove', touch);
      const gone = Date.now();
      while ((await inMirror(page, /^Signing secret: /)) && Date.now() - gone < 5000) await settle(page, 100);
      assert.ok(!(await inMirror(page, /^Signing secret: /)), 'the webhook is removed');
      const on = await page.evaluate(() => fetch('/api/v1/integrations').then((r) => r.json()));
      assert.equal(on.has_webhook, false, 'removed on the server too');

      // The Odoo API key is typed as dots: neither the screen nor the mirror shows it.
      const key = `odoo-key-${name}-42`;
      await typeInto(page, 'API key', key, touch);
      // The screen-reader mirror's textbox reads dots, as many as typed.
      const mirrored = () => page.evaluate(() => [...document.querySelectorAll('[role=textbox]')]
        .find((e) => e.getAttribute('aria-label') === 'API key')?.textContent);
      const since = Date.now();
      while ((await mirrored()) !== '•'.repeat(key.length) && Date.now() - since < 5000) await settle(page, 100);
      assert.equal(await mirrored(), '•'.repeat(key.length));
      assert.ok(!(await page.content()).includes(key), 'the key is nowhere in the page');
      // The browser's input model for it is a password input (screen readers speak hidden
      // characters), not the text fields' textarea.
      const models = () => page.evaluate(() => ({
        focused: document.activeElement?.tagName + ':' + (document.activeElement?.type || ''),
        text: document.getElementById('parley-input').value,
        secret: document.getElementById('parley-secret').value,
      }));
      let m = await models();
      assert.equal(m.focused, 'INPUT:password', 'a password input has the keyboard');
      assert.equal(m.secret, key, 'the password input edits the key');
      assert.ok(!m.text.includes(key), 'the textarea never holds the key');
      // Another field takes the keyboard: the key leaves the page's inputs.
      await typeInto(page, 'Login', 'sales@example.com', touch);
      m = await models();
      assert.equal(m.focused, 'TEXTAREA:textarea', 'a text field has the textarea back');
      assert.equal(m.text, 'sales@example.com');
      assert.equal(m.secret, '', 'the password input was emptied');
      assert.ok(await inMirror(page, /^Login/), 'still on the form');
      await shot(page, `${name}-crm-odoo-key`);
      await context.close();
    });
  });
}
