import { pluckStatement, type PointLookup } from './sql-batch.js';
import type { RawSqlite } from './write-transaction.js';

/**
 * Customer ids by external id, kept by ONE import across its batches (SQLite).
 *
 * Why: a bulk order import looks up the customer of every order; at a million orders of 200,000
 * customers that point read (a random descent of the customers' external-id index) was ~1.1 µs of
 * SQLite an order, a quarter of the staging insert, for ids that do not change between batches.
 *
 * Why it cannot go stale: the ids are used only inside a batch's write transaction, and each
 * batch first checks that nobody else wrote to the database since the previous batch of this
 * import committed — `PRAGMA data_version` (changes when another connection commits: the server's
 * engine thread, another process) and `total_changes()` (changes when this connection writes
 * anything else between the batches: a request served on the same connection). If either moved,
 * the cache is emptied and the ids are read again. Within a batch the transaction holds SQLite's
 * write lock, so no one else can delete a customer meanwhile; the batch itself never changes
 * customers. Customer ids are AUTOINCREMENT: an id is never given to another customer.
 * Unknown customers are not cached (they are looked up again: a row error names each).
 */
export class CustomerIdCache {
  private readonly ids = new Map<string, number>();
  /** What the database looked like when this import's previous batch ended (null: never). */
  private mark: { dataVersion: number; totalChanges: number } | null = null;

  /** `limit`: ids kept at most (a shop of millions of customers must not hold them all). */
  constructor(private readonly limit = 1_000_000) {}

  private read: PointLookup | null = null;

  /** Start of a batch, inside its write transaction: forgets the ids if anyone else wrote since. */
  begin(db: RawSqlite): void {
    const now = databaseMark(db);
    if (this.mark === null || now.dataVersion !== this.mark.dataVersion || now.totalChanges !== this.mark.totalChanges) this.ids.clear();
    this.mark = null; // until end(): a batch that fails midway leaves nothing to trust
    this.read = pluckStatement(db, 'SELECT id FROM customers WHERE external_id = ?');
  }

  /** The customer's id (customers in the recycle bin included), undefined for an unknown one. */
  idOf(externalId: string): number | undefined {
    const known = this.ids.get(externalId);
    if (known !== undefined) return known;
    if (this.read === null) throw new Error('CustomerIdCache.idOf outside begin()/end()');
    const id = this.read.get(externalId);
    if (id === undefined) return undefined;
    if (this.ids.size < this.limit) this.ids.set(externalId, Number(id));
    return Number(id);
  }

  /** End of a batch (all its writes done, before its commit). */
  end(db: RawSqlite): void {
    this.mark = databaseMark(db);
    this.read = null;
  }
}

function databaseMark(db: RawSqlite): { dataVersion: number; totalChanges: number } {
  return { dataVersion: Number(pluckStatement(db, 'PRAGMA data_version').get()), totalChanges: Number(pluckStatement(db, 'SELECT total_changes()').get()) };
}
