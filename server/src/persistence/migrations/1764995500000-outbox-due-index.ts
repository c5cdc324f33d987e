import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Claiming due sends without sorting the whole outbox. `ix_sends_outbox` (status,
 * next_attempt_at) found the queued rows, but the claim orders them by id, so every claim of 100
 * sorted every queued row: 140 ms a claim with 300,000 queued (a Double-11 group queues far more),
 * quadratic over a drain. `ix_sends_due` (status, COALESCE(next_attempt_at, scheduled_at)) holds
 * them in the order they fall due: the claim reads the first due rows off the index and stops.
 * COALESCE(…) is when a queued row is due (a retry's next_attempt_at, else its scheduled_at); for a
 * `sending` row it is the lease end, which the lease recovery reads the same way.
 */
export class OutboxDueIndex1764995500000 implements MigrationInterface {
  name = 'OutboxDueIndex1764995500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_sends_outbox"');
    await q.query('CREATE INDEX "ix_sends_due" ON "sends" ("status", (COALESCE("next_attempt_at", "scheduled_at")))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_sends_due"');
    await q.query('CREATE INDEX "ix_sends_outbox" ON "sends" ("status", "next_attempt_at")');
  }
}
