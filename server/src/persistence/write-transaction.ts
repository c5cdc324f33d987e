import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite drivers run every transaction on ONE shared connection: two async
 * transactions that interleave (an import batch and an engine step, say) would silently become
 * nested savepoints of each other. So on SQLite, write transactions are queued one after the
 * other in this process (SQLite allows one writer anyway). PostgreSQL gets real concurrent
 * transactions from its pool.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

export function isSqlite(ds: DataSource): boolean {
  return ds.options.type === 'better-sqlite3';
}

export async function writeTransaction<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  if (!isSqlite(ds)) return ds.transaction(fn);
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => ds.transaction(fn));
  queues.set(ds, run.catch(() => undefined));
  return run;
}

/** The raw better-sqlite3 handle, for the engine's synchronous batch writes (SQLite only). */
export interface RawSqlite {
  prepare(sql: string): { run(...p: unknown[]): { changes: number; lastInsertRowid: number | bigint }; all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown };
  transaction<F extends (...a: never[]) => unknown>(fn: F): F;
  inTransaction: boolean;
}

export function rawSqlite(ds: DataSource): RawSqlite {
  return (ds.driver as unknown as { databaseConnection: RawSqlite }).databaseConnection;
}

/**
 * Runs a synchronous batch on the raw SQLite handle inside the same write queue, so it never
 * lands inside someone else's open TypeORM transaction.
 */
export async function sqliteWriteBatch<T>(ds: DataSource, fn: (db: RawSqlite) => T): Promise<T> {
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => {
    const db = rawSqlite(ds);
    return db.transaction(() => fn(db))();
  });
  queues.set(ds, run.catch(() => undefined));
  return run;
}
