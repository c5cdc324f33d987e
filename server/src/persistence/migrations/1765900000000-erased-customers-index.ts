import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The erased customers' ids, in an index of their own (partial: only rows with `erased_at`). An
 * orders import refuses rows for an erased id (persistence/order-chunk-sqlite.ts) and asks, per
 * chunk of 1,000 orders, which of its customers were erased: answered from this index (a handful
 * of rows, usually none) instead of reading each buyer's customer row beside the external-id seek.
 */
export class ErasedCustomersIndex1765900000000 implements MigrationInterface {
  name = 'ErasedCustomersIndex1765900000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "ix_customers_erased" ON "customers" ("id") WHERE "erased_at" IS NOT NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_customers_erased"');
  }
}
