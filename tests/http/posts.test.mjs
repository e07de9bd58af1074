// Posts: a post answers once it is durable; its notification mails are queued by a
// background thread afterwards. A crash between the two loses no mail and a restart
// sends none twice: the server is killed (SIGKILL) right after a burst of concurrent
// posts, the state it may have died in is made certain (half of the burst's mails
// removed from the outbox, the queue's cursor put back before the burst), and the
// restarted server must give every post its mails exactly once.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { startServer, signIn, getJson, postMessage, newKey, stopCleanly, runSql, notifyCursorFile } from './server.mjs';

const servers = [];
after(async () => {
  for (const s of servers.reverse()) await s.stop();
});

async function signedIn(server) {
  const c = {};
  for (const [k, name] of Object.entries({ M: 'Marta Iglesias', S: 'Stefan Müller' })) {
    c[k] = (await signIn(server.login(name))).cookie;
    assert.ok(c[k], name);
  }
  return c;
}

// message id → its deliveries' recipient ids, as its author sees them (only the author does).
async function recipientsOf(server, cookie, rid, ids) {
  const me = (await getJson(server, cookie, '/me')).json;
  const d = (await getJson(server, cookie, `/requests/${rid}`)).json;
  const out = new Map();
  for (const m of d.messages) {
    if (ids.has(m.id) && m.author_id === me.id) out.set(m.id, (m.deliveries || []).map((x) => x.recipient_id).sort((a, b) => a - b));
  }
  return out;
}

test('posts: a crash between the posts and their mails loses none and doubles none', async () => {
  const a = await startServer();
  servers.push(a);
  let u = await signedIn(a);
  const rid = (await getJson(a, u.S, '/requests')).json.requests[0].id;
  const before = (await getJson(a, u.M, '/requests')).json.cursor;

  // A burst of concurrent posts by both sides, then SIGKILL as soon as all are answered.
  const posts = await Promise.all(Array.from({ length: 20 }, (_, i) =>
    postMessage(a, i % 2 ? u.M : u.S, rid, { body: `Burst post ${i}` }, newKey())));
  for (const p of posts) assert.equal(p.status, 201, p.text);
  a.proc.kill('SIGKILL');
  await new Promise((r) => a.proc.once('exit', r));
  const ids = posts.map((p) => p.json.id);
  const authorOf = new Map(posts.map((p) => [p.json.id, p.json.author_id]));

  // Whatever the queue had done: the mails of every other post are gone, the cursor is behind.
  const gone = ids.filter((_, i) => i % 2 === 0);
  runSql(a, `DELETE FROM outbox WHERE message_ref IN (${gone.join(',')})`);
  writeFileSync(notifyCursorFile(a), `${before}\n`);

  const b = await startServer({ dataDir: a.dataDir });  // its database and its cursor
  servers.push(b);
  u = await signedIn(b);
  assert.match(b.stderr, /notifications of \d+ posts queued again after a restart/);
  // A post after the restart shows what each author's posts get.
  const control = {};
  for (const k of ['M', 'S']) {
    const r = await postMessage(b, u[k], rid, { body: `After the restart (${k})` }, newKey());
    assert.equal(r.status, 201, r.text);
    control[k] = r.json.id;
  }
  await getJson(b, u.M, '/dev/mailbox');  // returns once every post's mails are in the outbox
  const all = new Set([...ids, control.M, control.S]);
  const seen = new Map([...await recipientsOf(b, u.M, rid, all), ...await recipientsOf(b, u.S, rid, all)]);
  const expected = { M: seen.get(control.M), S: seen.get(control.S) };
  assert.ok(expected.M && expected.M.length >= 2, `Marta's post is mailed to the buyer and to her: ${expected.M}`);
  assert.ok(expected.S && expected.S.length >= 2, `Stefan's post is mailed to the seller and to him: ${expected.S}`);
  const marta = authorOf.get(ids[1]);
  for (const id of ids) {
    const want = authorOf.get(id) === marta ? expected.M : expected.S;
    assert.deepEqual(seen.get(id), want, `message ${id}: each recipient once`);
  }
  await stopCleanly(servers.pop());
});
