import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from './entities/index.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { createPrivateFile } from './private-files.js';
import { dialectOf, sqliteFileOf, type DatabaseTarget } from '../config/database-target.js';

// Read out of an address without TypeORM (config/database-target.ts); imported from here by most callers.
export { dialectOf, sqliteFileOf, type DatabaseTarget, type Dialect } from '../config/database-target.js';

export const DEFAULT_SQLITE_FILE = 'data/rekindle.sqlite';

/**
 * WAL pages after which a SQLite connection checkpoints on its own commit (SQLite's default is
 * 1,000): every 16,384 pages (64 MB). The stepper's batches rewrite the same pages (index ends,
 * counters, the enrollments they move) batch after batch, and each checkpoint copies them to the
 * database file again and syncs it. Measured on a simulated Double 11 (30,000 customers): ~10% of
 * the wall time, ~4% of the CPU. The CLI, the benches and the tests checkpoint this way; the
 * server's writers leave checkpoints to its checkpointer thread (runtime/wal-checkpointer.ts) and
 * keep this only as a backstop (the engine thread) or for when that thread is gone (the request thread).
 */
export const DEFAULT_WAL_AUTOCHECKPOINT = 16384;

/**
 * Bytes of WAL file kept when the WAL starts over. A WAL file never shrinks by itself: after a
 * backlog (an import, a Double-11 midnight, readers holding old snapshots) it kept its largest
 * size, up to 1 GB and more, for good. With the limit the writer that starts it over truncates it
 * to 128 MB, as much as the server's checkpointer lets it reach in steady use (WAL_RESTART_PAGES),
 * so a busy server does not shrink and regrow it at every restart.
 */
export const WAL_SIZE_LIMIT_BYTES = 128 * 1024 * 1024;

/** `--db` beats `DATABASE_URL`, which beats the embedded default file. */
export function resolveDatabaseTarget(db?: string, env: NodeJS.ProcessEnv = process.env): DatabaseTarget {
  return { url: db ?? env.DATABASE_URL ?? DEFAULT_SQLITE_FILE };
}

/**
 * The database as logs and messages show it: a PostgreSQL URL without its password
 * (postgres://rekindle:***@db:5432/shop). Start-up lines and `rekindle seed` end up in log
 * collectors and terminal scroll-back, where a secret in DATABASE_URL has no business.
 * Everything up to the LAST `@` is hidden: node-postgres accepts a password with a raw `@`, `/`
 * or `#` in it (p@ss@db), and stopping at the first of those printed the rest of the password.
 */
export function shownDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:@/?#]*):.*@/i, '$1:***@');
}

/**
 * What opening the database failed with, naming the database and where its address came from:
 * a wrong address said only "connect ECONNREFUSED 127.0.0.1:1", not which setting to look at.
 */
export function cannotOpenDatabase(target: DatabaseTarget, e: unknown, setting: string): string {
  return `cannot open the database ${shownDatabaseUrl(target.url)} (${setting}): ${e !== null && typeof e === 'object' && 'message' in e ? String(e.message) : String(e)}`;
}

/**
 * Why an address with a scheme Rekindle does not know (`postgress://…`, `mysql://…`) is refused, or
 * null: anything not postgres:// was taken for a SQLite file path, so a typo made a new empty shop in
 * a directory named after the URL, with a new admin, and said nothing. A plain path, `:memory:` and
 * `sqlite:` stay SQLite. The callers that open the database name the setting it came from.
 */
export function unknownDatabaseScheme(url: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1];
  if (scheme === undefined || /^(postgres|postgresql|sqlite)$/i.test(scheme)) return null;
  return `unknown database scheme "${scheme}://"; give postgres://… for PostgreSQL, or a file path (or sqlite://path) for SQLite`;
}

export function dataSourceOptions(target: DatabaseTarget): DataSourceOptions {
  const unknown = unknownDatabaseScheme(target.url);
  if (unknown) throw new Error(unknown);
  const common = { entities: ENTITIES, migrations: MIGRATIONS, migrationsRun: false, synchronize: false, logging: false as const };
  if (dialectOf(target) === 'postgres') {
    return { ...common, type: 'postgres', url: target.url, extra: { max: 10 } };
  }
  const file = sqliteFileOf(target);
  if (file !== null) {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    // A new shop's file is private (0600), and so its -wal and -shm, which SQLite creates alike.
    createPrivateFile(file);
  }
  return {
    ...common,
    type: 'better-sqlite3',
    database: file ?? ':memory:',
    // WAL lets readers (API requests) go on while a batch writes; NORMAL sync is durable at
    // checkpoints and safe against application crashes, which is what restart-safety needs.
    enableWAL: true,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('synchronous = NORMAL');
      db.pragma(`wal_autocheckpoint = ${DEFAULT_WAL_AUTOCHECKPOINT}`);
      db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
      db.pragma('busy_timeout = 5000');
      // 64 MB page cache: the engine's batch writes touch several indexes of large tables.
      db.pragma('cache_size = -65536');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Opens the database and brings its schema up to date with the migrations. */
export async function openDatabase(target: DatabaseTarget): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(target));
  await ds.initialize();
  await migrate(ds);
  return ds;
}
