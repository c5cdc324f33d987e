import type { DataSource, QueryRunner } from 'typeorm';
import type { BatchTransaction } from '../core/engine/ports.js';
import { executeBatch, pgArrayLiteral, placeholders, queryRows, toPgPlaceholders, type SqlOp } from './sql-batch.js';
import { isSqlite } from './write-transaction.js';
import { drawnTwice } from './drawn-twice.js';
import { pgCopyIn } from './pg-copy.js';
import { pgNamedQuery } from './pg-named.js';
import type { Client } from 'pg';

/** Attempts of a batch whose random keys clashed with stored ones (see BatchUnit.run). */
const DRAWS = 3;

/**
 * One stepping batch's transaction. Every read of the batch (enrollments, facts, the customers'
 * touches, limit and share counters) and every write (enrollment states, sends, journey log,
 * counters) goes through it, and the writes commit together at the end:
 * - PostgreSQL: one real transaction on one pooled connection. It first locks the batch's
 *   customer rows, then its enrollment rows (`FOR UPDATE`, each in id order, so two workers never
 *   deadlock on them); counters are locked when first read. A second worker touching the same
 *   customers waits, then (READ COMMITTED) reads what the first one committed.
 * - SQLite: the engine runs in one process and its batches never overlap, so reads go straight to
 *   the connection and the writes are applied at the end in ONE better-sqlite3 transaction
 *   (synchronous, cached prepared statements) through the process's write queue.
 * Either way a batch that fails before its commit leaves nothing behind, and a retried batch
 * finds its enrollments already moved on.
 */
export class BatchUnit implements BatchTransaction {
  readonly kind = 'batch-transaction' as const;
  private readonly writes: SqlOp[] = [];
  private readonly afterCommit: (() => void)[] = [];

  private constructor(
    readonly ds: DataSource,
    private readonly runner: QueryRunner | null,
    /** PostgreSQL: the runner's node-postgres client, for named statements (pg-named.ts) and COPY (pg-copy.ts). */
    private readonly client: Client | null = null,
  ) {}

  get sqlite(): boolean {
    return this.runner === null;
  }

  /**
   * Runs `work` in a new unit; commits its writes when `work` resolves, rolls back when it throws.
   * A commit refused because a coupon code or link token `work` drew is already held by another
   * send (drawn-twice.ts) runs `work` again in a fresh unit, where it draws new ones: nothing of
   * the refused attempt was kept, and no message goes out naming a code the ledger gives to
   * someone else. `work` must therefore only read through the unit and queue its writes there
   * (a stepping batch does; a limit counter's seed, written at once on SQLite, is idempotent).
   * A stepping batch draws its codes and tokens inside `work`, so its next attempt draws new ones;
   * PolicyStore.review, handed sends drawn before, meets the same clash again and throws. A third
   * refusal in a row is not chance: it throws.
   */
  static async run<T>(ds: DataSource, lock: { customerIds: number[]; enrollmentIds: number[] }, work: (unit: BatchUnit) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await BatchUnit.once(ds, lock, work);
      } catch (e) {
        if (attempt >= DRAWS || !drawnTwice(e)) throw e;
      }
    }
  }

  private static async once<T>(ds: DataSource, lock: { customerIds: number[]; enrollmentIds: number[] }, work: (unit: BatchUnit) => Promise<T>): Promise<T> {
    if (isSqlite(ds)) {
      const unit = new BatchUnit(ds, null);
      const result = await work(unit);
      await executeBatch(ds, unit.writes);
      unit.afterCommit.forEach((f) => f());
      return result;
    }
    // First with the optimistic inserts (SqlOp.optimisticSql); if one of them meets a unique
    // violation, the whole batch is rolled back and run again, reads included, with the ON
    // CONFLICT statements: the outcome is the one those give, whatever happened in between.
    try {
      return await BatchUnit.runPg(ds, lock, work, true);
    } catch (e) {
      if (!(e instanceof OptimisticConflict)) throw e;
      return BatchUnit.runPg(ds, lock, work, false);
    }
  }

  private static async runPg<T>(ds: DataSource, lock: { customerIds: number[]; enrollmentIds: number[] }, work: (unit: BatchUnit) => Promise<T>, optimistic: boolean): Promise<T> {
    const runner = ds.createQueryRunner();
    // TypeORM's PostgreSQL runner hands back its node-postgres client: COPY goes to it directly (pg-copy.ts).
    const client = (await runner.connect()) as Client;
    try {
      await runner.startTransaction();
      const unit = new BatchUnit(ds, runner, client);
      try {
        const customers = [...new Set(lock.customerIds)].sort((a, b) => a - b);
        const enrollments = [...new Set(lock.enrollmentIds)].sort((a, b) => a - b);
        if (customers.length) await pgNamedQuery(client, 'SELECT id FROM customers WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [pgArrayLiteral(customers)]);
        if (enrollments.length) await pgNamedQuery(client, 'SELECT id FROM enrollments WHERE id = ANY($1::int[]) ORDER BY id FOR UPDATE', [pgArrayLiteral(enrollments)]);
        const result = await work(unit);
        for (const op of unit.writes) {
          // The plain insert's rows by COPY (SqlOp.copy) wherever that plain insert would run:
          // always for an insert without ON CONFLICT, on the first (optimistic) run for the others.
          const copied = op.copy && (op.optimisticSql === undefined || optimistic) ? pgCopyIn(client, op.copy) : null;
          if (!optimistic || op.optimisticSql === undefined) {
            await (copied ?? pgNamedQuery(client, toPgPlaceholders(op.sql), op.params));
            continue;
          }
          try {
            await (copied ?? pgNamedQuery(client, toPgPlaceholders(op.optimisticSql), op.params));
          } catch (e) {
            throw (e as { driverError?: { code?: string }; code?: string }).driverError?.code === '23505' || (e as { code?: string }).code === '23505' ? new OptimisticConflict(e) : e;
          }
        }
        await runner.commitTransaction();
        unit.afterCommit.forEach((f) => f());
        return result;
      } catch (e) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw e;
      }
    } finally {
      await runner.release();
    }
  }

  /** A read inside the unit (`?` placeholders; PostgreSQL arrays may use `= ANY(?)`). */
  read<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    if (this.client) return pgNamedQuery<T>(this.client, toPgPlaceholders(sql), params);
    return queryRows<T>(this.ds, sql, params);
  }

  /** A read that locks the rows it returns until the commit (PostgreSQL; SQLite has one writer). */
  readForUpdate<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.read<T>(this.runner ? `${sql} FOR UPDATE` : sql, params);
  }

  /** A statement that must run now, inside the transaction (e.g. creating a counter row to lock). */
  async exec(sql: string, params: unknown[] = []): Promise<void> {
    if (this.client) await pgNamedQuery(this.client, toPgPlaceholders(sql), params);
    else this.writes.push({ sql, params });
  }

  /** Writes applied at the commit, in order. */
  write(ops: SqlOp[]): void {
    for (const op of ops) this.writes.push(op);
  }

  /** Runs after a successful commit (e.g. moving an in-memory cache on). */
  onCommit(f: () => void): void {
    this.afterCommit.push(f);
  }

  /**
   * `IN (…)` of ids, as placeholders for SQLite or one array parameter for PostgreSQL, written as
   * array text by pgArrayLiteral (node-postgres quotes and regex-escapes each element of a JS array:
   * ~2.6% of a worker's stepping CPU for the policy's two reads of a batch's 1,000 customers).
   */
  inList(ids: number[]): { sql: string; params: unknown[] } {
    if (this.runner) return { sql: '= ANY(?::int[])', params: [pgArrayLiteral(ids)] };
    return { sql: `IN (${placeholders(ids.length)})`, params: ids };
  }
}

export function isBatchUnit(tx: BatchTransaction): tx is BatchUnit {
  return tx instanceof BatchUnit;
}

/** An optimistic insert met a unique violation: the batch runs again with ON CONFLICT (BatchUnit.run). */
class OptimisticConflict extends Error {
  constructor(readonly cause: unknown) {
    super('optimistic insert met a unique violation');
  }
}
