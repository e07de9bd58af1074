// Structured quotes end to end, at desktop and phone sizes: the seller
// composes a quote in the page; the buyer opens it (the seller sees "opened" live),
// accepts it by typing their name, pays with the demo provider's test card (a
// declined card first), and the seller sees "paid" live.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, swipe, waitWidget, widgets, reach } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  await server?.stop();
});

async function typeInto(page, field, text, touch) {
  const w = await reach(page, (x) => x.label === field.label && x.kind === field.kind, field.label, touch);
  await press(page, w);
  await page.waitForTimeout(150);
  await page.keyboard.press('Control+A');
  await page.keyboard.type(text, { delay: 5 });
  await settle(page, 150);
}

const input = (label) => ({ label, kind: 'input' });
const hasText = (re) => (w) => re.test(w.label);

for (const [name, profile, row] of [['desktop', DESKTOP, 0], ['phone', PHONE, 1]]) {
  const touch = !!profile.hasTouch;
  describe(`structured quote on ${name}`, () => {
    test('compose → buyer opens (seller sees it live) → accepts → pays with the demo card → seller sees paid', async () => {
      // The seller opens a request they can quote on (a different one per size).
      let seller = await signIn(browser, profile, server.link('manufacturer'));
      const requestId = await seller.page.evaluate(async (skip) => {
        const inbox = await (await fetch('/api/v1/requests')).json();
        const ok = [];
        for (const r of inbox.requests) {
          const d = await (await fetch(`/api/v1/requests/${r.id}`)).json();
          if (r.status === 'to_answer' && d.can && d.can.quote && d.quotes.length === 0) ok.push(r.id);
        }
        return ok[skip];
      }, row);
      assert.ok(requestId, 'a request the manufacturer can quote on');
      await seller.context.close();
      seller = await signIn(browser, profile, server.link('manufacturer'), `/requests/${requestId}`);
      const sp = seller.page;
      await sp.waitForURL(new RegExp(`/requests/${requestId}$`));
      await press(sp, await reach(sp, byLabel('Send a quote', 'button'), 'Send a quote', touch));
      await waitWidget(sp, byLabel('New quote', 'heading'), 'the quote composer');
      // Back (a phone's button) closes the composer and stays on the request.
      await sp.goBack();
      for (let i = 0; i < 50 && (await widgets(sp)).some(byLabel('New quote', 'heading')); i++) await sp.waitForTimeout(100);
      assert.ok(!(await widgets(sp)).some(byLabel('New quote', 'heading')), 'Back closed the composer');
      assert.match(sp.url(), new RegExp(`/requests/${requestId}$`));
      await press(sp, await reach(sp, byLabel('Send a quote', 'button'), 'Send a quote', touch));
      await waitWidget(sp, byLabel('New quote', 'heading'), 'the quote composer');
      await typeInto(sp, input('Product, line 1'), `Válvula de bola DN50 (${name})`, touch);
      await typeInto(sp, input('Reference, line 1'), 'VB-50', touch);
      await typeInto(sp, input('Quantity, line 1'), '10', touch);
      await typeInto(sp, input('Unit price, line 1'), '125.50', touch);
      await typeInto(sp, input('Discount %, line 1'), '5', touch);
      // Totals as you type: 10 × 125.50 = 1255.00, −5 % = 1192.25, + 21 % tax = 1442.62.
      await reach(sp, hasText(/1,442\.62/), 'the total 1,442.62 (€1,192.25 + 21 %)', touch);
      await shot(sp, `${name}-quote-composer`);
      await press(sp, await reach(sp, byLabel('Send quote', 'button'), 'Send quote', touch));
      // The card arrives at the top of the history; on a phone its button may sit below the fold.
      await waitWidget(sp, (w) => w.kind === 'heading' && /^Quote Q-\d{4}-\d{4}\s+·\s+version 1$/.test(w.label), 'the quote card');
      const viewBtn = await reach(sp, (w) => w.kind === 'button' && /^View quote Q-\d{4}-\d{4} version 1$/.test(w.label), 'the quote card\'s button', touch);
      const number = viewBtn.label.match(/Q-\d{4}-\d{4}/)[0];
      await shot(sp, `${name}-quote-card-seller`);

      // The buyer of that request opens the quote from their page.
      const detail = await sp.evaluate(async (id) => (await fetch(`/api/v1/requests/${id}`)).json(), requestId);
      const buyerLink = server.link('buyer', detail.buyer.name);
      assert.ok(buyerLink, `a sign-in link for ${detail.buyer.name}`);
      const buyer = await signIn(browser, profile, buyerLink, `/requests/${requestId}`);
      const bp = buyer.page;
      await bp.waitForURL(new RegExp(`/requests/${requestId}$`));
      const open = await reach(bp, (w) => w.kind === 'button' && w.label === `View quote ${number} version 1`, 'the card', touch);
      await press(bp, open);
      await bp.waitForURL(/\?quote=\d+$/);
      const quoteId = Number(new URL(bp.url()).searchParams.get('quote'));
      await waitWidget(bp, byLabel(`Quote ${number}`, 'heading'), 'the viewer');
      await waitWidget(bp, hasText(/^Válvula de bola DN50/), 'the line item');
      await waitWidget(bp, hasText(/1,442\.62/), 'the total');
      await shot(bp, `${name}-quote-viewer-buyer`);

      // The seller sees "opened" live (long-poll), without reloading.
      await waitWidget(sp, hasText(new RegExp(`opened quote ${number}`)), '"opened" in the seller\'s history');
      await reach(sp, byLabel('Opened by the buyer'), 'the card badge "Opened by the buyer"', touch);

      // Accept: the buyer types their name.
      await press(bp, await reach(bp, byLabel('Accept', 'button'), 'Accept', touch));
      await typeInto(bp, input('Your full name'), detail.buyer.name, touch);
      await shot(bp, `${name}-quote-accept`);
      await press(bp, await reach(bp, byLabel('Accept quote', 'button'), 'Accept quote', touch));
      await waitWidget(bp, hasText(new RegExp(`^Accepted by ${detail.buyer.name} on `)), 'the acceptance line');
      await waitWidget(sp, hasText(new RegExp(`^Quote accepted by ${detail.buyer.name}`)), 'the seller sees the acceptance live');

      // Pay online → the demo provider's checkout (test mode) → a declined card, then 4242…
      await press(bp, await reach(bp, byLabel('Pay online', 'button'), 'Pay online', touch));
      await bp.waitForURL(/\/pay\/demo\//);
      await bp.getByText(/TEST MODE/i).first().waitFor();
      await shot(bp, `${name}-checkout`);
      const card = bp.locator('input[name=card]');
      await card.fill('4000 0000 0000 0002');
      await bp.locator('button[type=submit], input[type=submit]').first().click();
      await bp.getByText(/declined/i).first().waitFor();
      await shot(bp, `${name}-checkout-declined`);
      // (The checkout page forbids scripts to call out: ask from the seller's page.)
      let q = await sp.evaluate(async (id) => (await fetch(`/api/v1/quotes/${id}`)).json(), quoteId);
      assert.equal(q.status, 'accepted', 'a declined card changes nothing');
      await bp.locator('input[name=card]').fill('4242 4242 4242 4242');
      await bp.locator('button[type=submit], input[type=submit]').first().click();
      await bp.waitForURL(new RegExp(`/requests/${requestId}\\?quote=${quoteId}&paid=1$`));
      const { waitReady } = await import('./harness.mjs');
      await waitReady(bp);
      await waitWidget(bp, hasText(/^Paid online /), 'the buyer sees "Paid"');
      await shot(bp, `${name}-quote-paid-buyer`);
      q = await sp.evaluate(async (id) => (await fetch(`/api/v1/quotes/${id}`)).json(), quoteId);
      assert.equal(q.status, 'paid');
      assert.equal(q.paid_provider, 'demo');

      // The seller sees it live.
      await waitWidget(sp, hasText(new RegExp(`^Quote ${number} paid online`)), 'the seller sees "paid" live');
      await reach(sp, byLabel('Paid'), 'the card badge "Paid"', touch);
      await shot(sp, `${name}-quote-paid-seller`);

      // The PDF of that quote, uploaded as a document: "Preview" shows its pages in the page
      // (server-rendered PNGs decoded with stb_image into textures).
      const file = `${number}.pdf`;
      const posted = await sp.evaluate(async ({ id, qid, file }) => {
        const pdf = await (await fetch(`/api/v1/quotes/${qid}/pdf`)).arrayBuffer();
        const up = await fetch(`/api/v1/requests/${id}/attachments?kind=quote&name=${encodeURIComponent(file)}`,
          { method: 'POST', body: pdf });
        const att = await up.json();
        const msg = await fetch(`/api/v1/requests/${id}/messages`, { method: 'POST',
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `preview-${qid}` },
          body: JSON.stringify({ body: 'The signed quote as a PDF.', attachments: [att.id] }) });
        return { upload: up.status, message: msg.status };
      }, { id: requestId, qid: quoteId, file });
      assert.deepEqual(posted, { upload: 201, message: 201 });
      await press(sp, await reach(sp, byLabel(`Preview ${file}`, 'button'), 'Preview', touch));
      const page1 = await waitWidget(sp, (w) => /^Page 1 of \d+$/.test(w.label), 'page 1 shown as an image');
      assert.ok(page1.w > 300, 'the page fills the sheet\'s width');
      await shot(sp, `${name}-pdf-preview`);
      await press(sp, await waitWidget(sp, byLabel('Close', 'button'), 'Close'));
      await buyer.context.close();
      await seller.context.close();
    });
  });
}
