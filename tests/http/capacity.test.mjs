// Connections and file descriptors: running out of descriptors never stops the server.
import test from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { execFileSync } from 'node:child_process';
import { startServer } from './server.mjs';

// Opens n idle TCP connections; resolves when each is connected or has failed.
// Each entry records whether the server closed it before we did.
async function openIdle(port, n) {
  const conns = [];
  await Promise.all(Array.from({ length: n }, () => new Promise((resolve) => {
    const c = { sock: net.connect(port, '127.0.0.1'), closedByServer: false, ours: false };
    c.sock.on('connect', resolve);
    c.sock.on('error', resolve);
    c.sock.on('close', () => { if (!c.ours) c.closedByServer = true; resolve(); });
    conns.push(c);
  })));
  return conns;
}
function closeAll(conns) {
  for (const c of conns) { c.ours = true; c.sock.destroy(); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The accept queues of the server's listening sockets on a port (ss, iproute2).
function acceptQueues(port) {
  const out = execFileSync('ss', ['-ltnH', `sport = :${port}`], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map((l) => Number(l.trim().split(/\s+/)[1]));
}

// GET /api/v1/me on a fresh connection: the status, or the error's code (never hangs).
async function probe(base) {
  try {
    const r = await fetch(`${base}/api/v1/me`, { signal: AbortSignal.timeout(3000) });
    return { status: r.status, retryAfter: r.headers.get('retry-after'), body: await r.text() };
  } catch (e) {
    return { error: e.cause?.code || e.name };
  }
}
async function answersAgain(base, withinMs) {
  const deadline = Date.now() + withinMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe(base);
    if (last.status === 401) return last;
    await sleep(200);
  }
  return last;
}

test('1,100 idle connections under ulimit -n 1024: capped, then the server answers again', async () => {
  const server = await startServer({ fdLimit: 1024, demo: false });
  try {
    assert.match(server.stderr, /1024 file descriptors, at most \d+ connections/);
    const conns = await openIdle(server.port, 1100);
    await sleep(1500);
    const refused = conns.filter((c) => c.closedByServer).length;
    assert.ok(refused > 0, 'connections over the cap are closed at once, not left to exhaust descriptors');
    assert.match(server.stderr, /connections open: new ones are closed until some end/);
    // While full, a request is refused at once (closed, or 503 with Retry-After), never left hanging.
    const full = await probe(server.base);
    assert.ok(full.error !== 'TimeoutError', `no hang while full: ${JSON.stringify(full)}`);
    if (full.status === 503) {
      assert.equal(full.retryAfter, '5');
      assert.equal(JSON.parse(full.body).error.code, 'busy');
    }
    closeAll(conns);
    const after = await answersAgain(server.base, 5000);
    assert.equal(after.status, 401, `answers again after the connections close: ${JSON.stringify(after)}`);
    assert.ok(server.alive());
  } finally {
    await server.stop();
  }
});

test('out of descriptors for real (cap above the limit): logged once, stuck listening sockets opened anew', async () => {
  const server = await startServer({ fdLimit: 256, demo: false, args: ['--max-connections', '100000'] });
  try {
    const conns = await openIdle(server.port, 400);
    await sleep(2500);  // the watchdog looks every second
    assert.match(server.stderr, /out of file descriptors/);
    assert.equal(server.stderr.match(/out of file descriptors/g).length, 1, 'said once');
    assert.ok(acceptQueues(server.port).some((q) => q > 0), 'connections wait on listening sockets');
    closeAll(conns);
    // Every listening socket takes its waiting connections again: without listening anew,
    // those whose accept failed would keep them (and every new one sent to them) forever.
    let queues;
    for (const t = Date.now(); Date.now() - t < 10000; await sleep(250)) {
      queues = acceptQueues(server.port);
      if (queues.every((q) => q === 0)) break;
    }
    assert.deepEqual(queues.filter((q) => q > 0), [], `accept queues ${queues}\n${server.stderr.slice(-1500)}`);
    // (Usually by the watchdog's "listening anew"; on a busy machine a socket may have had
    // no failed accept at all — what matters is that none keeps its waiting connections.)
    // And it answers, on new connections spread over every listening socket.
    for (let i = 0; i < 20; i++) assert.equal((await probe(server.base)).status, 401, `request ${i}`);
  } finally {
    await server.stop();
  }
});

test('busy: from 90 % of --max-connections a request gets 503 JSON with Retry-After', async () => {
  const server = await startServer({ demo: false, args: ['--max-connections', '20'] });
  try {
    const conns = await openIdle(server.port, 19);
    await sleep(300);
    const r = await probe(server.base);
    assert.equal(r.status, 503, JSON.stringify(r));
    assert.equal(r.retryAfter, '5');
    assert.equal(JSON.parse(r.body).error.code, 'busy');
    closeAll(conns);
    assert.equal((await answersAgain(server.base, 3000)).status, 401);
  } finally {
    await server.stop();
  }
});
