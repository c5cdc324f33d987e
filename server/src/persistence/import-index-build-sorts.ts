/**
 * The sorts of an import's index builds (import-index-pause.ts: CREATE INDEX of the two by-customer
 * indexes after a large import) done in small sorted runs that SQLite's sorter merges, instead of
 * one sort of every entry in memory (issue 9).
 *
 * Why: an import keeps SQLite's temporary storage in memory (import-temp-store.ts), and with
 * `temp_store = MEMORY` SQLite's sorter never spills: CREATE INDEX sorts all its entries (1M at a
 * 1M-order import) as one in-memory list, a merge sort that chases pointers over ~40 MB and misses
 * the CPU caches at nearly every step (`vdbeSorterSort` 35% of a build's profile). With temporary
 * storage on file and a small cache the sorter sorts runs of the cache's size (fitting the CPU's
 * caches), writes each to a temp file (the OS's page cache; deleted at the statement's end) and merges
 * them: the two builds at 1M take ~1.1 instead of ~2.5–2.7 s of CPU (bench/README.md, thirtieth wave,
 * `w-import14`). The page cache is small for the time too (it sets the sorter's run size): a build
 * reads the table once in rowid order and writes the index's pages once.
 *
 * Both settings are given back before the caller goes on (the import's settle wants its statement
 * journals in memory again). `temp_store` cannot change inside a transaction, and changing it drops
 * the connection's TEMP tables (the import's are re-created wherever used): outside a transaction
 * only; otherwise the builds run as before.
 */
type Pragmas = { pragma(s: string, o?: { simple: boolean }): unknown; inTransaction: boolean };

/** The page cache (KiB) while the indexes are built: the sorter's run size. */
export const INDEX_BUILD_CACHE_KIB = 1024;
const FILE = 1;

/** Runs `build` (the index builds, each in a write transaction of its own) with the sorter spilling in small runs. */
export async function withSpillingSorts<T>(db: Pragmas, build: () => Promise<T>): Promise<T> {
  if (db.inTransaction) return build();
  const tempStore = Number(db.pragma('temp_store', { simple: true }));
  const cacheSize = Number(db.pragma('cache_size', { simple: true }));
  try {
    db.pragma(`temp_store = ${FILE}`);
  } catch {
    // Refused (a statement on a TEMP table still running): built as before.
    return build();
  }
  db.pragma(`cache_size = -${INDEX_BUILD_CACHE_KIB}`);
  try {
    return await build();
  } finally {
    db.pragma(`cache_size = ${cacheSize}`);
    restoreTempStore(db, tempStore);
  }
}

/** temp_store back to its value, now or once the connection is outside a transaction (a shared connection's other request). */
function restoreTempStore(db: Pragmas, value: number): void {
  if (Number(db.pragma('temp_store', { simple: true })) !== FILE) return; // changed meanwhile by someone else: theirs
  if (!db.inTransaction) {
    try {
      db.pragma(`temp_store = ${value}`);
      return;
    } catch {
      // a TEMP statement running: retried below
    }
  }
  setTimeout(() => restoreTempStore(db, value), 50).unref();
}
