/**
 * A DATABASE_URL with a password (postgres://rekindle:<secret>@db/shop) was printed whole in the
 * server's start-up line and in `rekindle seed`'s report: both end up in log collectors and
 * terminal scroll-back. They now show the URL with the password as ***.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { shownDatabaseUrl } from '../../server/src/persistence/data-source.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { startUpLines } from '../support/server-process.js';

const SECRET = 's3cret-Pw_42';

describe('the database password in what the server and the CLI print', () => {
  let url = '';
  let drop: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    // Local PostgreSQL trusts 127.0.0.1, so any password connects: the one here only has to be printed or not.
    url = t.target.url.replace(/^postgres:\/\/([^@/]+)@/, `postgres://$1:${SECRET}@`);
    expect(url).toContain(SECRET);
  });
  afterAll(async () => drop());

  it('shows a URL without its password, and anything else as it is', () => {
    expect(shownDatabaseUrl('postgres://rekindle:p%40ss@db.internal:5432/shop?sslmode=require')).toBe('postgres://rekindle:***@db.internal:5432/shop?sslmode=require');
    expect(shownDatabaseUrl('postgresql://rekindle@db/shop')).toBe('postgresql://rekindle@db/shop');
    expect(shownDatabaseUrl('data/rekindle.sqlite')).toBe('data/rekindle.sqlite');
    expect(shownDatabaseUrl('sqlite://data/a:b@c.sqlite')).toBe('sqlite://data/a:b@c.sqlite'); // a file name, not a password
  });

  it('hides a password that holds a raw @, / or # (node-postgres takes them), not just its head', () => {
    // Cut at the first @ these printed "postgres://postgres:***@ss@…" and the whole "pa/ss#word".
    expect(shownDatabaseUrl('postgres://postgres:p@ss@127.0.0.1:5432/x')).toBe('postgres://postgres:***@127.0.0.1:5432/x');
    expect(shownDatabaseUrl('postgres://postgres:pa/ss#word@127.0.0.1:5432/x')).toBe('postgres://postgres:***@127.0.0.1:5432/x');
  });

  it('rekindle seed names the database without the password', async () => {
    const r = await cli(['seed', '--db', url, '--customers', '20', '--reset']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(':***@127.0.0.1');
    expect(r.stdout).not.toContain(SECRET);
  }, 60_000);

  it("the server's start-up line names the database without the password", async () => {
    const { out, err } = await startUpLines({ DATABASE_URL: url });
    expect(out).toMatch(/database: postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:5432\//);
    expect(out + err).not.toContain(SECRET);
  }, 90_000);
});
