import type { DataSource } from 'typeorm';
import { OWED, OWED_AGGREGATES, CLEAR_CONTEXT, prepareConnection, READ_CONTEXT, SETTLED_COLUMNS, SETTLE_SLICE_IDS, settledValues } from './owed-facts.js';
import { failWithinBatch, preparedStatement } from './sql-batch.js';
import { isSqlite, rawSqlite, writeTransaction, type RawSqlite } from './write-transaction.js';

/**
 * A large import's settle worked out ahead, on a second connection in a thread of its own, while
 * the importing thread builds the paused by-customer indexes again (issue 9).
 *
 * Why: at a million orders the settle (owed-facts.ts) was the largest part of the import's serial
 * end — its GROUP BY sorts every owed row (~1 µs a row in SQLite's sorter) and its UPDATE unites
 * each customer's category sets in a JS function (~1.5 µs a call, three a customer) — and it ran
 * after the two index builds on the importing thread while the parser thread's core idled. The
 * aggregate and the new fact values are a read: `prepareSettleInto` computes them from one read
 * snapshot of the database into a scratch file of their own (`facts`: a settled fact row per owed
 * customer, with its owed rows' count); `applyPreparedSettle` then only copies those values into
 * `customer_facts` and deletes the owed rows, in the same slices of customer ids as the settle in
 * place, each slice one write transaction.
 *
 * Same values: the aggregate (OWED_AGGREGATES) and the fact expressions (settledValues) are the
 * texts the settle in place runs, over the same rows, with the same JS functions.
 *
 * Exact or not at all: the values hold only while nothing else changed the owed rows or the fact
 * rows since the snapshot. So a slice is applied only if (1) no other connection committed to the
 * database since the importing connection's last chunk (`PRAGMA data_version` unchanged; the
 * index builds are the importing connection's own and change no row), and (2) its DELETE of owed
 * rows removes exactly the rows the snapshot aggregated for it (any fact write settles all owed
 * rows first, so an interfering writer shows here too). Otherwise the slice rolls back and the
 * caller settles what is left in place, as before (settleOwedFacts). Owed customers without a fact
 * row (recomputed in full from their orders by the settle in place) make the whole prepared settle
 * unused. Only for a connection the import has to itself (the CLI's, the benches'): the server's
 * request connection is shared by other requests on the same connection, which data_version does not see.
 */

/** What a settle worked out ahead holds (posted back by the thread that computed it). */
export interface PreparedSettle {
  /** The scratch file holding `facts`. */
  file: string;
  /** The highest owed row id the snapshot held: the rows aggregated are those with id <= this. */
  maxOwedId: number;
  /** Owed customers with a fact row (= rows of `facts`). */
  customers: number;
  /** Owed customers without a fact row: then the prepared settle is not used. */
  missing: number;
}

const SCHEMA = 'rekindle_prepared';
const AGG = 'temp.rekindle_prepared_agg';
const AGG_DDL = `CREATE TEMP TABLE IF NOT EXISTS rekindle_prepared_agg (
  customer_id INTEGER PRIMARY KEY, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11, owed_rows)`;
/** No declared types: the values are kept exactly as computed until they are written into customer_facts. */
const FACTS_DDL = `CREATE TABLE IF NOT EXISTS ${SCHEMA}.facts (customer_id INTEGER PRIMARY KEY, ${SETTLED_COLUMNS}, owed_rows)`;

/**
 * Computes the settle of every owed row from one read snapshot of `db` (the shop's database, opened
 * by a thread of its own) into `file` (created; attached for the time). Returns what it holds.
 */
export function prepareSettleInto(db: RawSqlite, file: string): PreparedSettle {
  prepareConnection(db);
  db.prepare(AGG_DDL).run();
  db.prepare(`ATTACH ? AS ${SCHEMA}`).run(file);
  try {
    // Scratch: no rollback journal file, no fsync at its commit (it is read once by the apply and
    // then deleted; a crash leaves nothing of it that is used). With the defaults its ~30 MB at a
    // 1M import were journaled and synced to disk while the importing thread waited for them.
    // MEMORY, not OFF: better-sqlite3 opens connections in SQLite's defensive mode, which ignores
    // `journal_mode = OFF` without a word.
    db.prepare(`PRAGMA ${SCHEMA}.journal_mode = MEMORY`).get();
    db.prepare(`PRAGMA ${SCHEMA}.synchronous = OFF`).run();
    db.prepare(FACTS_DDL).run();
    // One transaction: the context, the highest id, the aggregate and the fact rows read from one snapshot.
    db.prepare('BEGIN').run();
    try {
      const ctx = db.prepare(READ_CONTEXT).get() as { owed_at: number } | undefined;
      const maxOwedId = Number((db.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${OWED}`).get() as { id: number }).id);
      const owed = db
        .prepare(`INSERT INTO ${AGG} (customer_id, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11, owed_rows)
          SELECT customer_id, ${OWED_AGGREGATES}, count(*) FROM ${OWED} WHERE id <= ? GROUP BY customer_id`)
        .run(maxOwedId).changes;
      // The settled values as the settle in place writes them (its `?`: the context's clock, bound the same way).
      const customers = db
        .prepare(`INSERT INTO ${SCHEMA}.facts (customer_id, ${SETTLED_COLUMNS}, owed_rows)
          SELECT f.customer_id, ${settledValues('f', '?')}, a.owed_rows FROM ${AGG} a JOIN customer_facts f ON f.customer_id = a.customer_id`)
        .run(ctx ? Number(ctx.owed_at) : Date.now()).changes;
      db.prepare(`DELETE FROM ${AGG}`).run();
      db.prepare('COMMIT').run();
      return { file, maxOwedId, customers, missing: owed - customers };
    } finally {
      if ((db as unknown as { inTransaction: boolean }).inTransaction) db.prepare('ROLLBACK').run();
    }
  } finally {
    db.prepare(`DETACH ${SCHEMA}`).run();
  }
}

/** Reads the connection's data_version (changes when another connection commits to the database). */
export function dataVersion(db: RawSqlite): number {
  return Number((db as unknown as { pragma(s: string, o: { simple: boolean }): unknown }).pragma('data_version', { simple: true }));
}

const APPLY = failWithinBatch(`UPDATE customer_facts SET (${SETTLED_COLUMNS}) = (SELECT ${SETTLED_COLUMNS} FROM ${SCHEMA}.facts p WHERE p.customer_id = customer_facts.customer_id)
  WHERE customer_id IN (SELECT customer_id FROM ${SCHEMA}.facts WHERE customer_id >= ? AND customer_id < ?)`);
const SLICE = `SELECT count(*) AS customers, coalesce(sum(owed_rows), 0) AS rows FROM ${SCHEMA}.facts WHERE customer_id >= ? AND customer_id < ?`;
const DELETE_OWED = `DELETE FROM ${OWED} WHERE customer_id >= ? AND customer_id < ? AND id <= ?`;
const RANGE = `SELECT min(customer_id) AS lo, max(customer_id) AS hi FROM ${SCHEMA}.facts`;

class Stale extends Error {}

/**
 * Customers a prepared settle writes in one transaction at most (applyWhole): its UPDATE takes
 * ~2 µs a customer (~0.4 s at 200,000, a 1M-order import's), about a chunk's hold of SQLite's
 * write lock; a larger one goes in slices, so a server's writers never wait much longer than for a chunk.
 */
export const WHOLE_APPLY_MAX_CUSTOMERS = 250_000;

const TOTAL = `SELECT count(*) AS customers, coalesce(sum(owed_rows), 0) AS rows FROM ${SCHEMA}.facts`;
const OWED_NOW = `SELECT count(*) AS rows, coalesce(max(id), 0) AS max_id FROM ${OWED}`;
/** Without a WHERE clause: SQLite's truncate optimization frees the table's pages without writing them again. */
const TRUNCATE_OWED = `DELETE FROM ${OWED}`;

/**
 * The whole prepared settle in one write transaction, when the owed table holds exactly the rows
 * the snapshot aggregated (as many, none with a higher id): the fact rows updated in one pass and
 * the owed rows all dropped by truncation. Why: sliced, each slice's DELETE read the whole owed
 * table (a million rows at a million orders) and rewrote every page still holding another slice's
 * rows, so the four slices of a 1M import wrote the owed table to the WAL about four times over.
 * Returns false (nothing written) when the owed table is not the snapshot's: then the slices decide.
 */
async function applyWhole(ds: DataSource, db: RawSqlite, prepared: PreparedSettle, expectedVersion: number): Promise<boolean> {
  try {
    await writeTransaction(ds, async () => {
      if (dataVersion(db) !== expectedVersion) throw new Stale();
      const want = db.prepare(TOTAL).get() as { customers: number; rows: number };
      const owed = db.prepare(OWED_NOW).get() as { rows: number; max_id: number };
      if (Number(owed.rows) !== Number(want.rows) || Number(owed.max_id) > prepared.maxOwedId) throw new Stale();
      const updated = preparedStatement(db, APPLY).run(-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER).changes;
      if (updated !== Number(want.customers)) throw new Stale();
      preparedStatement(db, TRUNCATE_OWED).run();
      preparedStatement(db, CLEAR_CONTEXT).run();
    });
    return true;
  } catch (e) {
    if (e instanceof Stale) return false;
    throw e;
  }
}

/**
 * Writes a prepared settle into customer_facts and deletes the owed rows it covers, while
 * `expectedVersion` (the importing connection's data_version before the snapshot) still holds:
 * in ONE write transaction when the owed table holds exactly the rows the snapshot counted and
 * the settle is of at most `wholeMaxCustomers` customers (applyWhole), else a slice of customer
 * ids per write transaction, each slice deleting the owed rows it counted.
 * Returns false when it stopped at a slice that no longer holds (rolled back; the earlier slices
 * stay applied, each whole): the caller then settles the rest in place. SQLite only.
 */
export async function applyPreparedSettle(ds: DataSource, prepared: PreparedSettle, expectedVersion: number, sliceIds = SETTLE_SLICE_IDS, wholeMaxCustomers = WHOLE_APPLY_MAX_CUSTOMERS): Promise<boolean> {
  if (!isSqlite(ds) || prepared.missing > 0) return false;
  const db = rawSqlite(ds);
  if (dataVersion(db) !== expectedVersion) return false;
  db.prepare(`ATTACH ? AS ${SCHEMA}`).run(prepared.file);
  try {
    if (prepared.customers <= wholeMaxCustomers && (await applyWhole(ds, db, prepared, expectedVersion))) return true;
    const r = db.prepare(RANGE).get() as { lo: number | null; hi: number | null };
    if (r.lo === null || r.hi === null) return true;
    for (let lo = Number(r.lo); lo <= Number(r.hi); lo += sliceIds) {
      const hi = lo + sliceIds;
      await writeTransaction(ds, async () => {
        if (dataVersion(db) !== expectedVersion) throw new Stale();
        const want = db.prepare(SLICE).get(lo, hi) as { customers: number; rows: number };
        const updated = preparedStatement(db, APPLY).run(lo, hi).changes;
        const deleted = preparedStatement(db, DELETE_OWED).run(lo, hi, prepared.maxOwedId).changes;
        if (updated !== Number(want.customers) || deleted !== Number(want.rows)) throw new Stale();
        preparedStatement(db, CLEAR_CONTEXT).run();
      });
    }
    return true;
  } catch (e) {
    if (e instanceof Stale) return false;
    throw e;
  } finally {
    db.prepare(`DETACH ${SCHEMA}`).run();
  }
}
