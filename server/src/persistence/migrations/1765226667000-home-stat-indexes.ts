import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The journeys home (GET /api/home, persistence/flow-stats.ts) read every enrollment and every send
 * of the shop: 5–15 s a call at 650,000 journeys (bench/README, twenty-fifth wave). Four indexes let
 * each of its numbers be a range of one index, per flow:
 * - `ix_enrollments_flow_entered` (flow_id, entered_at): entries per day and in all; neither column
 *   changes once the enrollment is written, so a step never rewrites its entry (only the insert pays).
 * - `ix_enrollments_flow_ended` (flow_id, status, updated_at) WHERE status <> 'active': finished
 *   journeys (active = all − finished; conversions = the 'completed' range of the window). A step of
 *   an active journey leaves it out (its predicate is false before and after), so the engine's hot
 *   path pays only once per journey, when it ends.
 * - `ix_sends_flow_scheduled` (flow_id, scheduled_at): messages of the window; written once.
 * - `ix_sends_flow_unsent` (flow_id, scheduled_at) WHERE status NOT IN ('queued', 'sending',
 *   'sent'): the blocked and failed ones, subtracted; the outbox's queued → sending → sent moves
 *   stay outside it.
 * Why not status in an index: every step and every outbox mark sets status, and an index holding it
 * would be rewritten each time.
 */
export class HomeStatIndexes1765226667000 implements MigrationInterface {
  name = 'HomeStatIndexes1765226667000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "ix_enrollments_flow_entered" ON "enrollments" ("flow_id", "entered_at")');
    await q.query(`CREATE INDEX "ix_enrollments_flow_ended" ON "enrollments" ("flow_id", "status", "updated_at") WHERE "status" <> 'active'`);
    await q.query('CREATE INDEX "ix_sends_flow_scheduled" ON "sends" ("flow_id", "scheduled_at")');
    await q.query(`CREATE INDEX "ix_sends_flow_unsent" ON "sends" ("flow_id", "scheduled_at") WHERE "status" NOT IN ('queued', 'sending', 'sent')`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_sends_flow_unsent"');
    await q.query('DROP INDEX "ix_sends_flow_scheduled"');
    await q.query('DROP INDEX "ix_enrollments_flow_ended"');
    await q.query('DROP INDEX "ix_enrollments_flow_entered"');
  }
}
