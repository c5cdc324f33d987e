import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `event_intake_flows.skipped_paused` / `last_skipped_at`: per flow, how many of its trigger's
 * events arrived while it was paused (consumed without a journey: a paused flow does not catch up
 * on resume) and when the newest of them was stored. Before, they were dropped without a word: the
 * intake view said nothing, and an operator resuming a payment reminder could not tell that the
 * orders of the pause had no reminder (docs/engine.md, "Pausing").
 */
export class IntakeSkippedWhilePaused1765263918437 implements MigrationInterface {
  name = 'IntakeSkippedWhilePaused1765263918437';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE event_intake_flows ADD COLUMN skipped_paused bigint NOT NULL DEFAULT 0');
    await q.query('ALTER TABLE event_intake_flows ADD COLUMN last_skipped_at bigint NULL');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE event_intake_flows DROP COLUMN last_skipped_at');
    await q.query('ALTER TABLE event_intake_flows DROP COLUMN skipped_paused');
  }
}
