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

const adminQuery = async (sql: string, params: unknown[] = [], ...more: [string, unknown[]][]) => {
  const c = new pg.Client({ connectionString: PG_ADMIN_URL });
  await c.connect();
  try {
    const first = await c.query(sql, params);
    for (const [s, p] of more) await c.query(s, p);
    return first;
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
  const run = testRunStamp();
  const name = run ? `${TEST_DATABASE_PREFIX}${run}_${process.pid}_${(Date.now() - Number(run)).toString(36)}_${counter++}` : `${TEST_DATABASE_PREFIX}${process.pid}_${Date.now()}_${counter++}`;
  await adminQuery(opts.migrated ? `CREATE DATABASE ${name} TEMPLATE ${await migratedTemplate()}` : `CREATE DATABASE ${name}`);
  return {
    target: { url: pgUrlOf(name) },
    drop: async () => {
      if (!run) return void (await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
      // Closed now, dropped at the end of the run (see testRunStamp): nobody can connect to it
      // again, and whoever still is (a server or CLI the test started) is cut off, as the drop's
      // FORCE did.
      await adminQuery(`ALTER DATABASE ${name} WITH ALLOW_CONNECTIONS false`, [], ['SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]]);
    },
  };
}

/** Every PostgreSQL test database's name starts with this (tests/support/test-databases-run.mjs drops them). */
export const TEST_DATABASE_PREFIX = 'rekindle_t_';

/**
 * The run's stamp (its start in ms), which jest's global set-up hands the workers
 * (tests/support/test-databases-run.mjs). With it a PostgreSQL test database is named after the
 * run and dropped by the global tear-down, all of the run's at once, instead of by the test that
 * made it: PostgreSQL 15's DROP DATABASE requests a checkpoint and waits for it (every dirty page
 * of the cluster written and synced), and a test waited 0.3-3.7 s for each of its databases while
 * the other jest worker was writing (twenty-fourth wave, w-suite5). Without the stamp (jest run
 * with another configuration) a database is dropped at once, as before.
 */
function testRunStamp(): string | undefined {
  const s = process.env.REKINDLE_TEST_RUN;
  return s && /^\d{13}$/.test(s) ? s : undefined;
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
