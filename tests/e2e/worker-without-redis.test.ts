import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshTarget } from '../support/databases.js';
import { unusedPort } from '../support/unused-port.js';

/**
 * `rekindle worker` with its Redis unreachable says so in one line, without the password and without
 * a stack trace (docs/scale-out.md). It printed BullMQ's connection error twice with its stack first:
 * the worker connects as soon as it is made, and its error listener was attached only after an
 * `await`. And the password, holding an @, was cut at the first one ("redis://ss@…").
 */

describe('rekindle worker without Redis', () => {
  let db: { url: string };
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    db = t.target;
    drop = t.drop;
  });
  afterAll(async () => drop?.());

  it('says once that Redis is unreachable, without the password or a stack trace, and keeps trying', async () => {
    const port = await unusedPort();
    const child = spawn(process.execPath, ['bin/rekindle.js', '--db', db.url, 'worker'], {
      env: { ...process.env, REDIS_URL: `redis://:p@ss-w0rd@127.0.0.1:${port}`, REKINDLE_QUEUE_PREFIX: `rekindle-test-worker-noredis-${process.pid}` },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "(retrying)" line within 30 s; stderr: ${err}`)), 30_000);
        child.stderr.on('data', () => err.includes('(retrying)\n') && (clearTimeout(timer), resolve()));
        child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`exited ${code}: ${err}`))));
      });
      // A moment more for anything printed late (the stack traces came around the line).
      await new Promise((r) => setTimeout(r, 2_000));
      expect(child.exitCode).toBeNull(); // still running, reconnecting
    } finally {
      const ended = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await ended;
    }
    expect(err.trim().split('\n')).toEqual([`worker: Redis at redis://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port} (retrying)`]);
    expect(err).not.toContain('ss-w0rd');
  }, 60_000);
});
