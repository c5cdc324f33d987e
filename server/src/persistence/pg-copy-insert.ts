import type { Client } from 'pg';
import type { EntityManager } from 'typeorm';
import { pgCopyIn, type PgCopyRows } from './pg-copy.js';

/**
 * Rows of a PostgreSQL bulk write (an import batch) that are new as far as the caller knows, by
 * `COPY … FROM STDIN` (pg-copy.ts) inside the caller's transaction, under a savepoint: true when
 * they went in. False, with nothing written and the transaction usable, when COPY cannot be used
 * here (no open transaction on the manager, fewer than `min` rows, a value COPY cannot write) or
 * when a row met a unique key (another writer stored the same order or event key between the
 * caller's read and now): the caller then writes the rows with its `INSERT … ON CONFLICT`
 * statement, as it did before. Any other error is thrown (the transaction is then aborted).
 *
 * Why: the import's multi-row `INSERT … ON CONFLICT` of orders and events made PostgreSQL insert
 * every row speculatively (probe the unique index, take and release a speculative-insertion lock,
 * confirm it in the WAL) and run the rows through the executor; COPY inserts them a page at a time
 * (bench/README.md, twenty-fourth wave, w-pgops).
 */
export async function copyUnlessConflict(m: EntityManager, copy: PgCopyRows, min = PG_COPY_MIN_ROWS): Promise<boolean> {
  const runner = m.queryRunner;
  if (copy.rows.length < min || !runner || !runner.isTransactionActive || runner.connection.options.type !== 'postgres') return false;
  const client = (await runner.connect()) as Client;
  await client.query(`SAVEPOINT ${SAVEPOINT}`);
  try {
    const copied = pgCopyIn(client, copy);
    if (copied !== null) await copied;
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return copied !== null;
  } catch (e) {
    if ((e as { code?: string }).code !== UNIQUE_VIOLATION) throw e;
    await client.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
    await client.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
    return false;
  }
}

/** Below this many rows the statement is cheaper than the savepoint's two extra round trips. */
export const PG_COPY_MIN_ROWS = 200;
const SAVEPOINT = 'rekindle_bulk_copy';
const UNIQUE_VIOLATION = '23505';
