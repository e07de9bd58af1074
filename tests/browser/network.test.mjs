// "My sales network" and the seller's inbox header in a real browser, at desktop and
// phone sizes: open it from the top bar, see the demo members, add a distributor
// (a refused address first: red reason, input kept), toggle auto-CC, remove a member
// (with its confirm step), reload and find the changes kept; deep link and back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, settle, shot, signIn, startServer, swipe, waitReady, waitWidget, widgets } from './harness.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => {
  await browser?.close();
  const code = await server?.stop();
  assert.equal(code, 0, 'server shuts down cleanly on SIGTERM');
});

const TOP = 56;  // the top bar

// Scrolls (wheel or finger) until a widget matching pred is wholly on screen; returns it.
async function reveal(page, profile, pred, what) {
  const h = profile.viewport.height;
  let down = true, last = null;
  for (let i = 0; i < 30; i++) {
    const all = await widgets(page);
    const w = all.find(pred);
    if (w && w.y >= TOP && w.y + w.h <= h - 2) return w;
    if (w) down = w.y + w.h > h - 2;
    const seen = all.map((x) => `${x.label}@${Math.round(x.y)}`).join('|');
    if (!w && seen === last) down = !down;  // did not move: at an end, turn round
    last = seen;
    const dy = down ? 1 : -1;
    if (profile.hasTouch) await swipe(page, profile.viewport.width / 2, h * 0.55 + dy * h * 0.15, h * 0.55 - dy * h * 0.15);
    else { await page.mouse.move(profile.viewport.width / 2, h / 2); await page.mouse.wheel(0, dy * 250); }
    await settle(page, 150);
  }
  throw new Error(`could not scroll ${what} into view`);
}

async function typeInto(page, profile, label, text) {
  const field = await reveal(page, profile, byLabel(label, 'input'), `field ${label}`);
  await press(page, field);
  await page.waitForTimeout(150);
  await page.keyboard.type(text, { delay: 5 });
  await settle(page, 100);
}

async function tap(page, profile, label, kind = 'button') {
  await press(page, await reveal(page, profile, byLabel(label, kind), `${kind} ${label}`));
  await settle(page, 100);
}

// Every control a finger must hit is big enough, and nothing runs off the right edge.
async function checkLayout(page, profile, where) {
  const all = await widgets(page);
  for (const w of all) {
    assert.ok(w.x >= -0.5 && w.x + w.w <= profile.viewport.width + 0.5, `${where}: ${w.kind} "${w.label}" inside the width`);
    if (['button', 'checkbox', 'radio', 'input'].includes(w.kind) && w.y > TOP + 0.5 && w.y + w.h < profile.viewport.height - 0.5)  // not cut by an edge
      assert.ok(w.h >= 30, `${where}: ${w.kind} "${w.label}" is ${w.h} px tall`);
  }
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  describe(`sales network on ${name}`, () => {
    test('inbox header: to answer, response rate, median first response; row status', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      const all = await widgets(page);
      const toAnswer = all.find((w) => /^\d+ to answer$/.test(w.label));
      assert.ok(toAnswer, 'the header says how many requests wait for an answer');
      const rate = all.find((w) => /^Response rate (\d{1,3}%|—)$/.test(w.label));
      assert.ok(rate, 'the header shows the response rate');
      const median = all.find((w) => /^Median first response (—|\d+ (min|h|d)( \d+ (min|h))?)$/.test(w.label));
      assert.ok(median, 'the header shows the median first response');
      assert.ok(rate.y < (all.find((w) => w.kind === 'listitem')).y, 'above the list');
      if (!profile.isMobile) assert.equal(Math.round(toAnswer.y), Math.round(median.y), 'desktop: one line');
      assert.ok(all.some((w) => w.kind === 'text' && ['To answer', 'Answered'].includes(w.label)), 'rows carry a status');
      await shot(page, `${name}-network-inbox-header`);

      // The "To answer" chip keeps only those rows.
      await tap(page, profile, 'To answer');
      await settle(page);
      const labels = (await widgets(page)).filter((w) => w.kind === 'text').map((w) => w.label);
      assert.ok(!labels.includes('Answered'), 'answered rows are filtered out');
      await tap(page, profile, 'All');
      await checkLayout(page, profile, 'inbox');
      await context.close();
    });

    test('manufacturer manages the network: add, auto-CC, remove; kept after reload; deep link and back', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox rows');
      await press(page, await waitWidget(page, byLabel('My sales network', 'button'), 'top-bar button'));
      await page.waitForURL((u) => new URL(u).pathname === '/network');
      await waitWidget(page, byLabel('My sales network', 'heading'), 'network heading');
      // Demo members (each size removes a different one below: they share a server).
      const gone = profile.isMobile ? 'Claire Martin' : 'Jonas Weber';
      for (const member of ['Tomás Navarro', gone])
        await waitWidget(page, (w) => w.kind === 'heading' && w.label === member, `member ${member}`);
      const tomas = await waitWidget(page, byLabel('Auto-CC for Tomás Navarro', 'checkbox'), 'auto-CC switch');
      assert.equal(tomas.checked, true, 'Tomás Navarro gets copies (demo data)');
      assert.ok((await widgets(page)).some((w) => w.label === 'Zones: Spain, Portugal'), 'zones as country names');
      await checkLayout(page, profile, 'network');
      await shot(page, `${name}-network`);

      // Add a distributor; the server refuses the address first: red, input kept.
      const who = profile.isMobile ? 'Rui Costa' : 'Inês Duarte';
      await tap(page, profile, 'Add member');
      await typeInto(page, profile, 'Name', who);
      await typeInto(page, profile, 'Company', 'Lusohidráulica Lda');
      await typeInto(page, profile, 'E-mail', `ventas.${name}`);
      await tap(page, profile, 'Distributor', 'radio');
      await typeInto(page, profile, 'Zones (country codes)', 'pt');
      await reveal(page, profile, byLabel('Portugal'), 'zones preview');
      await tap(page, profile, 'Add member');
      const alert = await waitWidget(page, (w) => w.kind === 'alert' && /e-mail/i.test(w.label), 'red server error');
      assert.match(alert.label, /not a valid e-mail address/);
      await checkLayout(page, profile, 'add form');
      await shot(page, `${name}-network-add-refused`);
      await typeInto(page, profile, 'E-mail', '@example.pt');  // appended: the rest was kept
      await tap(page, profile, 'Add member');
      await waitWidget(page, (w) => w.kind === 'heading' && w.label === who, 'the new member in the list', 10000);
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'alert'), 'no error left');

      // Auto-CC on for the new member.
      const cc = byLabel(`Auto-CC for ${who}`, 'checkbox');
      assert.equal((await reveal(page, profile, cc, 'new member switch')).checked, false);
      await tap(page, profile, `Auto-CC for ${who}`, 'checkbox');
      await waitWidget(page, (w) => cc(w) && w.checked, 'switch on');

      // Edit the new member's zones: PT → PT, ES.
      await tap(page, profile, `Edit zones for ${who}`);
      await typeInto(page, profile, `Zones of ${who}`, ', es');
      await reveal(page, profile, byLabel('Portugal, Spain'), 'zones preview while editing');
      await checkLayout(page, profile, 'edit zones');
      await shot(page, `${name}-network-edit-zones`);
      await tap(page, profile, `Save zones of ${who}`);
      await reveal(page, profile, byLabel('Zones: Portugal, Spain'), 'zones saved');

      // Remove one demo member, through the confirm step.
      await tap(page, profile, `Remove ${gone}`);
      await waitWidget(page, (w) => w.kind === 'alert' && w.label === `Remove ${gone} from your sales network?`, 'confirm');
      await checkLayout(page, profile, 'confirm');
      await shot(page, `${name}-network-confirm-remove`);
      await tap(page, profile, 'Yes, remove');
      await settle(page, 400);
      assert.ok(!(await widgets(page)).some((w) => w.kind === 'heading' && w.label === gone), `${gone} left the list`);
      await shot(page, `${name}-network-changed`);

      // Reload: the page comes back on /network with the changes kept.
      await page.reload();
      await waitReady(page);
      await waitWidget(page, byLabel('My sales network', 'heading'), 'network after reload');
      const kept = await reveal(page, profile, cc, 'new member after reload');
      assert.equal(kept.checked, true, 'auto-CC kept');
      await reveal(page, profile, byLabel('Zones: Portugal, Spain'), 'zones kept');
      const after = await widgets(page);
      assert.ok(!after.some((w) => w.kind === 'heading' && w.label === gone), 'removal kept');

      // Back returns to the inbox.
      await page.goBack();
      await page.waitForURL((u) => new URL(u).pathname === '/');
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox after back');
      assert.ok(!(await widgets(page)).some((w) => w.label === 'My sales network' && w.kind === 'heading'));
      await context.close();
    });

    test('deep link /network opens the page; the top-bar back button leads to the inbox', async () => {
      const { context, page } = await signIn(browser, profile, server.link('manufacturer'), '/network');
      await waitWidget(page, byLabel('My sales network', 'heading'), 'deep-linked network page');
      assert.equal(new URL(page.url()).pathname, '/network');
      await press(page, await waitWidget(page, byLabel('‹  Inbox', 'button'), 'back button'));
      await waitWidget(page, (w) => w.kind === 'listitem', 'inbox');
      assert.equal(new URL(page.url()).pathname, '/');
      await context.close();
    });
  });
}

test('a distributor has no sales-network button and the page says why', async () => {
  const { context, page } = await signIn(browser, DESKTOP, server.link('distributor', 'Jonas Weber'));
  await settle(page);
  assert.ok(!(await widgets(page)).some((w) => w.label === 'My sales network' && w.kind === 'button'));
  await page.goto(server.base + '/network');
  await waitReady(page);
  await waitWidget(page, byLabel('Only the manufacturer manages the sales network.', 'alert'), 'refusal');
  await context.close();
});
