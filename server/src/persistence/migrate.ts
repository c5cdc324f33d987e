import type { DataSource } from 'typeorm';
import { restoreAbandonedIndexesIn } from './import-index-pause.js';
import { rawSqlite } from './write-transaction.js';

/**
 * Brings the schema up to date when several processes open the same database at once: the
 * server, `rekindle worker`s and a `rekindle scheduler` started together on a fresh (or just
 * upgraded) PostgreSQL, or a CLI command beside `npm start` on SQLite. TypeORM reads the pending
 * migrations and then runs them with no lock, so two processes both ran the first pending
 * migration and all but one died at start ("table customers already exists",
 * tests/db/migrations-concurrent.test.ts). Each dialect's own lock makes them take turns; whoever
 * comes second finds nothing pending.
 */
export async function migrate(ds: DataSource): Promise<void> {
  if (ds.options.type === 'postgres') return migrateHoldingAdvisoryLock(ds);
  return migrateInOneWriteTransaction(ds);
}

/** Any constant: the key of the session-level advisory lock the migrating process holds. */
const MIGRATION_LOCK_KEY = 7_311_202_611;

/**
 * PostgreSQL: a session-level advisory lock on a connection of its own, held while TypeORM
 * migrates on another (each migration in its own transaction, as before).
 */
async function migrateHoldingAdvisoryLock(ds: DataSource): Promise<void> {
  const lock = ds.createQueryRunner();
  await lock.connect();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await ds.runMigrations({ transaction: 'each' });
    } finally {
      await lock.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await lock.release();
  }
}

/**
 * SQLite: the write lock, taken (BEGIN IMMEDIATE) before TypeORM reads what is pending, on the
 * one connection TypeORM migrates on; every pending migration then runs inside that transaction,
 * all or none. Another process waits at its own BEGIN IMMEDIATE (busy_timeout, raised here: a
 * migration of a large shop can take minutes). Foreign keys are off while migrations run, as
 * TypeORM wants them (it switches them off per migration, which SQLite ignores inside a
 * transaction: a table it rebuilds would otherwise cascade or fail), and checked before COMMIT.
 * The same transaction builds again any index an import paused and left behind (it was killed).
 */
async function migrateInOneWriteTransaction(ds: DataSource): Promise<void> {
  const db = rawSqlite(ds) as ReturnType<typeof rawSqlite> & { exec(sql: string): void; pragma(sql: string, o?: { simple: boolean }): unknown };
  const timeout = db.pragma('busy_timeout', { simple: true });
  const foreignKeys = db.pragma('foreign_keys', { simple: true });
  db.pragma('foreign_keys = OFF');
  try {
    db.pragma('busy_timeout = 600000');
    try {
      db.exec('BEGIN IMMEDIATE');
    } finally {
      db.pragma(`busy_timeout = ${Number(timeout)}`);
    }
    try {
      await ds.runMigrations({ transaction: 'none' });
      // Indexes an import dropped and could not build again (it was killed): built now, in this
      // transaction, before this process reads (import-index-pause.ts).
      restoreAbandonedIndexesIn(db);
      const broken = db.pragma('foreign_key_check') as { table: string; parent: string }[];
      if (broken.length) throw new Error(`migrations left ${broken.length} row(s) whose foreign key finds no parent (first: ${broken[0].table} → ${broken[0].parent})`);
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
  } finally {
    db.pragma(`foreign_keys = ${Number(foreignKeys) ? 'ON' : 'OFF'}`);
  }
}
