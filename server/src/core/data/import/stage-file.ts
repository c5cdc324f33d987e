/**
 * The staged-orders file of an import (SQLite bulk path): a small SQLite database per importer
 * batch, written by the import's parser thread (runtime/import-stage-writer.ts) and read, set-based,
 * by the importing thread (persistence/order-chunk-sqlite.ts) once the batch is complete.
 *
 * Why a file: binding a staged order's ~18 values into the importer's TEMP staging table was ~9 µs
 * of the ~15 µs an order that the thread holding SQLite's write lock spent (bench/README.md,
 * nineteenth wave); that thread bounds an import's pace. Written by the parser thread, the binds,
 * the row inserts and the structured clone of the staged values leave the write-lock thread,
 * which reads the rows back with `INSERT … SELECT` through an ATTACH.
 *
 * Only SQL text and names here (no driver): both threads use them.
 */
export const STAGE_TABLE = 'staged_orders';

/**
 * One row per valid order row of the batch; `idx` is its position among the batch's valid rows
 * (= its index in the importer's batch). `slow` marks rows the importer must write row by row
 * whatever the database says: an external id repeated in the batch, or an order with a row that
 * redeems a coupon. Columns as the TEMP staging table of order-chunk-sqlite.ts, plus the
 * customer's external id (looked up by the importer), the event's type and the coupon: with
 * them the file holds the whole order input, which the importer reads back for the rows it writes
 * row by row (only their line crosses the thread: runtime/import-parse-thread-wire.ts).
 */
export const STAGE_FILE_DDL = `CREATE TABLE ${STAGE_TABLE} (
  idx INTEGER PRIMARY KEY, external_id TEXT NOT NULL, customer_external_id TEXT NOT NULL, status TEXT NOT NULL,
  amount REAL NOT NULL, created_at INTEGER NOT NULL, paid_at INTEGER, promotion TEXT, items TEXT NOT NULL,
  event_type TEXT NOT NULL, event_at INTEGER, event_properties TEXT NOT NULL,
  kind INTEGER NOT NULL, fact_at INTEGER, categories TEXT, category_seasons TEXT, double11_year TEXT,
  coupon TEXT, slow INTEGER NOT NULL DEFAULT 0)`;

export const STAGE_FILE_INSERT = `INSERT INTO ${STAGE_TABLE} (idx, external_id, customer_external_id, status, amount, created_at, paid_at, promotion, items, event_type, event_at, event_properties, kind, fact_at, categories, category_seasons, double11_year, coupon)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Marks every row of the given external ids (a JSON array) as slow. */
export const STAGE_FILE_MARK_SLOW = `UPDATE ${STAGE_TABLE} SET slow = 1 WHERE external_id IN (SELECT value FROM json_each(?))`;

/** Where an import stages its batches (ParseOptions.stageFiles). */
export interface StageFiles {
  /** A directory of the importer's own (created and removed by it). */
  dir: string;
  /** Valid rows per file: the importer's batch size, so that file k holds exactly batch k. */
  rows: number;
}

/** File k of a stage directory. */
export function stageFilePath(dir: string, k: number): string {
  return `${dir}/${k}.sqlite`;
}
