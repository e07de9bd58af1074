// The negotiation workflow in a real browser, at desktop and phone sizes: forward to a
// distributor who sees it live and replies (the manufacturer sees that the network
// answered, not what), read marks (✓ → ✓✓ live), decline, rating, show number, and
// the buyer's conversation tabs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, swipe, waitReady, waitWidget, widgets } from './harness.mjs';

let server, browser;
// Requests the manufacturer answers herself and nobody touched yet: each test takes its own.
let fresh = [];
before(async () => {
  server = await startServer();
  browser = await launch();
  const { context, page } = await signIn(browser, DESKTOP, server.link('manufacturer'));
  const inbox = await page.evaluate(() => fetch('/api/v1/requests').then((r) => r.json()));
  fresh = inbox.requests.filter((r) => r.status === 'to_answer' && !r.handler_name && r.message_count === 0)
    .filter((r) => server.link('buyer', r.buyer_name));
  await context.close();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

function take() {
  const r = fresh.shift();
  assert.ok(r, 'a fresh demo request for this test');
  return { id: r.id, path: `/requests/${r.id}`, buyer: r.buyer_name };
}

const messages = async (page) => (await widgets(page)).filter((w) => w.kind === 'message');
const startsWith = (prefix, kind) => (w) => w.label.startsWith(prefix) && (!kind || w.kind === kind);

async function typeInto(page, field, text) {
  await press(page, field);
  await page.waitForTimeout(150);
  await page.keyboard.type(text, { delay: 5 });
  await settle(page, 150);
}

// Scrolls the thread down (wheel on desktop, a finger on the phone) until pred matches a
// widget on screen; returns it.
async function scrollTo(page, pred, what, profile) {
  for (let i = 0; i < 16; i++) {
    const w = (await widgets(page)).find(pred);
    if (w) return w;
    const vp = page.viewportSize();
    if (profile.hasTouch) await swipe(page, vp.width / 2, vp.height * 0.75, vp.height * 0.35);
    else {
      await page.mouse.move(vp.width * 0.66, vp.height * 0.6);
      await page.mouse.wheel(0, 300);
    }
    await settle(page, 150);
  }
  return waitWidget(page, pred, what, 1000);
}

async function scrollTop(page, profile) {
  const vp = page.viewportSize();
  for (let i = 0; i < 8; i++) {
    if (profile.hasTouch) await swipe(page, vp.width / 2, vp.height * 0.3, vp.height * 0.9);
    else {
      await page.mouse.move(vp.width * 0.66, vp.height * 0.6);
      await page.mouse.wheel(0, -1000);
    }
  }
  await settle(page, 200);
}

// Presses a seller action: in the card's row, or (phones) in the "More" menu.
async function act(page, label, menuShot) {
  // Wait for the row to settle (the request loading) before choosing.
  let w = await waitWidget(page, (x) => x.kind === 'button' && (x.label === label || x.label === 'More actions'),
    `${label} or "More"`);
  if (w.label !== label) {
    await press(page, await waitWidget(page, byLabel('More actions', 'button'), '"More" menu'));
    w = await waitWidget(page, byLabel(label, 'button'), `${label} in the menu`);
    assert.ok(w.h >= 36, 'menu entries are finger-sized');
    if (menuShot) await shot(page, menuShot);
  }
  await press(page, w);
}

// Posts a reply through the page's own session (test set-up, not the behaviour under test).
async function replyByApi(page, requestId, body) {
  const status = await page.evaluate(async ([id, text]) => {
    const r = await fetch(`/api/v1/requests/${id}/messages`, {
      method: 'POST', headers: { 'Content-Type': 'application/json', 'Idempotency-Key': `t-${Math.random()}` },
      body: JSON.stringify({ body: text }),
    });
    return r.status;
  }, [requestId, body]);
  assert.equal(status, 201);
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`workflow on ${name}`, () => {
    test('forward to a distributor → she sees it live and replies → the manufacturer sees that, not the text', async () => {
      const req = take();
      const marta = await signIn(browser, profile, server.link('manufacturer'), req.path);
      const claire = await signIn(browser, profile, server.link('distributor', 'Claire Martin'));
      const page = marta.page;
      await waitWidget(claire.page, (w) => w.kind === 'listitem', 'Claire\'s inbox');
      assert.ok(!(await widgets(claire.page)).some((w) => w.kind === 'listitem' && w.label.startsWith(req.buyer)),
        'not in her inbox before the forward');

      await act(page, 'Forward');
      const contact = await waitWidget(page, byLabel('Claire Martin', 'radio'), 'contact Claire in the dialog');
      await shot(page, `${name}-forward-dialog`);
      // The screen-reader mirror: the dialog is a modal dialog named by its title.
      const dialog = page.getByRole('dialog', { name: 'Forward this request' });
      await dialog.waitFor({ state: 'attached' });
      assert.equal(await dialog.getAttribute('aria-modal'), 'true');
      assert.match(await dialog.ariaSnapshot(), /radio "Claire Martin"/);
      assert.doesNotMatch(await page.getByRole('main').ariaSnapshot(), /Claire Martin/, 'its content is not in the page under it');
      await press(page, contact);
      const picked = await waitWidget(page, byLabel('Claire Martin', 'radio'), 'picked');
      assert.equal(picked.checked, true, 'the contact is chosen');
      await typeInto(page, await waitWidget(page, byLabel('Note (optional)', 'input'), 'note field'), 'Cliente de tu zona');
      await shot(page, `${name}-forward-filled`);
      await press(page, await waitWidget(page, byLabel('Forward request', 'button'), 'Forward request'));
      await waitWidget(page, startsWith('Forwarded to Claire Martin by Marta Iglesias', 'text'), 'forward event line');
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'radio'), 'the dialog closed');
      await shot(page, `${name}-forwarded`);

      // Claire: the request arrives without a reload; she opens it and replies.
      const row = await waitWidget(claire.page, (w) => w.kind === 'listitem' && w.label.startsWith(req.buyer),
        'forwarded request in Claire\'s inbox', 20000);
      await press(claire.page, row);
      await waitWidget(claire.page, byLabel(`Reply to ${req.buyer}`, 'heading'), 'Claire\'s composer');
      const reply = `Bonjour, Hydrolec France vous répond (${name} ${Date.now()}).`;
      await typeInto(claire.page, await waitWidget(claire.page, byLabel('Write your reply', 'input'), 'reply field'), reply);
      await press(claire.page, await waitWidget(claire.page, byLabel('Send', 'button'), 'Send'));
      await waitWidget(claire.page, (w) => w.kind === 'message' && w.label === reply, 'her reply');
      await waitWidget(claire.page, byLabel('Claire Martin · Distributor', 'heading'), 'author and role on her bubble');
      await shot(claire.page, `${name}-distributor-replied`);

      // Marta: the network answered (live), but the text is not hers to read.
      await waitWidget(page, byLabel('The sales network answered the buyer', 'text'), 'answered event', 20000);
      assert.ok(!(await messages(page)).some((m) => m.label === reply), 'the distributor\'s reply stays hidden');
      await shot(page, `${name}-network-answered`);
      await claire.context.close();
      await marta.context.close();
    });

    test('the buyer displays the reply → the seller sees ✓✓ live', async () => {
      const req = take();
      const marta = await signIn(browser, profile, server.link('manufacturer'), req.path);
      const page = marta.page;
      const text = `Le enviamos la oferta hoy (${name} ${Date.now()}).`;
      await typeInto(page, await waitWidget(page, byLabel('Write your reply', 'input'), 'reply field'), text);
      await press(page, await waitWidget(page, byLabel('Send', 'button'), 'Send'));
      await waitWidget(page, (w) => w.kind === 'message' && w.label === text, 'sent reply');
      await scrollTo(page, byLabel('✓ Sent', 'status'), '✓ Sent', profile);
      await shot(page, `${name}-sent-mark`);

      const buyer = await signIn(browser, profile, server.link('buyer', req.buyer), req.path);
      await waitWidget(buyer.page, byLabel('Reply to Marta Iglesias', 'heading'), 'buyer composer');
      // Only what is on screen counts: bring the message into view.
      await scrollTo(buyer.page, (w) => w.kind === 'message' && w.label === text, 'the reply at the buyer', profile);
      await waitWidget(buyer.page, byLabel('Marta Iglesias · Manufacturer', 'heading'), 'author and role');
      await shot(buyer.page, `${name}-buyer-reads`);

      const read = await waitWidget(page, startsWith('✓✓ Read', 'status'), '✓✓ at the seller', 20000);
      assert.match(read.label, /^✓✓ Read \d{1,2} \w{3} \d{4}, \d{2}:\d{2}$/);
      const fonts = await page.evaluate(() => window.parley.fonts());
      assert.equal(fonts.missing, 0, 'the ✓ glyphs are in the atlas');
      await shot(page, `${name}-read-mark`);
      await buyer.context.close();
      await marta.context.close();
    });

    test('decline: a reason from the list, errors keep the input, the history says it', async () => {
      const req = take();
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'), req.path);
      await act(page, 'Decline', `${name}-more-menu`);
      for (const reason of ['Not my product', 'Cannot deliver to that country', 'Quantity too small'])
        await waitWidget(page, byLabel(reason, 'radio'), reason);
      await press(page, await waitWidget(page, byLabel('Other', 'radio'), 'Other'));
      await press(page, await waitWidget(page, byLabel('Decline request', 'button'), 'Decline request'));
      await waitWidget(page, (w) => w.kind === 'alert' && w.label === 'Say why in a few words.', 'local check');

      // The server refuses once: the reason shows in red, the text stays.
      await page.route('**/api/v1/requests/*/decline', (r) => r.fulfill({
        status: 409, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'conflict', message: 'Someone else just closed this request.' } }),
      }));
      const why = 'Modelo descatalogado';
      await typeInto(page, await waitWidget(page, byLabel('Reason', 'input'), 'reason field'), why);
      await press(page, await waitWidget(page, byLabel('Decline request', 'button'), 'Decline request'));
      await waitWidget(page, (w) => w.kind === 'alert' && w.label === 'Someone else just closed this request.', 'server error');
      const kept = await page.evaluate(() => document.querySelector('#a11y [role=textbox][aria-label="Reason"]')?.textContent);
      assert.equal(kept, why, 'the text is kept');
      await shot(page, `${name}-decline-error`);
      await page.unroute('**/api/v1/requests/*/decline');

      await press(page, await waitWidget(page, byLabel('Decline request', 'button'), 'Decline request'));
      await waitWidget(page, byLabel(`Declined by Marta Iglesias: Other — “${why}”`, 'text'), 'decline event');
      await waitWidget(page, byLabel('Declined: Other — “Modelo descatalogado”', 'status'), 'status on the card');
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'button' && w.label === 'Decline'), 'no second decline');
      await shot(page, `${name}-declined`);
      await context.close();
    });

    test('rating: the buyer rates, the seller sees it; show number is a tel: link', async () => {
      const req = take();
      const marta = await signIn(browser, profile, server.link('manufacturer'), req.path);
      const page = marta.page;
      await replyByApi(page, req.id, 'Precio unitario 240 EUR, entrega en 2 semanas.');

      const buyer = await signIn(browser, profile, server.link('buyer', req.buyer), req.path);
      const bp = buyer.page;
      await press(bp, await waitWidget(bp, byLabel('Rate this conversation', 'button'), 'rate button'));
      for (const label of ['1 star', '2 stars', '3 stars', '5 stars']) await waitWidget(bp, byLabel(label, 'button'), label);
      const star = await waitWidget(bp, byLabel('4 stars', 'button'), '4 stars');
      assert.ok(star.w >= 36 && star.h >= 36, `stars are finger-sized (${star.w}×${star.h})`);
      await press(bp, star);
      await typeInto(bp, await waitWidget(bp, byLabel('Comment (optional)', 'input'), 'comment'), 'Rápidos y claros');
      await shot(bp, `${name}-rating`);
      await press(bp, await waitWidget(bp, byLabel('Send rating', 'button'), 'Send rating'));
      await waitWidget(bp, byLabel('Your rating of Marta Iglesias', 'heading'), 'rated');
      await waitWidget(bp, byLabel('★★★★☆'), 'stars shown');
      await shot(bp, `${name}-rated`);

      // The seller sees it live: in the history and on the request card.
      await scrollTo(page, byLabel('Rated ★★★★☆ — “Rápidos y claros”', 'text'), 'rated event', profile);
      await scrollTop(page, profile);
      await waitWidget(page, byLabel('Buyer\'s rating'), 'rating on the card');
      await shot(page, `${name}-seller-sees-rating`);

      // Show number → a tel: link, still there after a reload.
      await press(page, await waitWidget(page, byLabel('Show number', 'button'), 'Show number'));
      const tel = await waitWidget(page, (w) => w.kind === 'link' && w.href.startsWith('tel:'), 'phone link');
      assert.match(tel.href, /^tel:\+\d{8,15}$/);
      assert.ok(tel.h >= 36, 'the number is easy to tap');
      const mirror = await page.evaluate(() => document.querySelector('#a11y a[href^="tel:"]')?.getAttribute('href'));
      assert.equal(mirror, tel.href, 'screen readers get a real tel: link');
      await shot(page, `${name}-phone`);
      await page.reload();
      await waitReady(page);
      await waitWidget(page, (w) => w.kind === 'link' && w.href === tel.href, 'phone shown after reload');
      assert.ok(!(await widgets(page)).some((w) => w.label === 'Show number'), 'no need to click again');
      await buyer.context.close();
      await marta.context.close();
    });

    test('a buyer with two conversations picks one: its messages and its replies', async () => {
      // Routed to a distributor: the buyer has the manufacturer and the distributor.
      const inbox = await (async () => {
        const s = await signIn(browser, profile, server.link('manufacturer'));
        const j = await s.page.evaluate(() => fetch('/api/v1/requests').then((r) => r.json()));
        await s.context.close();
        return j;
      })();
      const routed = inbox.requests.find((r) => r.handler_name === 'Claire Martin' && server.link('buyer', r.buyer_name));
      assert.ok(routed, 'a request routed to Claire Martin');
      const { context, page } = await signIn(browser, profile, server.link('buyer', routed.buyer_name), `/requests/${routed.id}`);
      const tab = await waitWidget(page, byLabel('Claire Martin · Distributor', 'radio'), 'distributor tab');
      await waitWidget(page, byLabel('Marta Iglesias · Manufacturer', 'radio'), 'manufacturer tab');
      await waitWidget(page, byLabel('Handled by', 'heading'), 'who handles each, on the card');
      await press(page, tab);
      await waitWidget(page, byLabel('Reply to Claire Martin', 'heading'), 'replies go to Claire');
      assert.equal((await waitWidget(page, byLabel('Claire Martin · Distributor', 'radio'), 'tab')).checked, true);
      await shot(page, `${name}-buyer-conversations`);
      await context.close();
    });
  });
}
