import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding due enrollments without walking the waiting ones (issue 10). `ix_enrollments_due`
 * (status, customer_id, id, wake_at) made the stepper walk every active enrollment in customer
 * order and test its wake_at: a scan of the whole index per tick, even when nothing was due (a
 * simulated Double 11 ticks every virtual hour over a million waiting customers).
 * - `ix_enrollments_wake` (status, wake_at, customer_id): the due ones are one range; a tick reads
 *   their keys once and steps them in customer order (JourneyStore.dueEnrollments).
 * - `ix_enrollments_customer` (customer_id): a customer's enrollments (waking them on an event,
 *   their journey page). It never changes when a step moves an enrollment on, so a step still
 *   rewrites one index entry of its enrollment, as before.
 */
export class DueIndex1764991000000 implements MigrationInterface {
  name = 'DueIndex1764991000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_due"');
    await q.query('CREATE INDEX "ix_enrollments_wake" ON "enrollments" ("status", "wake_at", "customer_id")');
    await q.query('CREATE INDEX "ix_enrollments_customer" ON "enrollments" ("customer_id")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_customer"');
    await q.query('DROP INDEX "ix_enrollments_wake"');
    await q.query('CREATE INDEX "ix_enrollments_due" ON "enrollments" ("status", "customer_id", "id", "wake_at")');
  }
}
