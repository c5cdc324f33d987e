import { decodeList } from './columns.js';
import { failWithinBatch, preparedStatement } from './sql-batch.js';
import type { RawSqlite } from './write-transaction.js';

/**
 * The SQL of the customer facts an import owes (owed-facts.ts says what they are and who settles
 * them), and what a connection needs to run it: the texts, the connection's JS functions, the
 * one-page "anything owed?" read. Apart from the settle itself, which recomputes a customer without
 * a fact row through fact-store.ts (and so loads TypeORM and every entity), because an import's
 * settle thread (runtime/import-settle-thread.ts, owed-facts-ahead.ts) runs these texts and nothing
 * else: started at the import's end, it loaded ~250 ms of modules it never used while the importing
 * thread waited for its aggregate.
 */

export const OWED = 'customer_facts_owed';
export const CONTEXT = 'customer_facts_owed_context';
export const ANY_OWED = `SELECT 1 AS owed FROM ${OWED} LIMIT 1`;
export const READ_CONTEXT = `SELECT timezone, owed_at FROM ${CONTEXT} WHERE id = 1`;
/** Written by each chunk that appends owed rows: the import's zone and clock (the settled rows' updated_at). */
export const WRITE_CONTEXT = `INSERT INTO ${CONTEXT} (id, timezone, owed_at) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET timezone = excluded.timezone, owed_at = max(owed_at, excluded.owed_at)`;
export const CLEAR_OWED = `DELETE FROM ${OWED} WHERE customer_id >= ? AND customer_id < ?`;
export const CLEAR_ALL_OWED = `DELETE FROM ${OWED}`;
/** The context goes with the last owed row. */
export const CLEAR_CONTEXT = `DELETE FROM ${CONTEXT} WHERE NOT EXISTS (SELECT 1 FROM ${OWED})`;
export const OWED_RANGE = `SELECT min(customer_id) AS lo, max(customer_id) AS hi FROM ${OWED}`;

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
export const AGG = 'temp.rekindle_import_facts';
export const AGG_DDL = `CREATE TEMP TABLE IF NOT EXISTS rekindle_import_facts (
  customer_id INTEGER PRIMARY KEY, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11)`;
export const AGG_CLEAR = `DELETE FROM ${AGG}`;
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
export const AGG_INSERT = `INSERT INTO ${AGG} (customer_id, n, spent, first_at, last_at, unpaid, last_unpaid, categories, category_seasons, double11_years, d11)
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
export const UPDATE_FACTS = failWithinBatch(`UPDATE customer_facts SET (${SETTLED_COLUMNS}) = (SELECT
  ${settledValues('customer_facts', '?')}
  FROM ${AGG} a WHERE a.customer_id = customer_facts.customer_id)
WHERE customer_id IN (SELECT customer_id FROM ${AGG})`);
export const MISSING_FACTS = `SELECT a.customer_id FROM ${AGG} a WHERE NOT EXISTS (SELECT 1 FROM customer_facts f WHERE f.customer_id = a.customer_id)`;

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
 * Customer ids settled per transaction by `settleOwedFacts`: a million-order import's settle in one
 * transaction held SQLite's write lock for seconds (a server's engine and event intake wait for it,
 * other processes at most `busy_timeout`); slices of customer ids keep each customer settled once
 * (all its owed rows in one slice), for one extra read of the owed rows a slice.
 */
export const SETTLE_SLICE_IDS = 50_000;

/** Bounds of every customer id: a range lo <= id < hi over them all (the settle's whole range, a prepared part's). */
export const MIN_CUSTOMER_ID = -Number.MAX_SAFE_INTEGER;
export const MAX_CUSTOMER_ID = Number.MAX_SAFE_INTEGER;
