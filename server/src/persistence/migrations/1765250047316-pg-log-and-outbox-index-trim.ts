import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fewer index entries per worker step on PostgreSQL (issue 10, bench/workers). A stepping batch of
 * 1,000 enrollments writes ~3,000 journey-log rows and 1,000 sends; every index entry is CPU of
 * the PostgreSQL backend (bench/README.md, twenty-fifth wave: COPY of a batch's 3,000 log rows
 * 19.4 → 16.0 ms without the key below; the sends' due index ~1.8 ms of 12.4).
 * - `journey_steps`' primary key: no query reads the log by id. Its readers go by flow
 *   (`ix_journey_steps_flow_at`: flow reports, report time, a limit counter's seed) or by
 *   enrollment (`ix_journey_steps_enrollment`: a customer's journeys, an entry's log); `id` is only
 *   sorted on after those (`ORDER BY s.at, s.id`) or filtered (`id <= last_log_id`, the seed's
 *   bound). The column stays, filled from its sequence as before, so ids stay unique and in
 *   insertion order; only the unique index, which nothing used, is gone. SQLite keeps its rowid key (free).
 * - `ix_sends_due` without the sends that are never due: a send the policy `blocked` or `skipped`
 *   is never claimed, retried or counted as waiting; the index's readers ask for `queued` or
 *   `sending` (the outbox's claim and requeue, the operations snapshot) or a list of live statuses
 *   (flow stats), all of which PostgreSQL proves inside the predicate. In a Double-11 batch most
 *   sends are held back (caps, consent): those now write no entry here. SQLite keeps the full
 *   index (its readers pass some statuses as parameters, which a partial index cannot serve there).
 */
export class PgLogAndOutboxIndexTrim1765250047316 implements MigrationInterface {
  name = 'PgLogAndOutboxIndexTrim1765250047316';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    const [pk] = (await q.query(`SELECT conname FROM pg_constraint WHERE conrelid = 'journey_steps'::regclass AND contype = 'p'`)) as { conname: string }[];
    if (pk) await q.query(`ALTER TABLE "journey_steps" DROP CONSTRAINT "${pk.conname}"`);
    await q.query('DROP INDEX "ix_sends_due"');
    await q.query(`CREATE INDEX "ix_sends_due" ON "sends" ("status", (COALESCE("next_attempt_at", "scheduled_at"))) WHERE "status" NOT IN ('blocked', 'skipped')`);
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') return;
    await q.query('DROP INDEX "ix_sends_due"');
    await q.query('CREATE INDEX "ix_sends_due" ON "sends" ("status", (COALESCE("next_attempt_at", "scheduled_at")))');
    await q.query('ALTER TABLE "journey_steps" ADD CONSTRAINT "PK_f9606bd8b186289294f39c81ed2" PRIMARY KEY ("id")');
  }
}
