/**
 * An operator's typo in a setting stops the server with one line naming the setting, not a stack
 * trace: REKINDLE_STEP_QUEUE=bullmg threw from the module loader (step-queue.module.ts reads it as
 * it loads), before the settings check ran; a wrong DATABASE_URL said only
 * "connect ECONNREFUSED 127.0.0.1:1", not which setting to look at (and never its password); a port in
 * use or a wrong HOST said Node's "listen EADDRINUSE" / "getaddrinfo ENOTFOUND".
 */
import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

function start(env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const db = join(tempDir('rekindle-settings-'), 'shop.sqlite');
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/server/src/main.js')], { env: { ...process.env, PORT: '0', DATABASE_URL: db, REKINDLE_DEMO_CUSTOMERS: '10', NODE_ENV: 'production', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000); // still running: the test fails on the code
    child.on('exit', (code) => (clearTimeout(timer), done({ code, out, err })));
  });
}

describe('npm start with a wrong setting', () => {
  it.each([
    ['REKINDLE_STEP_QUEUE', 'bullmg', 'invalid configuration: REKINDLE_STEP_QUEUE: expected in-process or bullmq (got "bullmg")'],
    ['REKINDLE_QUEUE_BACKEND', 'redsi', 'invalid configuration: REKINDLE_QUEUE_BACKEND: expected redis or postgres (got "redsi")'],
  ])('%s=%s ends at once in one line naming the setting and the value', async (name, value, line) => {
    const r = await start({ [name]: value });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe(line);
    expect(r.out).not.toMatch(/Rekindle is running/);
  }, 90_000);

  it('a DATABASE_URL it cannot reach is named, without its password', async () => {
    const r = await start({ DATABASE_URL: 'postgres://shop:hunter2@127.0.0.1:1/shop' });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('cannot open the database postgres://shop:***@127.0.0.1:1/shop (from DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1');
    expect(r.out + r.err).not.toContain('hunter2');
  }, 90_000);

  it('a PORT another program holds, and a HOST that is no address of this machine, say which setting to change', async () => {
    const holder = createServer();
    await new Promise<void>((ok) => holder.listen(0, '127.0.0.1', ok));
    const port = (holder.address() as { port: number }).port;
    try {
      const r = await start({ PORT: String(port) });
      expect(r.code).toBe(1);
      expect(r.err.trim()).toBe(`cannot listen on 127.0.0.1:${port}: the port is in use by another program; stop it or set PORT to a free one`);
    } finally {
      holder.close();
    }
    const r = await start({ HOST: 'no-such-host.invalid' });
    expect(r.code).toBe(1);
    expect(r.err.trim()).toBe('cannot listen on HOST=no-such-host.invalid: no such address on this machine; set HOST to 127.0.0.1, 0.0.0.0 or one of its own addresses');
  }, 120_000);

  it.each([['flows', 'list'], ['worker'], ['scheduler']])('rekindle %s says the same of a database it cannot reach', async (...args) => {
    const r = await cli([...args, '--db', 'postgres://shop:hunter2@127.0.0.1:1/shop']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: cannot open the database postgres://shop:***@127.0.0.1:1/shop (from --db or $DATABASE_URL): connect ECONNREFUSED 127.0.0.1:1\n');
  });
});
