import { hostname } from 'node:os';
import type { DataSource, EntityManager } from 'typeorm';
import { isSqlite, rawSqlite, writeTransaction, type RawSqlite } from './write-transaction.js';
import { withSpillingSorts } from './import-index-build-sorts.js';

/**
 * The two by-customer indexes a large SQLite import of new orders leaves out while it writes, and
 * builds again once at its end (issue 9).
 *
 * Why: every imported order adds an entry to `ix_orders_customer_id` and its order event one to
 * `ix_customer_events_customer_type`, both at random places (customers' orders arrive in no
 * customer order), so each chunk dirties index pages all over both B-trees and its commit writes
 * each of them to the WAL. Without them the chunk's rows only append (rowid order) besides the
 * unique keys; CREATE INDEX then sorts all entries once and writes each page once.
 *
 * Safety:
 * - Readers stay correct, only slower: a query by customer reads the whole table while an index
 *   is paused (segment scans, the engine's event reads, a customer's page; docs/data-import.md).
 * - The drop is recorded in `paused_indexes` (the index's own `CREATE INDEX` text from
 *   sqlite_master) in the same transaction as the DROP, and the rebuild deletes the record in the
 *   same transaction as its CREATE: whatever stops an import (a failed chunk rolls the drop back
 *   with it; a crash or kill -9 leaves the record), the index is built again from the record at the
 *   import's end (`finally`) or, failing that, when a process next opens the database and finds
 *   the importing process gone (migrate.ts; a process opening the database DURING an import leaves
 *   them to the import: a build there would hold the write lock for seconds, and the import's
 *   next chunk waits only `busy_timeout` for it).
 * - Anything that needs the indexes inside the import itself — the row-by-row path of changed,
 *   repeated or coupon orders, whose fact recompute reads a customer's orders — restores them
 *   first, in its own chunk's transaction (`restorePausedIndexesIn`), and the import does not
 *   pause them again.
 */
export const PAUSABLE_INDEXES = ['ix_orders_customer_id', 'ix_customer_events_customer_type'] as const;

/**
 * An import pauses the indexes only when it is large, absolutely and against the table: the
 * rebuild sorts every order and event of the shop, the saving is per imported order. Figures:
 * bench/README.md, eighteenth wave ("the by-customer indexes paused").
 */
export const PAUSE_MIN_ROWS = 100_000;
/**
 * …and adds at least this share of the entries the two indexes hold already (orders + events
 * stored): the rebuild sorts all of them (~1.5 µs an entry at 1M on this machine), the pause saves
 * ~8 µs an imported order (its two entries); at 1M stored orders and events, an import of 1M saves
 * ~8 s against a ~6 s rebuild, one of 500k would lose (bench/README.md, eighteenth wave).
 */
export const PAUSE_MIN_SHARE_OF_ENTRIES = 0.5;
/** Bytes a CSV/NDJSON order row takes at least (bench/import's rows: ~85), to estimate rows from a file's size. */
const BYTES_PER_ORDER_ROW = 80;

const PAUSED = 'paused_indexes';

/**
 * Whether an orders import of `fileBytes` bytes into this database should pause the indexes: an
 * estimate of its rows (file size / a small row size, so rather too many than too few) against
 * PAUSE_MIN_ROWS and the entries the indexes hold (the highest order and event ids: one B-tree
 * seek each).
 */
export function worthPausing(db: RawSqlite, fileBytes: number): boolean {
  const rows = fileBytes / BYTES_PER_ORDER_ROW;
  if (rows < PAUSE_MIN_ROWS) return false;
  const r = db.prepare('SELECT (SELECT coalesce(max(id), 0) FROM orders) + (SELECT coalesce(max(id), 0) FROM customer_events) AS n').get() as { n: number };
  return rows >= Number(r.n) * PAUSE_MIN_SHARE_OF_ENTRIES;
}

/**
 * Drops the pausable indexes that exist, recording each definition first (in the caller's write
 * transaction: a rollback brings them back). Returns how many it dropped.
 */
export function pauseIndexesIn(db: RawSqlite): number {
  let dropped = 0;
  for (const name of PAUSABLE_INDEXES) {
    const row = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) as { sql: string | null } | undefined;
    if (!row?.sql) continue;
    db.prepare(`INSERT OR REPLACE INTO ${PAUSED} (name, definition, paused_at, host, pid) VALUES (?, ?, ?, ?, ?)`).run(name, row.sql, Date.now(), hostname(), process.pid);
    db.prepare(`DROP INDEX "${name}"`).run();
    dropped++;
  }
  return dropped;
}

/** Names of the indexes recorded as paused. */
export function pausedIndexes(db: RawSqlite): string[] {
  return (db.prepare(`SELECT name FROM ${PAUSED} ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
}

/** Builds one recorded index again (unless it exists) and deletes its record, in the caller's transaction. */
function restoreOne(db: RawSqlite, name: string): void {
  const row = db.prepare(`SELECT definition FROM ${PAUSED} WHERE name = ?`).get(name) as { definition: string } | undefined;
  if (!row) return;
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?").get(name) !== undefined;
  if (!exists) db.prepare(row.definition).run();
  db.prepare(`DELETE FROM ${PAUSED} WHERE name = ?`).run(name);
}

/** Every recorded index built again, inside the caller's write transaction (a chunk that needs them; migrate). */
export function restorePausedIndexesIn(db: RawSqlite): void {
  for (const name of pausedIndexes(db)) restoreOne(db, name);
}

/** A pause older than this is taken as abandoned whoever recorded it (a pid reused, another host). */
const ABANDONED_AFTER_MS = 24 * 3600_000;

/** Whether the process that recorded a pause is gone (same host: by its pid; else by age). */
function abandoned(r: { paused_at: number; host: string; pid: number }, now: number): boolean {
  if (now - Number(r.paused_at) > ABANDONED_AFTER_MS) return true;
  if (r.host !== hostname()) return false;
  if (Number(r.pid) === process.pid) return false;
  try {
    process.kill(Number(r.pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Recorded indexes whose importing process is gone (killed, crashed) built again, inside the
 * caller's write transaction (migrate.ts, when a process opens the database).
 */
export function restoreAbandonedIndexesIn(db: RawSqlite, now = Date.now()): void {
  // A data source migrated with a list of its own (tests) may not have the table.
  if (db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(PAUSED) === undefined) return;
  const rows = db.prepare(`SELECT name, paused_at, host, pid FROM ${PAUSED} ORDER BY name`).all() as { name: string; paused_at: number; host: string; pid: number }[];
  for (const r of rows) if (abandoned(r, now)) restoreOne(db, r.name);
}

/**
 * Every recorded index built again, each in a write transaction of its own (a server's other
 * writers wait for one index's build at a time, not both), their sorts in small runs
 * (import-index-build-sorts.ts). No-op when none is recorded.
 */
export async function restorePausedIndexes(ds: DataSource): Promise<void> {
  if (!isSqlite(ds)) return;
  const db = rawSqlite(ds);
  const names = pausedIndexes(db);
  if (names.length === 0) return;
  // Their sorts in small runs, merged (import-index-build-sorts.ts).
  await withSpillingSorts(db as unknown as Parameters<typeof withSpillingSorts>[0], async () => {
    for (const name of names) await writeTransaction(ds, async (_m: EntityManager) => restoreOne(db, name));
  });
}
