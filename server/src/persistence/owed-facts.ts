import type { DataSource, EntityManager } from 'typeorm';
import { decodeList } from './columns.js';
import { refreshFacts } from './fact-store.js';
import { failWithinBatch, preparedStatement } from './sql-batch.js';
import { isSqlite, rawSqlite, writeTransaction, type RawSqlite } from './write-transaction.js';

/**
 * Customer facts an import owes (issue 9). The SQLite bulk import (order-chunk-sqlite.ts) no
 * longer adds each chunk's orders to `customer_facts`: a customer's ~5 orders are spread over
 * the whole file, so per chunk its fact row was rewritten ~5 times, at random places of the fact
 * table, and every chunk's commit wrote those pages again. Instead each chunk APPENDS its orders'
 * fact contributions (the staged values: kind, amount, the instant that counts, categories,
 * season keys, Double-11 year) to `customer_facts_owed`, in the same transaction as the orders,
 * so a committed chunk always carries what its facts are owed; and `settleOwedFactsIn` adds all
 * owed rows to the fact rows at once: one GROUP BY, one pass over the fact rows in customer
 * order (each row written once), then the owed rows deleted — in one transaction.
 *
 * Who settles: the import at its end (importer.ts), and before it reads or writes facts every
 * reader and writer of `customer_facts`: `refreshFacts` (every fact write that recomputes:
 * customer upserts, changed orders, recycle bin), segment scans, the engine's fact reads and the
 * policy's, the customer view, the export, the analysis, the simulated delivery. So an import
 * killed between chunks leaves owed rows that the next reader settles; no reader ever combines
 * committed orders with facts that do not count them. PostgreSQL: nothing writes owed rows (its
 * import adds facts per chunk), so `settleOwedFacts` returns at once there.
 *
 * The sums are the same as a chunk's merge was (the same expressions over the same staged values,
 * now over the whole import at once), so a fact row still equals a full recompute
 * (tests/db/import-facts-differential.test.ts).
 */

export const OWED = 'customer_facts_owed';
const CONTEXT = 'customer_facts_owed_context';
const ANY_OWED = `SELECT 1 AS owed FROM ${OWED} LIMIT 1`;
export const READ_CONTEXT = `SELECT timezone, owed_at FROM ${CONTEXT} WHERE id = 1`;
/** Written by each chunk that appends owed rows: the import's zone and clock (the settled rows' updated_at). */
export const WRITE_CONTEXT = `INSERT INTO ${CONTEXT} (id, timezone, owed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET timezone = excluded.timezone, owed_at = max(owed_at, excluded.owed_at)`;
const CLEAR_OWED = `DELETE FROM ${OWED} WHERE customer_id >= ? AND customer_id < ?`;
const CLEAR_ALL_OWED = `DELETE FROM ${OWED}`;
/** The context goes with the last owed row. */
export const CLEAR_CONTEXT = `DELETE FROM ${CONTEXT} WHERE NOT EXISTS (SELECT 1 FROM ${OWED})`;
const OWED_RANGE = `SELECT min(customer_id) AS lo, max(customer_id) AS hi FROM ${OWED}`;

/**
 * A stored set united with the owed values; the JS function only when there may be something
 * new: no values, or one value already in the stored text, keep the text as is (calling into JS
 * with the stored text, ~1 KB for category seasons, was a quarter of the fact update); one value
 * into an empty set (a customer's first purchase: all of them when a shop's history is imported)
 * is that value's set.
 */
const setUnion = (stored: string, added: string) =>
  `CASE WHEN ${added} IS NULL THEN ${stored} WHEN instr(${added}, '|') = 0 AND instr(${stored}, '|' || ${added} || '|') > 0 THEN ${stored}
    WHEN ${stored} = '' AND ${added} <> '' AND instr(${added}, '|') = 0 THEN '|' || ${added} || '|' ELSE rekindle_set_union(${stored}, ${added}) END`;
/**
 * The owed contributions per customer, aggregated once into a TEMP table keyed by customer id
 * (columns without a declared type: no affinity, the aggregates' values are kept as computed).
 * Why not `UPDATE … FROM (SELECT … GROUP BY …)`: SQLite runs an UPDATE … FROM in two passes,
 * materializing every NEW fact row in an ephemeral table before writing it; an UPDATE whose
 * values come from a correlated row-value subquery over this keyed table is one pass (each fact
 * row is sought by rowid, its owed row by primary key, and written at once).
 */
const AGG = 'temp.rekindle_import_facts';
const AGG_DDL = `CREATE TEMP TABLE IF NOT EXISTS rekindle_import_facts (
  customer_id INTEGER PRIMARY KEY, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11)`;
const AGG_CLEAR = `DELETE FROM ${AGG}`;
/** A customer's owed rows aggregated, in AGG's column order after customer_id (GROUP BY customer_id). */
export const OWED_AGGREGATES = `sum(kind = 2),
    total(CASE WHEN kind = 2 THEN amount END),
    min(CASE WHEN kind = 2 THEN fact_at END),
    max(CASE WHEN kind = 2 THEN fact_at END),
    sum(kind = 1),
    max(CASE WHEN kind = 1 THEN fact_at END),
    group_concat(categories, '|'),
    group_concat(category_seasons, '|'),
    group_concat(double11_year, '|'),
    count(double11_year)`;
const AGG_INSERT = `INSERT INTO ${AGG} (customer_id, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11)
  SELECT customer_id, ${OWED_AGGREGATES}
  FROM ${OWED} WHERE customer_id >= ? AND customer_id < ? GROUP BY customer_id`;
/** The columns a settle writes, in the order of `settledValues`. */
export const SETTLED_COLUMNS = `order_count, total_spent, first_order_at, last_order_at, unpaid_order_count, last_unpaid_at,
    categories, category_seasons, double11_years, double11_order_count, updated_at`;
/**
 * A fact row `f` (its table's name or alias) with its customer's owed aggregate `a` added, column
 * by column (SETTLED_COLUMNS; `updatedAt` the last): one text for the settle in place and the one
 * worked out ahead (owed-facts-ahead.ts prepareFactsInto), so both write the same values by construction.
 */
export const settledValues = (f: string, updatedAt: string) => `${f}.order_count + a.n,
  rekindle_cents(${f}.total_spent + a.spent),
  CASE WHEN a.first_at IS NULL THEN ${f}.first_order_at WHEN ${f}.first_order_at IS NULL THEN a.first_at ELSE min(${f}.first_order_at, a.first_at) END,
  CASE WHEN a.last_at IS NULL THEN ${f}.last_order_at WHEN ${f}.last_order_at IS NULL THEN a.last_at ELSE max(${f}.last_order_at, a.last_at) END,
  ${f}.unpaid_order_count + a.unpaid,
  CASE WHEN a.last_unpaid IS NULL THEN ${f}.last_unpaid_at WHEN ${f}.last_unpaid_at IS NULL THEN a.last_unpaid ELSE max(${f}.last_unpaid_at, a.last_unpaid) END,
  ${setUnion(`${f}.categories`, 'a.categories')},
  ${setUnion(`${f}.category_seasons`, 'a.category_seasons')},
  ${setUnion(`${f}.double11_years`, 'a.double11_years')},
  coalesce(${f}.double11_order_count, 0) + a.d11,
  ${updatedAt}`;
const UPDATE_FACTS = failWithinBatch(`UPDATE customer_facts SET (${SETTLED_COLUMNS}) = (SELECT
  ${settledValues('customer_facts', '?')}
  FROM ${AGG} a WHERE a.customer_id = customer_facts.customer_id)
WHERE customer_id IN (SELECT customer_id FROM ${AGG})`);
const MISSING_FACTS = `SELECT a.customer_id FROM ${AGG} a WHERE NOT EXISTS (SELECT 1 FROM customer_facts f WHERE f.customer_id = a.customer_id)`;

interface SqliteFunctions {
  function(name: string, options: { deterministic: boolean }, fn: (...args: unknown[]) => unknown): unknown;
}

/**
 * A stored set ("|a|b|", sorted, as `encodeSet` writes it) united with '|'-joined sanitized
 * values: the same text as fact-store's `mergeSet` (the stored text kept as is when nothing is new).
 */
export function unionSetText(stored: unknown, added: unknown): string {
  const text = typeof stored === 'string' ? stored : '';
  if (typeof added !== 'string' || added === '') return text;
  if (!added.includes('|')) {
    // One value (a customer's one new category): inserted at its place in the sorted text,
    // without splitting, sorting and joining the whole set (half the cost).
    if (text.includes(`|${added}|`)) return text;
    if (text === '') return `|${added}|`;
    const inserted = insertIntoSortedSet(text, added);
    if (inserted !== undefined) return inserted;
  }
  // Several values (a settle adds a customer's whole import: ~5 orders' categories at once).
  const values = added.split('|');
  let fresh = false;
  for (const x of values) if (!text.includes(`|${x}|`)) fresh = true;
  if (!fresh) return text;
  // The same text as encodeList([...new Set([...decodeList(text), ...values])].sort()) (values and
  // the stored ones are sanitized already: no '|' inside), without the Set, the spreads and the
  // per-value sanitizing: sorted, then repeats dropped in one pass.
  const all = text === '' ? values : decodeList(text).concat(values);
  all.sort();
  let out = '|';
  let prev: string | undefined;
  for (const v of all) {
    if (v === prev) continue;
    out += `${v}|`;
    prev = v;
  }
  return out;
}

/**
 * `x` (sanitized, not in the set) inserted into a stored set's text at its place in the default
 * sort order (UTF-16 code units, as `.sort()` and `<` compare); undefined when the text is not a
 * sorted set without repeats (never written so, but then the general path sorts it as before).
 */
function insertIntoSortedSet(text: string, x: string): string | undefined {
  if (text[0] !== '|' || text[text.length - 1] !== '|') return undefined;
  let at = -1;
  let prev: string | undefined;
  for (let start = 1; start < text.length; ) {
    const end = text.indexOf('|', start);
    const v = text.slice(start, end);
    if (prev !== undefined && !(prev < v)) return undefined;
    if (at < 0 && v > x) at = start;
    prev = v;
    start = end + 1;
  }
  return at < 0 ? `${text}${x}|` : `${text.slice(0, at)}${x}|${text.slice(at)}`;
}

/** `orderFacts`' rounding of a total to cents. */
const cents = (x: unknown) => Math.round(Number(x) * 100) / 100;

const withFunctions = new WeakSet<object>();
export function prepareConnection(db: RawSqlite): void {
  db.prepare(AGG_DDL).run();
  if (withFunctions.has(db)) return;
  const f = db as unknown as SqliteFunctions;
  f.function('rekindle_set_union', { deterministic: true }, unionSetText);
  f.function('rekindle_cents', { deterministic: true }, cents);
  withFunctions.add(db);
}

/** True when an import left fact contributions not yet added (SQLite; one page read). */
export function factsOwed(db: RawSqlite): boolean {
  return preparedStatement(db, ANY_OWED).get() !== undefined;
}

/**
 * Adds every owed contribution to its customer's fact row, inside the caller's write transaction
 * (SQLite; nothing to do elsewhere). A customer without a fact row (in the recycle bin, or a row
 * missing for any reason) is recomputed in full from its orders, as the chunk write did.
 * Returns the number of customers settled.
 */
export async function settleOwedFactsIn(m: EntityManager): Promise<number> {
  if (!isSqlite(m.connection)) return 0;
  const db = rawSqlite(m.connection);
  if (!factsOwed(db)) return 0;
  // The steps below belong together (owed rows deleted, fact rows updated): never one by one.
  if (!db.inTransaction) return writeTransaction(m.connection, (t) => settleOwedFactsIn(t));
  return settleRange(m, db, MIN_ID, MAX_ID);
}

const MIN_ID = -Number.MAX_SAFE_INTEGER;
const MAX_ID = Number.MAX_SAFE_INTEGER;
/**
 * Customer ids settled per transaction by `settleOwedFacts`: a million-order import's settle in one
 * transaction held SQLite's write lock for seconds (a server's engine and event intake wait for it,
 * other processes at most `busy_timeout`); slices of customer ids keep each customer settled once
 * (all its owed rows in one slice), for one extra read of the owed rows a slice.
 */
export const SETTLE_SLICE_IDS = 50_000;

/** The owed rows of customers lo <= id < hi added to their facts and deleted (in the caller's transaction). */
async function settleRange(m: EntityManager, db: RawSqlite, lo: number, hi: number): Promise<number> {
  prepareConnection(db);
  const ctx = preparedStatement(db, READ_CONTEXT).get() as { timezone: string; owed_at: number } | undefined;
  // Always written with the first owed row; the fallbacks only guard a hand-edited database.
  const timezone = ctx?.timezone ?? 'Asia/Shanghai';
  const now = ctx ? Number(ctx.owed_at) : Date.now();
  preparedStatement(db, AGG_CLEAR).run();
  const customers = preparedStatement(db, AGG_INSERT).run(lo, hi).changes;
  if (lo === MIN_ID && hi === MAX_ID) preparedStatement(db, CLEAR_ALL_OWED).run(); // one truncation
  else preparedStatement(db, CLEAR_OWED).run(lo, hi);
  preparedStatement(db, CLEAR_CONTEXT).run();
  const updated = customers === 0 ? 0 : preparedStatement(db, UPDATE_FACTS).run(now).changes;
  const missing = updated < customers ? (preparedStatement(db, MISSING_FACTS).all() as { customer_id: number }[]).map((r) => Number(r.customer_id)) : [];
  preparedStatement(db, AGG_CLEAR).run();
  if (missing.length) await refreshFacts(m, missing, timezone, now);
  return customers;
}

/**
 * Settles owed facts before a read of `customer_facts` (see the top of this file): a no-op read
 * of one page when nothing is owed (nearly always), else write transactions of SETTLE_SLICE_IDS
 * customer ids each (a reader meanwhile may see some slices settled and the rest not, then
 * settles the rest itself: every settle takes all that is owed). Inside an open transaction of
 * this connection (a caller that already writes), settles all within it.
 */
export async function settleOwedFacts(ds: DataSource, sliceIds = SETTLE_SLICE_IDS): Promise<void> {
  if (!isSqlite(ds)) return;
  const db = rawSqlite(ds);
  if (!factsOwed(db)) return;
  if (db.inTransaction) {
    await settleOwedFactsIn(ds.manager);
    return;
  }
  while (factsOwed(db)) {
    const r = preparedStatement(db, OWED_RANGE).get() as { lo: number | null; hi: number | null };
    if (r.lo === null || r.hi === null) break;
    for (let lo = Number(r.lo); lo <= Number(r.hi); lo += sliceIds) {
      await writeTransaction(ds, (m) => settleRange(m, db, lo, lo + sliceIds));
    }
  }
}
