// The screen-reader mirror (web/a11y.cpp) in Chromium's accessibility tree: the inbox
// and the thread are readable by role and name, activating mirror elements operates
// the app, focus follows ImGui's keyboard focus, errors are alerts, live updates land.
// Mirror elements are clipped to nothing and ignore the pointer, so they are activated
// the way assistive technology does it (a click event on the element, or Enter while
// it has focus), not with Playwright's pointer click.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, settle, shot, signIn, startServer, waitWidget, widgets, tabToRow } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const mirror = (page) => page.locator('#a11y');
const rows = async (page) => (await widgets(page)).filter((w) => w.kind === 'listitem');
const path = (page) => new URL(page.url()).pathname;

// Polls until fn() is truthy; returns its value.
async function until(fn, what, timeout = 15000) {
  const end = Date.now() + timeout;
  let v;
  while (Date.now() < end) {
    if ((v = await fn())) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out: ${what} (last: ${JSON.stringify(v)})`);
}

// What DOM focus is on: 'canvas', 'textarea' (the text field's input model), or the
// mirror element's accessible text.
const domFocus = (page) => page.evaluate(() => {
  const a = document.activeElement;
  if (!a || a === document.body) return 'body';
  if (a.id === 'canvas') return 'canvas';
  if (a.id === 'parley-input') return 'textarea';
  return a.closest('#a11y') ? 'mirror:' + (a.getAttribute('aria-label') || a.textContent) : a.tagName;
});

// Chromium's own accessibility tree (not Playwright's role computation): role/name pairs.
async function chromiumTree(page) {
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send('Accessibility.getFullAXTree');
  await cdp.detach();
  return nodes.filter((n) => !n.ignored).map((n) => ({
    role: n.role?.value, name: n.name?.value ?? '',
    focused: (n.properties || []).some((p) => p.name === 'focused' && p.value.value),
  }));
}

async function openViaMirror(page, link) {
  const href = await link.getAttribute('href');
  await link.dispatchEvent('click');
  await page.waitForURL((u) => new URL(u).pathname === href);
  await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');
  return href;
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`screen-reader mirror on ${name}`, () => {
    test('inbox rows are listed by name, all of them, and a row opens from the mirror', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      const visible = await rows(page);
      const nav = page.getByRole('navigation', { name: 'Requests' });
      const snap = await nav.ariaSnapshot();
      assert.match(snap, /heading "Requests" \[level=2\]/);
      for (const r of visible)
        assert.ok(snap.includes(`- link "${r.label}"`), `row "${r.label}" is a named link in the tree`);
      const links = nav.getByRole('listitem').getByRole('link');
      const count = await links.count();
      assert.ok(count >= visible.length, 'every row on screen is listed');
      if (profile.isMobile) assert.ok(count > visible.length, 'rows scrolled out of view are listed too');

      // Nothing of the mirror shows or catches the pointer.
      const box = await mirror(page).boundingBox();
      assert.ok(box.width <= 1 && box.height <= 1, 'the mirror is clipped to nothing');
      const hit = await links.first().evaluate((a) => {
        const r = a.getBoundingClientRect();
        return document.elementFromPoint(r.x + 1, r.y + 1)?.id;
      });
      assert.equal(hit, 'canvas', 'the canvas gets the pointer, not the mirror');
      await shot(page, `${name}-a11y-inbox`);

      // The last row is scrolled out of view on a phone: the app scrolls, then opens it.
      const last = links.nth(count - 1);
      const label = await last.textContent();
      await openViaMirror(page, last);
      const main = page.getByRole('main');
      const msnap = await main.ariaSnapshot();
      assert.match(msnap, /- textbox "Write your reply"/);
      assert.match(msnap, /- button "Send"/);
      assert.match(msnap, /heading "Reply to [^"]+" \[level=3\]/);
      assert.ok(msnap.includes(label.split(',')[0]), 'the buyer is named in the thread');
      const ws = await widgets(page);
      const request = ws[ws.findIndex((w) => w.label.startsWith('Request received')) + 1];
      assert.ok(request && msnap.includes(request.label), 'the request text is readable');

      // The same, in Chromium's own tree.
      const tree = await chromiumTree(page);
      assert.ok(tree.some((n) => n.role === 'textbox' && n.name === 'Write your reply'), 'Chromium: composer textbox');
      assert.ok(tree.some((n) => n.role === 'button' && n.name === 'Send'), 'Chromium: Send button');
      assert.ok(tree.some((n) => n.role === 'main'), 'Chromium: main landmark');
      await context.close();
    });

    test('focus follows ImGui: Tab moves DOM focus to the mirror; AT focus moves ImGui', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      const focused = await tabToRow(page);
      assert.ok(focused, 'Tab reaches an inbox row');
      assert.equal(await domFocus(page), 'mirror:' + focused.label, 'DOM focus is on the same row');
      assert.ok((await chromiumTree(page)).some((n) => n.focused && n.role === 'link' && n.name === focused.label),
        'Chromium reports the row link focused');

      await page.keyboard.press('Tab');
      await settle(page, 150);
      const next = (await widgets(page)).find((w) => w.focused && w.kind === 'listitem');
      assert.ok(next && next.label !== focused.label, 'Tab moved ImGui to the next row');
      assert.equal(await domFocus(page), 'mirror:' + next.label, 'DOM focus followed');

      // AT moves focus to another row: ImGui's focus ring goes there; Enter opens it.
      const links = page.getByRole('navigation').getByRole('link');
      const target = links.nth(3);
      const label = await target.textContent();
      const href = await target.getAttribute('href');
      await target.focus();
      await until(async () => (await widgets(page)).find((w) => w.focused && w.label === label), 'ImGui focus on the AT-focused row');
      await page.keyboard.press('Enter');
      await page.waitForURL((u) => new URL(u).pathname === href);
      await waitWidget(page, byLabel('Write your reply', 'input'), 'composer');

      // A pointer on the canvas ends keyboard mode: DOM focus goes back to the canvas.
      if (!profile.isMobile) {
        await page.mouse.click(5, 300);
        assert.equal(await domFocus(page), 'canvas');
      }
      await context.close();
    });

    test('the composer works from the mirror; a failed send is an alert; the reply is readable', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      await openViaMirror(page, page.getByRole('navigation').getByRole('link').first());

      // Activating the textbox gives the app's field the keyboard (its textarea takes DOM focus).
      await page.getByRole('textbox', { name: 'Write your reply' }).dispatchEvent('click');
      await until(async () => (await widgets(page)).find((w) => w.kind === 'input' && w.focused), 'field active');
      await until(async () => (await domFocus(page)) === 'textarea', 'the textarea has DOM focus');
      const text = `Oferta enviada (${name} ${Date.now()})`;
      await page.keyboard.type(text, { delay: 5 });
      await settle(page);

      // A refusal (not a network failure, which the outbox retries quietly) turns red at once.
      await page.route('**/api/v1/requests/*/messages', (r) => r.fulfill({ status: 400, contentType: 'application/json',
        body: JSON.stringify({ error: { code: 'bad_request', message: 'The message was refused.' } }) }));
      await page.getByRole('button', { name: 'Send', exact: true }).dispatchEvent('click');
      const alert = page.getByRole('alert');
      await until(async () => (await alert.count()) === 1, 'an alert in the mirror');
      assert.match(await alert.textContent(), /^Not sent/);
      await shot(page, `${name}-a11y-send-failed`);

      await page.unroute('**/api/v1/requests/*/messages');
      await page.getByRole('button', { name: 'Send', exact: true }).dispatchEvent('click');
      await until(async () => (await page.getByRole('main').ariaSnapshot()).includes(text), 'the reply in the tree');
      assert.equal(await alert.count(), 0, 'the alert is gone');
      assert.match(await page.getByRole('main').ariaSnapshot(), /heading "History · \d+ messages?" \[level=3\]/);
      await context.close();
    });

    test('a live update reaches the mirror; idle means no DOM changes; elements keep identity', async () => {
      const seller = await signIn(browser, profile, server.link('manufacturer'));
      const page = seller.page;
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      const link = page.getByRole('navigation').getByRole('link').nth(1);
      const buyer = (await link.textContent()).split(',')[0];
      const href = await openViaMirror(page, link);
      await settle(page, 500);

      const watch = await page.evaluate(() => {
        const send = [...document.querySelectorAll('#a11y button')].find((b) => b.textContent === 'Send');
        window.__send = send;
        window.__mutations = 0;
        new MutationObserver((l) => { window.__mutations += l.length; })
          .observe(document.getElementById('a11y'), { subtree: true, childList: true, attributes: true, characterData: true });
        return !!send;
      });
      assert.ok(watch, 'a Send button in the mirror');
      await page.waitForTimeout(1500);
      assert.equal(await page.evaluate(() => window.__mutations), 0, 'no DOM changes while nothing changes');

      const other = await signIn(browser, profile, server.link('buyer', buyer), href);
      const body = `Could you add the datasheets? https://example.com/bg25.pdf (${name} ${Date.now()})`;
      const status = await other.page.evaluate(async ([p, b]) => {
        const r = await fetch('/api/v1' + p + '/messages', { method: 'POST', body: JSON.stringify({ body: b }),
          headers: { 'Content-Type': 'application/json', 'Idempotency-Key': 'a11y-' + Math.random() } });
        return r.status;
      }, [href, body]);
      assert.ok(status === 200 || status === 201, `posted (${status})`);
      await until(async () => (await page.getByRole('main').ariaSnapshot()).includes(body), 'the new message in the seller\'s tree', 20000);
      assert.ok(await page.getByRole('heading', { name: buyer }).count() >= 1, 'its author is a heading');
      const url = page.getByRole('main').getByRole('link', { name: 'https://example.com/bg25.pdf' }).first();
      assert.equal(await url.getAttribute('href'), 'https://example.com/bg25.pdf', 'a link in a message is a link');
      assert.equal(await url.getAttribute('target'), '_blank', 'to another site: a new tab, opened natively');
      assert.ok(await page.evaluate(() => window.__mutations > 0 && window.__send.isConnected),
        'the mirror changed, and the Send button is the same element');
      await other.context.close();
      await seller.context.close();
    });
  });
}
