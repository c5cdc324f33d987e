import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { tempDir } from './temp-dirs.js';

/**
 * Database tests run on both SQLite and the local PostgreSQL (scripts/test.sh starts it when it
 * is down). PostgreSQL is never skipped silently: if it cannot be reached the test fails.
 */
export const PG_ADMIN_URL = process.env.REKINDLE_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

export interface TestDatabase {
  target: DatabaseTarget;
  dataSource: DataSource;
  close(): Promise<void>;
}

let counter = 0;

const adminQuery = async (sql: string, params: unknown[] = []) => {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    return await c.query(sql, params);
  } finally {
    await c.end();
  }
};

const pgUrlOf = (database: string) => PG_ADMIN_URL.replace(/\/[^/]*$/, `/${database}`);

/** Whoever builds the template holds this (cluster admin database) advisory lock: two jest workers build it once. */
const TEMPLATE_LOCK_KEY = 7_311_202_612;

let template: Promise<string> | undefined;

/**
 * A PostgreSQL database with every migration applied and nothing else, which each migrated test
 * database is copied from (CREATE DATABASE … TEMPLATE). Running the migrations (each in its own
 * transaction, so ~30 commits and their fsyncs) took 0.8–2.5 s a database on the loaded test
 * machine, copying a migrated one 0.2–0.3 s; the suite opens a couple of hundred. Named by a hash of
 * the migrations' sources and of migrate.ts, so an edited or added migration gets a new template
 * and a stale one is never copied. Nobody connects to the template once it is built, so every copy
 * is exactly what a fresh migration leaves (sequences unused, the migrations table filled).
 */
function migratedTemplate(): Promise<string> {
  template ??= (async () => {
    const hash = createHash('sha256');
    const dir = join(process.cwd(), 'server/src/persistence/migrations');
    for (const f of readdirSync(dir).sort()) hash.update(f).update(readFileSync(join(dir, f)));
    hash.update(readFileSync(join(process.cwd(), 'server/src/persistence/migrate.ts')));
    const name = `rekindle_tpl_${hash.digest('hex').slice(0, 16)}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query('SELECT pg_advisory_lock($1)', [TEMPLATE_LOCK_KEY]);
      if (!(await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount) {
        // Built under another name and renamed when complete: a run killed half-way never leaves
        // a half-migrated template behind under the name that is copied.
        const building = `${name}_${process.pid}`;
        await admin.query(`DROP DATABASE IF EXISTS ${building}`);
        await admin.query(`CREATE DATABASE ${building}`);
        const ds = await openDatabase({ url: pgUrlOf(building) });
        await ds.destroy();
        await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
      }
    } finally {
      await admin.end(); // ends the session, and with it the advisory lock
    }
    return name;
  })();
  template.catch(() => (template = undefined));
  return template;
}

/**
 * A database of its own for a test: an empty one (`migrated: false`, the default: what a test of
 * the migrations or of a first start needs), or on PostgreSQL `migrated: true`, a copy of the
 * migrated template (the same schema and rows openDatabase's migrations make, without running them).
 */
export async function freshTarget(dialect: TestDialect, opts: { migrated?: boolean } = {}): Promise<{ target: DatabaseTarget; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = tempDir('rekindle-test-');
    // The database, its -wal/-shm and any rules folder a test wrote beside it go with the test
    // (drop() removes them at once; a test file that never drops still leaves nothing behind).
    return { target: { url: join(dir, 'shop.sqlite') }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `rekindle_t_${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(opts.migrated ? `CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}` : `CREATE DATABASE ${name}`);
  return {
    target: { url: pgUrlOf(name) },
    drop: async () => void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

export async function openTestDatabase(dialect: TestDialect): Promise<TestDatabase> {
  const { target, drop } = await freshTarget(dialect, { migrated: true });
  const dataSource = await openDatabase(target);
  return {
    target,
    dataSource,
    close: async () => {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}
