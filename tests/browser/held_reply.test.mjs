// E-mail in, the sender's proof, in the page at desktop and phone sizes: a reply by e-mail
// in the buyer's name that proves nothing (this server trusts no MTA verdict) is not
// posted; the buyer sees it on the request, to them alone, with "Post it" and "Discard".
// Post it → it becomes the buyer's message; Discard → it is gone and nothing is posted.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DESKTOP, PHONE, byLabel, launch, press, reach, shot, signIn, startServer, waitReady, waitWidget, widgets }
  from './harness.mjs';

const SECRET = 'held-reply-secret-0123456789';
const BUYERS = {
  desktop: { name: 'Stefan Müller', email: 's.mueller@mueller-foerdertechnik.de' },
  phone: { name: 'Pierre Dubois', email: 'p.dubois@dubois-levage.fr' },
};
const HEADING = 'An e-mail reply from your address is waiting';

let server, browser;
before(async () => {
  server = await startServer(['--inbound-secret', SECRET]);  // no --mail-authserv-id: nothing is proven
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// A raw reply as a forger (or an unverified mail server) would send it.
const mail = (from, relay, subject, text) => [`From: ${from}`, `To: ${relay}`, `Subject: ${subject}`,
  `Message-ID: <${Date.now()}.${Math.random()}@mail.example>`, 'Content-Type: text/plain; charset=UTF-8', '',
  text, '', '> the quoted notification', ''].join('\r\n');

async function inbound(raw) {
  const r = await fetch(`${server.base}/api/v1/mail/inbound`, { method: 'POST', body: raw,
    headers: { authorization: `Bearer ${SECRET}`, 'content-type': 'message/rfc822' } });
  return { status: r.status, json: await r.json() };
}

for (const [name, profile] of [['desktop', DESKTOP], ['phone', PHONE]]) {
  const touch = !!profile.hasTouch;
  const buyer = BUYERS[name];
  describe(`held e-mail replies on ${name}`, () => {
    test('an unproven reply waits for its owner: Post it → their message; Discard → gone', async () => {
      // A request of this buyer, answered by the manufacturer: the buyer's notification
      // carries the relay address.
      const s = await signIn(browser, profile, server.link('manufacturer'));
      const makerId = await s.page.evaluate(async () => (await (await fetch('/api/v1/me')).json()).id);
      const b = await signIn(browser, profile, server.link('buyer', buyer.name));
      const rid = await b.page.evaluate(async (m) => {
        const r = await fetch('/api/v1/requests', { method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ manufacturer_id: m, product: 'Polipasto eléctrico', message: 'Precio para 4 unidades.' }) });
        return (await r.json()).id;
      }, makerId);
      const marker = `Oferta ${name} ${Date.now()}`;
      const posted = await s.page.evaluate(async ([id, body]) => (await fetch(`/api/v1/requests/${id}/messages`, {
        method: 'POST', headers: { 'content-type': 'application/json', 'Idempotency-Key': `k-${Date.now()}` },
        body: JSON.stringify({ body }) })).status, [rid, marker]);
      assert.equal(posted, 201);
      const relay = await b.page.evaluate(async (m) => {
        const box = await (await fetch('/api/v1/dev/mailbox')).json();
        const row = box.messages.find((x) => x.text.includes(m));
        return /r\+[a-z0-9]+@[^>\s]+/i.exec(row.headers['Reply-To'])[0];
      }, marker);

      const kept = `Confirmamos 4 unidades (${name}).`;
      const dropped = `Envíen todo a otra dirección (${name}).`;
      assert.equal((await inbound(mail(buyer.email, relay, 'Re: cantidades', kept))).json.status, 'held');
      assert.equal((await inbound(mail(buyer.email, relay, 'Re: dirección', dropped))).json.status, 'held');

      // The buyer sees both, with the text, on the request page.
      const page = b.page;
      await page.goto(`${server.base}/requests/${rid}`);
      await waitReady(page);
      await waitWidget(page, byLabel(HEADING, 'heading'), 'the held replies card');
      await waitWidget(page, byLabel(kept), 'the first held text');
      await shot(page, `held-reply-${name}`);
      const all = await widgets(page);
      assert.equal(all.some((w) => w.kind === 'message' && w.label.includes(kept)), false, 'not posted yet');

      // The seller sees nothing of it.
      await s.page.goto(`${server.base}/requests/${rid}`);
      await waitReady(s.page);
      await reach(s.page, (w) => w.kind === 'message' && w.label === marker, 'the seller\'s thread', touch);
      assert.equal((await widgets(s.page)).some((w) => w.label === HEADING || w.label.includes(kept)), false);

      // Post it → the buyer's message, live in the thread; Discard the other → gone.
      await press(page, await reach(page, byLabel('Post the e-mail reply "Re: cantidades"', 'button'), 'Post it', touch));
      await reach(page, (w) => w.kind === 'message' && w.label === kept, 'the posted reply', touch);
      await press(page, await reach(page, byLabel('Discard the e-mail reply "Re: dirección"', 'button'), 'Discard', touch));
      await page.waitForFunction((h) => !window.parley.widgets().some((w) => w.label === h), HEADING, { timeout: 15000 });
      await shot(page, `held-reply-${name}-done`);
      const after = await widgets(page);
      assert.equal(after.some((w) => w.label.includes(dropped)), false, 'the discarded text is nowhere');
      await reach(s.page, (w) => w.kind === 'message' && w.label === kept, 'the seller gets the posted reply', touch);
      await s.context.close();
      await b.context.close();
    });
  });
}
