import type { DataSource, EntityManager } from 'typeorm';

/**
 * TypeORM's SQLite drivers run every transaction on ONE shared connection: two async
 * transactions that interleave (an import batch and an engine step, say) would silently become
 * nested savepoints of each other. So on SQLite, write transactions are queued one after the
 * other in this process (SQLite allows one writer anyway). PostgreSQL gets real concurrent
 * transactions from its pool.
 */
const queues = new WeakMap<DataSource, Promise<unknown>>();

/**
 * A lock shared by the threads of one process that write to the same SQLite file (the server's
 * request thread and its engine thread, runtime/shared-write-lock.ts). Taken around every write
 * transaction of a data source it is set on, it hands SQLite's one write lock over the moment it
 * is free, instead of SQLite's busy handler polling with sleeps of up to 100 ms.
 */
export interface ProcessWriteLock {
  acquire(): Promise<void> | void;
  release(): void;
  /**
   * The request thread's: whether it is writing heavy groups back to back (batches of events), so
   * that the engine thread holds back its turns for a while (shared-write-lock.ts ENGINE_DEFER_MS).
   */
  pressing?(on: boolean): void;
}

const locks = new WeakMap<DataSource, ProcessWriteLock>();

export function setProcessWriteLock(ds: DataSource, lock: ProcessWriteLock | null): void {
  if (lock) locks.set(ds, lock);
  else locks.delete(ds);
}

/** Whether `ds` takes a process write lock around its write transactions (the server's connections). */
export function hasProcessWriteLock(ds: DataSource): boolean {
  return locks.has(ds);
}

/** Tells the lock of `ds` (if it has one) whether heavy groups are being written back to back (ProcessWriteLock.pressing). */
export function pressWriteLock(ds: DataSource, on: boolean): void {
  locks.get(ds)?.pressing?.(on);
}

async function locked<T>(ds: DataSource, fn: () => T | Promise<T>): Promise<T> {
  const lock = locks.get(ds);
  if (!lock) return fn();
  await lock.acquire();
  try {
    return await fn();
  } finally {
    lock.release();
  }
}

export function isSqlite(ds: DataSource): boolean {
  return ds.options.type === 'better-sqlite3';
}

/**
 * A statement that writes nothing but takes SQLite's write lock: run first in a transaction, it
 * makes the transaction a writer from its start. Another connection (the server's engine thread,
 * a CLI import) may commit between this transaction's first read and its first write; a deferred
 * transaction would then fail at once with SQLITE_BUSY (its snapshot is stale, so the busy
 * timeout does not apply), while one that takes the lock first simply waits its turn.
 */
const TAKE_WRITE_LOCK = 'UPDATE migrations SET id = id WHERE 0';

export async function writeTransaction<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  if (!isSqlite(ds)) return ds.transaction(fn);
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() =>
      locked(ds, () =>
        ds.transaction(async (m) => {
          rawSqlite(ds).prepare(TAKE_WRITE_LOCK).run();
          return fn(m);
        }),
      ),
    );
  queues.set(ds, run.catch(() => undefined));
  return run;
}

/**
 * A write transaction for code that only issues SQL through `m.query` (no entities, no
 * repositories): on SQLite it runs on the raw connection, its statements executed synchronously
 * with cached prepared statements, so between BEGIN and COMMIT the event loop only runs
 * microtasks — no other request is served while this thread holds the write lock, and the lock
 * is held for exactly the time the SQL takes. PostgreSQL: an ordinary transaction.
 */
const statements = new WeakMap<object, Map<string, ReturnType<RawSqlite['prepare']>>>();

export async function statementTransaction<T>(ds: DataSource, fn: (m: EntityManager) => Promise<T>): Promise<T> {
  if (!isSqlite(ds)) return ds.transaction(fn);
  const previous = queues.get(ds) ?? Promise.resolve();
  const run = previous
    .catch(() => undefined)
    .then(() =>
      locked(ds, async () => {
        const db = rawSqlite(ds);
        let cache = statements.get(db);
        if (!cache) statements.set(db, (cache = new Map()));
        if (cache.size > 500) cache.clear(); // IN lists of varying length must not grow it forever
        const prepared = (sql: string) => {
          let st = cache!.get(sql);
          if (!st) cache!.set(sql, (st = db.prepare(sql)));
          return st;
        };
        const m = {
          connection: ds,
          query: async (sql: string, params: unknown[] = []) => {
            const st = prepared(sql);
            const args = params.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
            return (st as { reader?: boolean }).reader ? st.all(...args) : st.run(...args);
          },
        } as unknown as EntityManager;
        prepared('BEGIN IMMEDIATE').run();
        try {
          const out = await fn(m);
          prepared('COMMIT').run();
          return out;
        } catch (e) {
          if (db.inTransaction) prepared('ROLLBACK').run();
          throw e;
        }
      }),
    );
  queues.set(ds, run.catch(() => undefined));
  return run;
}

/** The raw better-sqlite3 handle, for the engine's synchronous batch writes (SQLite only). */
export interface RawSqlite {
  prepare(sql: string): { run(...p: unknown[]): { changes: number; lastInsertRowid: number | bigint }; all(...p: unknown[]): unknown[]; get(...p: unknown[]): unknown };
  transaction<F extends (...a: never[]) => unknown>(fn: F): F & { immediate: F };
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
  const run = previous.catch(() => undefined).then(() =>
    locked(ds, () => {
      const db = rawSqlite(ds);
      // IMMEDIATE: the write lock up front, for the same reason as TAKE_WRITE_LOCK above.
      return db.transaction(() => fn(db)).immediate();
    }),
  );
  queues.set(ds, run.catch(() => undefined));
  return run;
}
