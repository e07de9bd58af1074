// E-mail: the Reply link of a captured notification e-mail, at desktop and phone sizes.
// The seller answers a buyer through the API; the buyer's development mailbox holds the
// "new reply" mail; its Reply link, opened in a browser with no cookies at all, signs the
// buyer in and lands on that request with the composer focused: typing goes straight into
// the reply, and Send posts it. That session opens the request alone; "Send me a full
// sign-in link" mails one for the whole account.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, waitReady, waitWidget }
  from './harness.mjs';

const BUYERS = { desktop: 'Stefan Müller', phone: 'Pierre Dubois' };

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`the e-mail Reply link on ${name}`, () => {
    test('lands signed in on the request, composer focused; the typed reply is sent', async () => {
      // The buyer's request, answered by the manufacturer (API calls from signed-in pages).
      const buyer = await signIn(browser, profile, server.link('buyer', BUYERS[name]));
      const rid = await buyer.page.evaluate(async () => (await (await fetch('/api/v1/requests')).json()).requests[0].id);
      const seller = await signIn(browser, profile, server.link('manufacturer'));
      const answer = `Buenos días, le enviamos la oferta (${name} ${Date.now()}).`;
      const status = await seller.page.evaluate(async ([id, body]) => (await fetch(`/api/v1/requests/${id}/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': `e2e-${Math.random()}` },
        body: JSON.stringify({ body }),
      })).status, [rid, answer]);
      assert.equal(status, 201);
      await seller.context.close();

      // The captured mail: the buyer's development mailbox.
      const mail = await buyer.page.evaluate(async (id) => {
        const box = await (await fetch('/api/v1/dev/mailbox')).json();
        return box.messages.find((m) => m.kind === 'new_reply' && m.request_id === id);
      }, rid);
      await buyer.context.close();
      assert.ok(mail, 'a new-reply mail for the buyer');
      assert.ok(mail.text.includes(answer), 'the mail carries the reply text');
      const link = (mail.text.match(/https?:\/\/\S+\/login\/\S+/g) || []).find((u) => u.includes('reply%3D1'));
      assert.ok(link, `a Reply link in:\n${mail.text}`);

      // A browser that has never seen Parley: no session cookie.
      const context = await browser.newContext(profile);
      const page = await context.newPage();
      page.on('pageerror', (e) => console.error('[pageerror]', e.message));
      await page.goto(link);
      await waitReady(page);
      assert.match(page.url(), new RegExp(`/requests/${rid}\\?reply=1$`));
      const me = await page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).name);
      assert.equal(me, BUYERS[name], 'signed in as the recipient');
      await waitWidget(page, (w) => w.kind === 'message' && w.label === answer, 'the seller\'s reply in the history');
      const field = await waitWidget(page, byLabel('Write your reply', 'input'), 'the composer');
      assert.ok(field.y >= 0 && field.y + field.h <= page.viewportSize().height, 'the composer is on screen');
      await settle(page);
      assert.equal(await activeId(page), 'parley-input', 'the composer has the keyboard without a click');
      await shot(page, `${name}-email-reply-landing`);

      const reply = `Merci, nous regardons l'offre (${name}).`;
      await page.keyboard.type(reply, { delay: 5 });
      await settle(page);
      assert.equal(await page.evaluate(() => document.getElementById('parley-input').value), reply,
        'typing went into the reply');
      await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send'));
      await waitWidget(page, (w) => w.kind === 'message' && w.label === reply, 'the reply, sent');
      await shot(page, `${name}-email-reply-sent`);

      // The link's session opens this request only: no inbox beside it, a line that says
      // so, and a full sign-in link by e-mail one tap away.
      await waitWidget(page, (w) => (w.label || '').startsWith('Signed in for this request only'), 'the scoped line');
      const widgets = await page.evaluate(() => window.parley.widgets());
      assert.ok(!widgets.some((w) => w.label === 'Search requests'), 'no inbox beside the request');
      const step = await waitWidget(page, byLabel('Send me a full sign-in link', 'button'), 'the step-up button');
      assert.ok(step.x >= 0 && step.x + step.w <= page.viewportSize().width, 'the step-up button is on screen');
      await press(page, step);
      await waitWidget(page, (w) => (w.label || '').startsWith('Link sent to '), 'the link was sent');
      await shot(page, `${name}-email-scoped-link-sent`);
      await context.close();
    });
  });
}

test('an altered Reply link does not sign anyone in', async () => {
  const context = await browser.newContext(DESKTOP);
  const page = await context.newPage();
  const res = await page.goto(`${server.base}/login/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA?next=%2Frequests%2F1%3Freply%3D1`);
  assert.equal(res.status(), 401);
  assert.match(await page.content(), /invalid or has expired/);
  assert.equal((await context.cookies()).filter((c) => c.name === 'parley_session').length, 0);
  await context.close();
});
