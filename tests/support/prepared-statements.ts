import type { DataSource } from 'typeorm';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';

/**
 * Every statement text prepared on a SQLite data source's connection from now on (stores cache
 * their prepared statements, so record from the start to see them all): tests pin which statements
 * a store runs, and their plans.
 */
export function recordPreparedStatements(ds: DataSource): string[] {
  const texts: string[] = [];
  const raw = rawSqlite(ds) as unknown as { prepare(sql: string): unknown };
  const prepare = raw.prepare;
  raw.prepare = (sql: string) => (texts.push(sql), prepare.call(raw, sql));
  return texts;
}
