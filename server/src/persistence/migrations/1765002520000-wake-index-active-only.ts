import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_enrollments_wake` holds active enrollments only (issue 10). Its one use is finding the due
 * ones (`status = 'active' AND wake_at <= ?`: the tick's due plan, the cursor walk, the operations
 * snapshot); no query reads it for a finished journey. Every step that ends a journey writes a
 * new row version with status `exited`/`completed` and wake_at NULL, and since status and wake_at
 * are indexed that update is never HOT: each one put an entry into this index that nothing ever
 * reads, and the index kept every enrollment the shop ever had. As a partial index
 * (`WHERE status = 'active'`, same columns, so the due queries' plans are unchanged) an update to
 * a finished state writes no entry here, and the index shrinks to the journeys under way.
 * Both dialects: PostgreSQL skips a partial index whose predicate the new row version fails; SQLite
 * (INDEXED BY in the due reads) accepts it because those reads say `status = 'active'`.
 */
export class WakeIndexActiveOnly1765002520000 implements MigrationInterface {
  name = 'WakeIndexActiveOnly1765002520000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_wake"');
    await q.query(`CREATE INDEX "ix_enrollments_wake" ON "enrollments" ("status", "wake_at", "customer_id") WHERE "status" = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_wake"');
    await q.query('CREATE INDEX "ix_enrollments_wake" ON "enrollments" ("status", "wake_at", "customer_id")');
  }
}
