import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A server told to hand stepping to workers (REKINDLE_STEP_QUEUE=bullmq) on a SQLite file — or with
 * DATABASE_URL forgotten, which means the default file — started without a word, planning its own
 * SQLite enrollment ids onto a queue that PostgreSQL workers step. It now refuses to start, naming
 * both settings and the database it was given.
 */
const run = promisify(execFile);

describe('the server with REKINDLE_STEP_QUEUE=bullmq', () => {
  const dir = tempDir('rekindle-bullmq-sqlite-');

  it('refuses a SQLite database in one line, and creates no shop', async () => {
    const main = join(process.cwd(), 'dist/server/src/main.js');
    expect(existsSync(main)).toBe(true); // npm test builds it first
    const file = join(dir, 'shop.sqlite');
    const r = await run(process.execPath, [main], { env: { ...process.env, PORT: '0', DATABASE_URL: file, REKINDLE_STEP_QUEUE: 'bullmq', REKINDLE_QUIET: '0' }, timeout: 60_000 }).then(
      (ok) => ({ code: 0, ...ok }),
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(`REKINDLE_STEP_QUEUE=bullmq needs DATABASE_URL=postgres://… (the database the workers share); the database is ${file}. SQLite steps in the server itself: leave REKINDLE_STEP_QUEUE unset`);
    expect(r.stdout).not.toContain('Rekindle is running');
    expect(existsSync(file)).toBe(false);
  }, 90_000);
});
