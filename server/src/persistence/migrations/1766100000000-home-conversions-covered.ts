import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_enrollments_flow_ended` gains `entered_at`. The journeys home counts a window's conversions
 * among the journeys entered in that window (persistence/flow-stats.ts, docs/designer.md): with
 * (flow_id, status, updated_at) alone each completed journey of the range was a table read for its
 * entry, and GET /api/home went from ~50 to ~500 ms at 650,000 finished journeys (bench/home); with
 * the entry in the index the count is read from the index alone, as before. Only an ended journey
 * is in the index, so the engine's steps still pay nothing for it.
 */
export class HomeConversionsCovered1766100000000 implements MigrationInterface {
  name = 'HomeConversionsCovered1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_flow_ended"');
    await q.query(`CREATE INDEX "ix_enrollments_flow_ended" ON "enrollments" ("flow_id", "status", "updated_at", "entered_at") WHERE "status" <> 'active'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_enrollments_flow_ended"');
    await q.query(`CREATE INDEX "ix_enrollments_flow_ended" ON "enrollments" ("flow_id", "status", "updated_at") WHERE "status" <> 'active'`);
  }
}
