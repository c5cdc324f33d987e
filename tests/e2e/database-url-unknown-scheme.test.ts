import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { unknownDatabaseScheme } from '../../server/src/persistence/data-source.js';
import { cli } from '../support/cli.js';

/**
 * A DATABASE_URL (or --db) with a mistyped scheme, `postgress://…`, was taken for a SQLite file
 * path: the server made a directory `postgress:/postgres@127.0.0.1:5432/` holding a new empty shop,
 * created an admin and said it was running. Now it is refused, naming the setting and the scheme,
 * and nothing is created.
 */
const run = promisify(execFile);
const TYPO = 'postgress://postgres@127.0.0.1:5432/rekindle_typo';

describe('a database address with an unknown scheme', () => {
  it('is told apart from a SQLite path or a postgres:// URL', () => {
    expect(unknownDatabaseScheme(TYPO)).toMatch(/unknown database scheme "postgress:\/\/"/);
    expect(unknownDatabaseScheme('mysql://root@db/shop')).toMatch(/"mysql:\/\/"/);
    for (const ok of ['data/rekindle.sqlite', ':memory:', 'sqlite://data/a.sqlite', 'sqlite:data/a.sqlite', 'postgres://u@h/d', 'postgresql://u@h/d']) expect(unknownDatabaseScheme(ok)).toBeNull();
  });

  it('rekindle refuses it, naming --db / $DATABASE_URL, and creates no file', async () => {
    const r = await cli(['--db', TYPO, 'flows', 'list']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('(from --db or $DATABASE_URL): unknown database scheme "postgress://"');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync('postgress:')).toBe(false);
  });

  it('the server stops with one line naming DATABASE_URL, and creates no shop', async () => {
    const main = join(process.cwd(), 'dist/server/src/main.js');
    expect(existsSync(main)).toBe(true); // npm test builds it first
    const r = await run(process.execPath, [main], { env: { ...process.env, PORT: '0', DATABASE_URL: TYPO, REKINDLE_QUIET: '0' }, timeout: 60_000 }).then(
      () => ({ code: 0, stderr: '', stdout: '' }),
      (e: { code: number; stderr: string; stdout: string }) => e,
    );
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe('cannot open the database postgress://postgres@127.0.0.1:5432/rekindle_typo (from DATABASE_URL): unknown database scheme "postgress://"; give postgres://… for PostgreSQL, or a file path (or sqlite://path) for SQLite');
    expect(r.stdout).not.toContain('Rekindle is running');
    expect(existsSync('postgress:')).toBe(false);
  }, 90_000);
});
