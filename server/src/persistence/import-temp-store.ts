/**
 * SQLite's temporary storage kept in memory (`PRAGMA temp_store = MEMORY`) while imports run on a
 * connection, restored to the connection's own setting when the last one ends.
 *
 * Why: the order chunk's fact update (`UPDATE customer_facts … FROM (… GROUP BY …)`,
 * order-chunk-sqlite.ts) calls SQL functions (min/max, instr, the set unions), and SQLite gives
 * every multi-row statement that calls a function a statement journal whatever its conflict
 * clause (a function may raise an error, so the statement may have to be undone on its own;
 * `OR FAIL` does not help there). In WAL mode that journal copies every fact page the update
 * touches, and past 64 KB it goes to a temp file: ~81 MB of writes per 300,000 imported orders,
 * written and thrown away inside each chunk. In memory it is a copy into RAM (a chunk's fact pages,
 * a few MB) and no file at all. The statement journal of a transaction is placed when its write
 * transaction begins, so the setting must be in force before the chunk's BEGIN; SQLite refuses
 * to change it inside a transaction (it also drops the connection's TEMP tables, which is why it is
 * not changed per chunk: the staging table is re-created by each chunk anyway).
 *
 * Scoped to imports: on the server's request connection a large sort (an export, a report) would
 * otherwise also be kept in memory instead of spilling to a temp file.
 */
type Pragmas = { pragma(s: string, o?: { simple: boolean }): unknown; inTransaction: boolean };

const MEMORY = 2;
/** Imports running per connection, and the connection's own setting (read as the first starts). */
const sessions = new WeakMap<object, { count: number; own: number }>();
const RETRY_MS = 50;

/** Keeps temp storage in memory until the returned function is called (imports may overlap). */
export function importTempStoreInMemory(db: Pragmas): () => void {
  const s = sessions.get(db) ?? { count: 0, own: MEMORY };
  sessions.set(db, s);
  if (s.count++ === 0) {
    // Not MEMORY now: the connection's own (a previous import's restore has run); MEMORY: either
    // its own or a restore still waiting for a transaction to end, whose value is kept.
    const now = Number(db.pragma('temp_store', { simple: true }));
    if (now !== MEMORY) s.own = now;
    setWhenIdle(db, () => s.count > 0, MEMORY);
  }
  return () => {
    if (--s.count === 0) setWhenIdle(db, () => s.count === 0, s.own);
  };
}

/**
 * Sets temp_store now, or once the connection is outside a transaction (another request's
 * transaction may be open on the shared connection); `wanted` is asked again at that point, so a
 * restore overtaken by a new import (or the reverse) does nothing.
 */
function setWhenIdle(db: Pragmas, wanted: () => boolean, value: number): void {
  if (!wanted()) return;
  if (Number(db.pragma('temp_store', { simple: true })) === value) return;
  if (!db.inTransaction) {
    try {
      db.pragma(`temp_store = ${value}`);
    } catch {
      // Refused (a statement on a TEMP table still running): the import only writes more.
    }
    return;
  }
  setTimeout(() => setWhenIdle(db, wanted, value), RETRY_MS).unref();
}
