import Database from 'better-sqlite3';
import { PURCHASE_STATUSES, type OrderInput } from '../core/data/model.js';
import { orderEventType } from '../core/data/order-events.js';
import type { StagedOrder } from '../core/data/import/staged-order.js';
import { STAGE_FILE_DDL, STAGE_FILE_INSERT, STAGE_FILE_MARK_SLOW, stageFilePath, type StageFiles } from '../core/data/import/stage-file.js';

/**
 * Writes an import's staged orders into one SQLite file per importer batch (core/data/import/
 * stage-file.ts), in the parser thread: the k-th file holds the valid rows k·rows … (k+1)·rows − 1,
 * i.e. exactly the importer's k-th batch (the importer batches valid rows only, `rows` at a time).
 * A file is complete (committed and closed) before the block holding its last row is handed over,
 * so the importer, which writes a batch only once it has all its rows, never reads a partial file.
 *
 * The file is scratch: no journal, no syncs (nothing of it must survive a crash; the importer's
 * own transaction is what is durable), one transaction for the whole file.
 */
export class StageFileWriter {
  private db: Database.Database | null = null;
  private insert: Database.Statement | null = null;
  private file = 0;
  private n = 0;
  private readonly ids = new Set<string>();
  /** External ids whose rows must all go the row-by-row way (repeated, or redeeming a coupon). */
  private readonly slow = new Set<string>();

  constructor(private readonly files: StageFiles) {}

  /** Stages a valid order row; returns the number of the file (= importer batch) it is in. */
  add(o: OrderInput, s: StagedOrder): number {
    if (this.db === null) this.open();
    const file = this.file;
    if (this.ids.has(o.externalId)) this.slow.add(o.externalId);
    else this.ids.add(o.externalId);
    // As order-chunk-sqlite.ts: every row of an order with a row that redeems a coupon goes the row-by-row way.
    if (o.coupon && (o.paidAt ?? null) !== null && PURCHASE_STATUSES.has(o.status)) this.slow.add(o.externalId);
    // s: [items, eventAt, eventProperties, kind, factAt, categories, categorySeasons, double11Year]
    this.insert!.run(this.n, o.externalId, o.customerExternalId, o.status, o.amount, o.createdAt, o.paidAt ?? null, o.promotion ?? null, s[0], orderEventType(o.status), s[1], s[2], s[3], s[4], s[5], s[6], s[7], o.coupon ?? null);
    if (++this.n >= this.files.rows) this.close();
    return file;
  }

  /** Completes the current file (if any rows were staged in it). */
  close(): void {
    const db = this.db;
    if (db === null) return;
    if (this.slow.size > 0) db.prepare(STAGE_FILE_MARK_SLOW).run(JSON.stringify([...this.slow]));
    db.exec('COMMIT');
    db.close();
    this.db = null;
    this.insert = null;
    this.ids.clear();
    this.slow.clear();
    this.n = 0;
    this.file++;
  }

  private open(): void {
    const db = new Database(stageFilePath(this.files.dir, this.file));
    // MEMORY, not OFF: better-sqlite3 opens connections in SQLite's defensive mode, which ignores
    // `journal_mode = OFF` without a word (each file then had a rollback journal file of its own).
    db.pragma('journal_mode = MEMORY');
    db.pragma('synchronous = OFF');
    db.exec(STAGE_FILE_DDL);
    db.exec('BEGIN');
    this.db = db;
    this.insert = db.prepare(STAGE_FILE_INSERT);
  }
}
