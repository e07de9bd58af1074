// The SMTP sink of the HTTP and browser e-mail tests as a Node helper: starts
// smtp_sink.py (aiosmtpd on 127.0.0.1), lists what it accepted and flips its control
// files (reject-<address>: 550, tempfail-once-<address>: one 451). See smtp_sink.py.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const PYTHON = process.env.PARLEY_PYTHON || '/usr/bin/python3';  // Debian's, with python3-aiosmtpd

export async function startSink() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-smtp-'));
  const proc = spawn(PYTHON, [join(here, 'smtp_sink.py'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  proc.stdout.setEncoding('utf8');
  const port = await new Promise((res, rej) => {
    proc.stdout.on('data', (d) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) res(Number(m[1]));
    });
    proc.on('exit', (code) => rej(new Error(`smtp_sink.py exited ${code} (python3-aiosmtpd installed?)`)));
  });
  const exited = new Promise((res) => proc.on('exit', res));
  return {
    dir, port, url: `smtp://127.0.0.1:${port}`,
    // Accepted messages: [{ n, raw, envelope: { mail_from, rcpt_tos } }], oldest first.
    messages() {
      return readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => Number(f.slice(0, -4)))
        .sort((a, b) => a - b)
        .map((n) => ({ n, raw: readFileSync(join(dir, `${n}.eml`), 'latin1'),
          envelope: JSON.parse(readFileSync(join(dir, `${n}.json`), 'utf8')) }));
    },
    control(name, on = true) {
      const p = join(dir, name);
      if (on) writeFileSync(p, ''); else if (existsSync(p)) unlinkSync(p);
    },
    reject(address, on = true) { this.control(`reject-${address}`, on); },
    tempfailOnce(address) { this.control(`tempfail-once-${address}`); },
    async stop() { proc.kill('SIGTERM'); await exited; rmSync(dir, { recursive: true, force: true }); },
  };
}

// Polls fn() every 50 ms until it returns something truthy; throws after timeoutMs.
export async function waitFor(what, fn, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
