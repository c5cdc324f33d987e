import { querySqlite } from './sql-batch.js';
import type { RawSqlite } from './write-transaction.js';

/**
 * A batch's rows read on SQLite as ONE JSON text (`json_group_array(json_array(…))`), parsed by
 * `JSON.parse` and shaped into the same plain objects a `SELECT` of those columns gives.
 *
 * Why: reading a batch's 1,000 enrollment or fact rows, SQLite finds them in ~0.3 µs a row, and
 * better-sqlite3 spends the rest (~3–5 µs a row) turning every column value into a JS value
 * one call at a time. One text of the whole batch, parsed by V8's JSON parser, costs less:
 * measured in isolation (20,000-customer shop, batches of 1,000, CPU time, mapping included)
 * 2.0–2.8 µs an enrollment row against 3.8–5.7, 3.8–4.1 µs a fact row against 4.5–5.2. Not for
 * rows with much non-ASCII text or JSON text columns (customers: 5.0–6.2 µs against 4.3–4.7).
 *
 * Values come back as they would: SQLite renders REAL values so that they parse back to the same
 * double (SQLite ≥ 3.43; better-sqlite3 bundles a later one), integers beyond 2^53 lose the
 * same precision better-sqlite3's numbers do, NULL is null. Only -0.0 reads as 0. No BLOB
 * columns (json_array refuses them).
 */

/** The select list that packs `columns` (of `alias`) into one JSON array per row, all rows in one. */
export function packedColumns(columns: readonly string[], alias: string): string {
  return `json_group_array(json_array(${columns.map((c) => `${alias}.${c}`).join(', ')})) AS packed`;
}

const shapes = new Map<string, (a: unknown[]) => Record<string, unknown>>();

/** The rows of a packed read, as objects keyed by the column names (one hidden class per column list). */
export function unpackRows(columns: readonly string[], rows: Record<string, unknown>[]): Record<string, unknown>[] {
  const text = rows[0]?.packed;
  if (typeof text !== 'string') return [];
  const key = columns.join(',');
  let shape = shapes.get(key);
  if (!shape) {
    // A literal of fixed keys, as prepareRead builds for ordinary reads (sql-batch.ts).
    const body = columns.map((n, i) => `${JSON.stringify(n)}: a[${i}]`).join(', ');
    shapes.set(key, (shape = new Function('a', `return { ${body} };`) as (a: unknown[]) => Record<string, unknown>));
  }
  const arrays = JSON.parse(text) as unknown[][];
  const out: Record<string, unknown>[] = new Array(arrays.length);
  for (let i = 0; i < arrays.length; i++) out[i] = shape(arrays[i]);
  return out;
}

const tableColumns = new WeakMap<object, Map<string, string[]>>();

/**
 * A table's columns in their order (what `SELECT *` returns), read once per connection. Safe to
 * keep: a connection is opened by `openDatabase`, which migrates before anything reads, and a
 * later migration by a newer process adds columns this code would not know what to do with anyway.
 */
export function columnsOf(db: RawSqlite, table: string): string[] {
  let m = tableColumns.get(db);
  if (!m) tableColumns.set(db, (m = new Map()));
  let cols = m.get(table);
  if (!cols) m.set(table, (cols = querySqlite<{ name: string }>(db, 'SELECT name FROM pragma_table_info(?) ORDER BY cid', [table]).map((r) => r.name)));
  return cols;
}
