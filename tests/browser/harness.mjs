// Shared set-up for the browser tests: the real server on 127.0.0.1 with a temp
// database and the built client, Debian's Chromium through playwright-core, and
// helpers that find widgets through window.parley.widgets() (the widget registry).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const root = path.resolve(here, '../..');
export const artifacts = path.join(here, 'artifacts');
fs.mkdirSync(artifacts, { recursive: true });

export const DESKTOP = { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 };
export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true,
  userAgent: 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Mobile Safari/537.36' };

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

const serverBin = () => process.env.PARLEY_SERVER || path.join(root, 'build/server/parley-server');

// `parley-server load-demo` into a new data dir: the demo plus volume (e.g.
// ['--requests', '300', '--messages', '3000', '--long-thread', '10000']). Resolves with
// the dir and the JSON line it prints (long_request, long_oldest_message, …).
export async function loadDemo(args) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
  const proc = spawn(serverBin(), ['load-demo', '--data-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { err += d; });
  const code = await new Promise((r) => proc.on('exit', r));
  if (code !== 0) throw new Error(`load-demo exited ${code}:\n${err}`);
  const line = out.split('\n').find((l) => l.startsWith('{'));
  return { dir, info: JSON.parse(line) };
}

// Starts parley-server; resolves when the demo sign-in links are printed. `dataDir`:
// an existing data dir (e.g. from loadDemo), else a new empty one.
export async function startServer(extra = [], { dataDir } = {}) {
  const bin = serverBin();
  const web = process.env.PARLEY_WEB || path.join(root, 'build-web/dist');
  const port = await freePort();
  const dir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'parley-e2e-'));
  const proc = spawn(bin, ['--host', '127.0.0.1', '--port', String(port), '--data-dir', dir,
    '--web-root', web, '--demo', ...extra],
  // The tests drive the API faster than people (data set up over HTTP): no abuse limits.
  { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PARLEY_RATE_LIMITS: 'off' } });
  const links = [];
  let out = '';
  const log = fs.createWriteStream(path.join(artifacts, `server-${port}.log`));
  proc.stderr.pipe(log);
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out)), 15000);
    proc.on('exit', (c) => reject(new Error(`server exited ${c}:\n${out}`)));
    proc.stdout.on('data', (d) => {
      out += d;
      for (const m of out.matchAll(/^login (\w+) (.+?): (http\S+)$/gm))
        if (!links.some((l) => l.url === m[3])) links.push({ role: m[1], name: m[2], url: m[3] });
      if (links.length && links.some((l) => l.role === 'manufacturer') && /\n$/.test(out)) {
        clearTimeout(timer); resolve();
      }
    });
  });
  return {
    port, base: `http://127.0.0.1:${port}`, links, proc,
    link(role, name) { return links.find((l) => l.role === role && (!name || l.name === name)); },
    async stop() {
      if (proc.exitCode !== null) return proc.exitCode;
      const done = new Promise((r) => proc.on('exit', (c) => r(c)));
      proc.kill('SIGTERM');
      return done;
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
      '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
}

const touchPages = new WeakSet();

// A signed-in page: the magic link sets the session cookie and redirects into the app.
export async function signIn(browser, profile, link, next) {
  const context = await browser.newContext(profile);
  const page = await context.newPage();
  if (profile.hasTouch) touchPages.add(page);
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  if (process.env.PAGE_LOG) page.on('console', (m) => console.error('[console]', m.text()));
  await page.goto(link.url + (next ? `?next=${encodeURIComponent(next)}` : ''));
  await waitReady(page);
  return { context, page };
}

export async function waitReady(page) {
  await page.waitForFunction(() => window.parley && window.parley.ready === true, null, { timeout: 30000 });
}

export const widgets = (page) => page.evaluate(() => window.parley.widgets());

// Waits until no frame has been drawn for `quiet` ms (the UI has settled).
export async function settle(page, quiet = 250, timeout = 5000) {
  const end = Date.now() + timeout;
  let last = await frames(page), since = Date.now();
  while (Date.now() < end) {
    await page.waitForTimeout(50);
    const f = await frames(page);
    if (f !== last) { last = f; since = Date.now(); } else if (Date.now() - since >= quiet) return;
  }
}

// Waits until a widget matching `pred` is on a settled screen; returns it.
export async function waitWidget(page, pred, what, timeout = 15000) {
  const end = Date.now() + timeout;
  let last = [];
  while (Date.now() < end) {
    last = await widgets(page);
    if (last.find(pred)) {
      await settle(page);  // e.g. the inbox re-sorting after a live update
      last = await widgets(page);
      const w = last.find(pred);
      if (w) return w;
    }
    await page.waitForTimeout(100);
  }
  throw new Error(`no widget ${what} on screen; saw: ` + last.map((w) => `${w.kind}:${w.label.slice(0, 40)}`).join(' | ').slice(0, 1500));
}

export const byLabel = (label, kind) => (w) => w.label === label && (!kind || w.kind === kind);

// Clicks (mouse) or taps (touch) the centre of a widget, as a person would.
export async function press(page, w) {
  const x = w.x + w.w / 2, y = w.y + w.h / 2;
  if (touchPages.has(page)) await page.touchscreen.tap(x, y);
  else await page.mouse.click(x, y);
}

// A finger drag from (x, y0) to (x, y1) in steps (Playwright's touchscreen only taps).
export async function swipe(page, x, y0, y1, steps = 8) {
  const cdp = await page.context().newCDPSession(page);
  const point = (y) => [{ x, y, id: 1, radiusX: 4, radiusY: 4, force: 1 }];
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: point(y0) });
  for (let i = 1; i <= steps; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: point(y0 + (y1 - y0) * i / steps) });
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

export async function shot(page, name) {
  const file = path.join(artifacts, name + '.png');
  await page.screenshot({ path: file });
  return file;
}

// Presses Tab (from the canvas) until keyboard focus is on an inbox row (past the top
// bar, the search box and the filter chips); returns it.
export async function tabToRow(page, tries = 12) {
  await page.locator('#canvas').focus();
  for (let i = 0; i < tries; i++) {
    await page.keyboard.press('Tab');
    await settle(page, 150);
    const focused = (await widgets(page)).find((w) => w.focused && w.kind === 'listitem');
    if (focused) return focused;
  }
  return undefined;
}

// Waits until the screen settles with no box ("tofu") drawn: window.parley.missingGlyphs()
// counts the code points of the last frame the font atlas lacks (a CJK font fetch may be
// on its way).
export async function waitNoTofu(page, timeout = 20000) {
  const end = Date.now() + timeout;
  for (;;) {
    await settle(page);
    const n = await page.evaluate(() => window.parley.missingGlyphs());
    if (n === 0) return;
    if (Date.now() > end) {
      const fonts = await page.evaluate(() => window.parley.fonts());
      throw new Error(`${n} code points drawn without a glyph: ${JSON.stringify(fonts)}`);
    }
    await page.waitForTimeout(200);
  }
}

// Frames drawn so far (the app only draws when something changes).
export const frames = (page) => page.evaluate(() => window.parley.frames());

// Scrolls (wheel, or a finger swipe on touch pages) until the widget is fully on screen;
// widgets scrolled out of a window are not drawn at all, so "not found" scrolls down.
export async function reach(page, pred, what, touch) {
  const viewportH = page.viewportSize().height;
  for (let i = 0; i < 30; i++) {
    await settle(page, 150);
    const w = (await widgets(page)).find(pred);
    if (w && w.y >= 60 && w.y + w.h <= viewportH - 10) return w;
    const down = !w || w.y + w.h > viewportH - 10;
    if (touch) {
      const mid = viewportH / 2;
      await swipe(page, 20, down ? mid + 150 : mid - 150, down ? mid - 150 : mid + 150);
    } else {
      await page.mouse.move(640, 400);
      await page.mouse.wheel(0, down ? 300 : -300);
    }
  }
  return waitWidget(page, pred, what, 1000);
}
