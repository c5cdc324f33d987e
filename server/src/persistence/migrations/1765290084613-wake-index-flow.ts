import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journeys home's active count (GET /api/home, persistence/flow-stats.ts) read from the active
 * set, not from the shop's history. It was all − finished per flow, two counts of index ranges
 * that hold every journey a flow ever had (`ix_enrollments_flow_entered`, `ix_enrollments_flow_ended`),
 * so its cost grew with every journey that ended.
 *
 * `ix_enrollments_wake` (status, wake_at, customer_id) WHERE status = 'active' already holds exactly
 * the journeys under way; with `flow_id` as its last column the count is one read of that index,
 * grouped by flow (covering: the table is not read). Why this index and not one of its own
 * (flow_id) WHERE status = 'active': every step SETs status and wake_at, so SQLite rewrites the
 * entry of each index whose columns or predicate name them, and on PostgreSQL the step is never
 * HOT (wake_at changes), so every index whose predicate holds gets a new entry. A new active-only
 * index would be one more entry written per step on both; this one is written per step already, and
 * only its entries grow by the flow id. Its other readers (the due plan, the cursor walk, the
 * operations snapshot: `status = 'active' AND wake_at <= ?`) keep their plans, the leading columns
 * being unchanged; the per-flow due count (due-by-flow.ts) no longer goes back to the table.
 * No counter table: it would have to be kept right by every statement that enters or ends a journey
 * (steps, flow stop, customer deletion, imports), and on PostgreSQL several workers' batches would
 * queue on one counter row per flow.
 */
export class WakeIndexFlow1765290084613 implements MigrationInterface {
  name = 'WakeIndexFlow1765290084613';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_wake"');
    await q.query(`CREATE INDEX "ix_enrollments_wake" ON "enrollments" ("status", "wake_at", "customer_id", "flow_id") WHERE "status" = 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_wake"');
    await q.query(`CREATE INDEX "ix_enrollments_wake" ON "enrollments" ("status", "wake_at", "customer_id") WHERE "status" = 'active'`);
  }
}
