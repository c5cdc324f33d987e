import type { DataSource } from 'typeorm';
import { OWED, OWED_AGGREGATES, CLEAR_CONTEXT, MAX_CUSTOMER_ID, MIN_CUSTOMER_ID, prepareConnection, READ_CONTEXT, SETTLED_COLUMNS, SETTLE_SLICE_IDS, settledValues } from './owed-facts-sql.js';
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
 * aggregate and the new fact values are a read. `aggregateOwedInto` sorts and aggregates every
 * owed row from one read snapshot into a scratch file (`agg`), on the settle thread while the
 * importing thread builds the indexes; the new fact values are then worked out in two halves at
 * once (`prepareFactsInto`, each into a scratch file of its own): the settle thread's below the
 * aggregate's middle customer, the importing thread's — done with its builds and otherwise idle —
 * from there on. (With the settle thread alone working out every fact row, the importing thread
 * waited ~1 s for it at a million orders: the JS set unions are half of that step.)
 * `applyPreparedSettle` then only copies those values into `customer_facts` and deletes the owed
 * rows, in one write transaction, or in the same slices of customer ids as the settle in place.
 *
 * Same values: the aggregate (OWED_AGGREGATES) and the fact expressions (settledValues) are the
 * texts the settle in place runs, over the same rows, with the same JS functions.
 *
 * Exact or not at all: the values hold only while nothing else changed the owed rows or the fact
 * rows since the aggregate's snapshot (the halves read the fact rows a moment later: the same rows,
 * as the checks below make sure). So a slice is applied only if (1) no other connection committed to the
 * database since the importing connection's last chunk (`PRAGMA data_version` unchanged; the
 * index builds are the importing connection's own and change no row), and (2) its DELETE of owed
 * rows removes exactly the rows the snapshot aggregated for it (any fact write settles all owed
 * rows first, so an interfering writer shows here too). Otherwise the slice rolls back and the
 * caller settles what is left in place, as before (settleOwedFacts). Owed customers without a fact
 * row (recomputed in full from their orders by the settle in place) make the whole prepared settle
 * unused. Only for a connection the import has to itself (the CLI's, the benches'): the server's
 * request connection is shared by other requests on the same connection, which data_version does not see.
 */

/**
 * The owed rows aggregated per customer from one read snapshot (`aggregateOwedInto`), in a scratch
 * file of their own (`agg`: the aggregate's columns and each customer's owed rows' count).
 */
export interface OwedAggregate {
  /** The scratch file holding `agg`. */
  file: string;
  /** The highest owed row id the snapshot held: the rows aggregated are those with id <= this. */
  maxOwedId: number;
  /** Owed customers (= rows of `agg`). */
  customers: number;
  /** The customer id that halves `agg`: one part of the fact values is worked out below it, the other from it on (prepareFactsInto). */
  split: number;
  /** The owed rows' clock (their context's `owed_at`): the settled rows' updated_at. */
  owedAt: number;
}

/** Settled fact rows of the owed customers lo <= id < hi that have a fact row, in a scratch file (`facts`). */
export interface PreparedPart {
  file: string;
  lo: number;
  hi: number;
  /** Rows of its `facts`. */
  customers: number;
}

/** What a settle worked out ahead holds: the parts together cover every owed customer with a fact row. */
export interface PreparedSettle {
  parts: PreparedPart[];
  /** The highest owed row id the snapshot held: the rows aggregated are those with id <= this. */
  maxOwedId: number;
  /** Owed customers with a fact row (= rows of the parts' `facts`). */
  customers: number;
  /** Owed customers without a fact row: then the prepared settle is not used. */
  missing: number;
}

const AGG_SCHEMA = 'rekindle_owed_agg';
const SCHEMA = 'rekindle_prepared';
const AGG_DDL = `CREATE TABLE IF NOT EXISTS ${AGG_SCHEMA}.agg (
  customer_id INTEGER PRIMARY KEY, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11, owed_rows)`;
/** No declared types: the values are kept exactly as computed until they are written into customer_facts. */
const FACTS_DDL = `CREATE TABLE IF NOT EXISTS ${SCHEMA}.facts (customer_id INTEGER PRIMARY KEY, ${SETTLED_COLUMNS}, owed_rows)`;

/**
 * Scratch: no rollback journal file, no fsync at its commit (it is read once by the apply and then
 * deleted; a crash leaves nothing of it that is used). With the defaults its ~30 MB at a 1M import
 * were journaled and synced to disk while the importing thread waited for them. MEMORY, not OFF:
 * better-sqlite3 opens connections in SQLite's defensive mode, which ignores `journal_mode = OFF`
 * without a word.
 */
function attachScratch(db: RawSqlite, file: string, schema: string): void {
  db.prepare(`ATTACH ? AS ${schema}`).run(file);
  db.prepare(`PRAGMA ${schema}.journal_mode = MEMORY`).get();
  db.prepare(`PRAGMA ${schema}.synchronous = OFF`).run();
}

/**
 * Aggregates every owed row of `db` (the shop's database, on a connection of the caller's thread)
 * per customer, from one read snapshot, into `file` (created; attached for the time).
 */
export function aggregateOwedInto(db: RawSqlite, file: string): OwedAggregate {
  prepareConnection(db);
  attachScratch(db, file, AGG_SCHEMA);
  try {
    db.prepare(AGG_DDL).run();
    // One transaction: the context, the highest id and the aggregate read from one snapshot.
    db.prepare('BEGIN').run();
    try {
      const ctx = db.prepare(READ_CONTEXT).get() as { owed_at: number } | undefined;
      const maxOwedId = Number((db.prepare(`SELECT coalesce(max(id), 0) AS id FROM ${OWED}`).get() as { id: number }).id);
      const customers = db
        .prepare(`INSERT INTO ${AGG_SCHEMA}.agg (customer_id, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11, owed_rows)
          SELECT customer_id, ${OWED_AGGREGATES}, count(*) FROM ${OWED} WHERE id <= ? GROUP BY customer_id`)
        .run(maxOwedId).changes;
      const middle = db.prepare(`SELECT customer_id AS id FROM ${AGG_SCHEMA}.agg ORDER BY customer_id LIMIT 1 OFFSET ?`).get(Math.floor(customers / 2)) as { id: number } | undefined;
      db.prepare('COMMIT').run();
      return { file, maxOwedId, customers, split: middle ? Number(middle.id) : MAX_CUSTOMER_ID, owedAt: ctx ? Number(ctx.owed_at) : Date.now() };
    } finally {
      if ((db as unknown as { inTransaction: boolean }).inTransaction) db.prepare('ROLLBACK').run();
    }
  } finally {
    db.prepare(`DETACH ${AGG_SCHEMA}`).run();
  }
}

/**
 * Works out the settled fact rows of the aggregated customers lo <= id < hi into `file` (created;
 * attached for the time): the values the settle in place writes (settledValues over the same
 * aggregate, with the same JS functions). Two connections may each work out a part at once (the
 * settle thread one, the importing thread, idle after its index builds, the other), each into a
 * file of its own. The fact rows are read as they are now: the apply checks that nothing changed
 * them since the aggregate's snapshot (applyPreparedSettle).
 */
export function prepareFactsInto(db: RawSqlite, agg: OwedAggregate, file: string, lo: number, hi: number): PreparedPart {
  prepareConnection(db);
  db.prepare(`ATTACH ? AS ${AGG_SCHEMA}`).run(agg.file);
  try {
    attachScratch(db, file, SCHEMA);
    try {
      db.prepare(FACTS_DDL).run();
      const customers = db
        .prepare(`INSERT INTO ${SCHEMA}.facts (customer_id, ${SETTLED_COLUMNS}, owed_rows)
          SELECT f.customer_id, ${settledValues('f', '?')}, a.owed_rows FROM ${AGG_SCHEMA}.agg a JOIN customer_facts f ON f.customer_id = a.customer_id
          WHERE a.customer_id >= ? AND a.customer_id < ?`)
        .run(agg.owedAt, lo, hi).changes;
      return { file, lo, hi, customers };
    } finally {
      db.prepare(`DETACH ${SCHEMA}`).run();
    }
  } finally {
    db.prepare(`DETACH ${AGG_SCHEMA}`).run();
  }
}

/** The parts worked out for an aggregate, as one prepared settle (missing: the aggregate's customers no part holds). */
export function preparedFrom(agg: OwedAggregate, parts: PreparedPart[]): PreparedSettle {
  const customers = parts.reduce((n, p) => n + p.customers, 0);
  return { parts, maxOwedId: agg.maxOwedId, customers, missing: agg.customers - customers };
}

/** Reads the connection's data_version (changes when another connection commits to the database). */
export function dataVersion(db: RawSqlite): number {
  return Number((db as unknown as { pragma(s: string, o: { simple: boolean }): unknown }).pragma('data_version', { simple: true }));
}

/** The schema a prepared settle's part `i` is attached as for the apply. */
const partSchema = (i: number) => `${SCHEMA}${i}`;
const APPLY = (schema: string) =>
  failWithinBatch(`UPDATE customer_facts SET (${SETTLED_COLUMNS}) = (SELECT ${SETTLED_COLUMNS} FROM ${schema}.facts p WHERE p.customer_id = customer_facts.customer_id)
  WHERE customer_id IN (SELECT customer_id FROM ${schema}.facts WHERE customer_id >= ? AND customer_id < ?)`);
const SLICE = (schema: string) => `SELECT count(*) AS customers, coalesce(sum(owed_rows), 0) AS rows FROM ${schema}.facts WHERE customer_id >= ? AND customer_id < ?`;
const DELETE_OWED = `DELETE FROM ${OWED} WHERE customer_id >= ? AND customer_id < ? AND id <= ?`;
const RANGE = (schema: string) => `SELECT min(customer_id) AS lo, max(customer_id) AS hi FROM ${schema}.facts`;

class Stale extends Error {}

/**
 * Customers a prepared settle writes in one transaction at most (applyWhole): its UPDATE takes
 * ~2 µs a customer (~0.4 s at 200,000, a 1M-order import's), about a chunk's hold of SQLite's
 * write lock; a larger one goes in slices, so a server's writers never wait much longer than for a chunk.
 */
export const WHOLE_APPLY_MAX_CUSTOMERS = 250_000;

const OWED_NOW = `SELECT count(*) AS rows, coalesce(max(id), 0) AS max_id FROM ${OWED}`;
/** Without a WHERE clause: SQLite's truncate optimization frees the table's pages without writing them again. */
const TRUNCATE_OWED = `DELETE FROM ${OWED}`;

/** The prepared customers and their owed rows' count in lo <= id < hi, over every part (each attached as partSchema(i)). */
function preparedIn(db: RawSqlite, parts: number, lo: number, hi: number): { customers: number; rows: number } {
  let customers = 0;
  let rows = 0;
  for (let i = 0; i < parts; i++) {
    const r = preparedStatement(db, SLICE(partSchema(i))).get(lo, hi) as { customers: number; rows: number };
    customers += Number(r.customers);
    rows += Number(r.rows);
  }
  return { customers, rows };
}

/** Every part's fact rows of lo <= id < hi written into customer_facts; the rows updated. */
function applyParts(db: RawSqlite, parts: number, lo: number, hi: number): number {
  let updated = 0;
  for (let i = 0; i < parts; i++) updated += preparedStatement(db, APPLY(partSchema(i))).run(lo, hi).changes;
  return updated;
}

/**
 * The whole prepared settle in one write transaction, when the owed table holds exactly the rows
 * the snapshot aggregated (as many, none with a higher id): the fact rows updated in one pass and
 * the owed rows all dropped by truncation. Why: sliced, each slice's DELETE read the whole owed
 * table (a million rows at a million orders) and rewrote every page still holding another slice's
 * rows, so the four slices of a 1M import wrote the owed table to the WAL about four times over.
 * Returns false (nothing written) when the owed table is not the snapshot's: then the slices decide.
 */
async function applyWhole(ds: DataSource, db: RawSqlite, prepared: PreparedSettle, expectedVersion: number): Promise<boolean> {
  const parts = prepared.parts.length;
  try {
    await writeTransaction(ds, async () => {
      if (dataVersion(db) !== expectedVersion) throw new Stale();
      const want = preparedIn(db, parts, MIN_CUSTOMER_ID, MAX_CUSTOMER_ID);
      const owed = db.prepare(OWED_NOW).get() as { rows: number; max_id: number };
      if (Number(owed.rows) !== want.rows || Number(owed.max_id) > prepared.maxOwedId) throw new Stale();
      const updated = applyParts(db, parts, MIN_CUSTOMER_ID, MAX_CUSTOMER_ID);
      if (updated !== want.customers) throw new Stale();
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
  const parts = prepared.parts.length;
  let attached = 0;
  try {
    for (; attached < parts; attached++) db.prepare(`ATTACH ? AS ${partSchema(attached)}`).run(prepared.parts[attached].file);
    if (prepared.customers <= wholeMaxCustomers && (await applyWhole(ds, db, prepared, expectedVersion))) return true;
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = 0; i < parts; i++) {
      const r = db.prepare(RANGE(partSchema(i))).get() as { lo: number | null; hi: number | null };
      if (r.lo !== null) lo = Math.min(lo, Number(r.lo));
      if (r.hi !== null) hi = Math.max(hi, Number(r.hi));
    }
    for (let from = lo; from <= hi; from += sliceIds) {
      const to = from + sliceIds;
      await writeTransaction(ds, async () => {
        if (dataVersion(db) !== expectedVersion) throw new Stale();
        const want = preparedIn(db, parts, from, to);
        const updated = applyParts(db, parts, from, to);
        const deleted = preparedStatement(db, DELETE_OWED).run(from, to, prepared.maxOwedId).changes;
        if (updated !== want.customers || deleted !== want.rows) throw new Stale();
        preparedStatement(db, CLEAR_CONTEXT).run();
      });
    }
    return true;
  } catch (e) {
    if (e instanceof Stale) return false;
    throw e;
  } finally {
    for (let i = 0; i < attached; i++) db.prepare(`DETACH ${partSchema(i)}`).run();
  }
}
