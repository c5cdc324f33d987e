import type { DataSource, EntityManager } from 'typeorm';
import { isSqlite, sqliteWriteBatch } from './write-transaction.js';

/**
 * Small dialect helpers for the outbox's hand-written SQL (kept here rather than shared so the
 * outbox depends on nothing but the `sends` table). Statements use `?` placeholders and never a
 * literal `?`.
 */
export function forDialect(ds: DataSource, sql: string): string {
  if (isSqlite(ds)) return sql;
  let i = 0;
  return sql.replace(/\?/g, () => `$${++i}`);
}

/**
 * Rows of a statement with RETURNING / a SELECT. TypeORM's pg driver answers UPDATE with
 * `[rows, rowCount]`, better-sqlite3 with the rows.
 */
export async function rows<T>(ds: DataSource, m: EntityManager, sql: string, params: unknown[]): Promise<T[]> {
  const r = (await m.query(forDialect(ds, sql), params)) as unknown;
  if (Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number') return r[0] as T[];
  return (r as T[]) ?? [];
}

/** `?, ?, ?` for an IN list. */
export function marks(n: number): string {
  return new Array(n).fill('?').join(', ');
}

/** BIGINT/INTEGER come back as strings from pg. */
export function num(v: unknown): number {
  return typeof v === 'number' ? v : Number(v);
}
export function numOrNull(v: unknown): number | null {
  return v === null || v === undefined ? null : num(v);
}

/**
 * One write statement, atomic on its own, returning its RETURNING rows. On SQLite it runs
 * synchronously on the raw handle inside the process's write queue: no lock is ever held across
 * an `await`, so two connections in one process (or a TypeORM transaction elsewhere) cannot
 * deadlock on SQLite's single writer lock. On PostgreSQL it is a plain autocommit statement.
 */
export async function writeOne<T>(ds: DataSource, sql: string, params: unknown[]): Promise<T[]> {
  if (isSqlite(ds)) return sqliteWriteBatch(ds, (db) => db.prepare(sql).all(...params) as T[]);
  return rows<T>(ds, ds.manager, sql, params);
}
