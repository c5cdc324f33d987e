import type { DataSource, EntityManager } from 'typeorm';
import { refreshFacts } from './fact-store.js';
import { preparedStatement } from './sql-batch.js';
import { AGG_CLEAR, AGG_INSERT, CLEAR_ALL_OWED, CLEAR_CONTEXT, CLEAR_OWED, factsOwed, MAX_CUSTOMER_ID, MIN_CUSTOMER_ID, MISSING_FACTS, OWED_RANGE, prepareConnection, READ_CONTEXT, SETTLE_SLICE_IDS, UPDATE_FACTS } from './owed-facts-sql.js';
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
  return settleRange(m, db, MIN_CUSTOMER_ID, MAX_CUSTOMER_ID);
}


/** The owed rows of customers lo <= id < hi added to their facts and deleted (in the caller's transaction). */
async function settleRange(m: EntityManager, db: RawSqlite, lo: number, hi: number): Promise<number> {
  prepareConnection(db);
  const ctx = preparedStatement(db, READ_CONTEXT).get() as { timezone: string; owed_at: number } | undefined;
  // Always written with the first owed row; the fallbacks only guard a hand-edited database.
  const timezone = ctx?.timezone ?? 'Asia/Shanghai';
  const now = ctx ? Number(ctx.owed_at) : Date.now();
  preparedStatement(db, AGG_CLEAR).run();
  const customers = preparedStatement(db, AGG_INSERT).run(lo, hi).changes;
  if (lo === MIN_CUSTOMER_ID && hi === MAX_CUSTOMER_ID) preparedStatement(db, CLEAR_ALL_OWED).run(); // one truncation
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
