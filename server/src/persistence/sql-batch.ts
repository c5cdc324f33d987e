import type { DataSource } from 'typeorm';
import { isSqlite, sqliteWriteBatch, writeTransaction } from './write-transaction.js';

/** One statement with `?` placeholders. */
export interface SqlOp {
  sql: string;
  params: unknown[];
}

/** `?` placeholders → `$1, $2…` for PostgreSQL. Statements here never contain a literal `?`. */
export function toPgPlaceholders(sql: string): string {
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

const statementCache = new WeakMap<object, Map<string, ReturnType<ReturnType<typeof import('./write-transaction.js').rawSqlite>['prepare']>>>();

/**
 * Executes a list of write statements atomically. On SQLite they run synchronously on the raw
 * connection with cached prepared statements (about 10x faster than awaited round trips, which is
 * what lets the stepper reach tens of thousands of steps a second); on PostgreSQL they run in one
 * transaction. Returns the number of rows each statement changed.
 */
export async function executeBatch(ds: DataSource, ops: SqlOp[]): Promise<number[]> {
  if (ops.length === 0) return [];
  if (isSqlite(ds)) {
    return sqliteWriteBatch(ds, (db) => {
      let cache = statementCache.get(db);
      if (!cache) statementCache.set(db, (cache = new Map()));
      return ops.map((op) => {
        let st = cache!.get(op.sql);
        if (!st) cache!.set(op.sql, (st = db.prepare(op.sql)));
        return st.run(...op.params).changes;
      });
    });
  }
  return writeTransaction(ds, async (m) => {
    const changes: number[] = [];
    for (const op of ops) {
      // EntityManager.query drops the structured result; the query runner keeps `affected`.
      const r = (await m.queryRunner!.query(toPgPlaceholders(op.sql), op.params, true)) as { affected?: number };
      changes.push(r.affected ?? 0);
    }
    return changes;
  });
}

/** Runs a read query with `?` placeholders on either dialect. */
export async function queryRows<T = Record<string, unknown>>(ds: DataSource, sql: string, params: unknown[] = []): Promise<T[]> {
  return ds.query(isSqlite(ds) ? sql : toPgPlaceholders(sql), params);
}

/** `?, ?, ?` for an IN list. */
export function placeholders(n: number): string {
  return new Array(n).fill('?').join(', ');
}
