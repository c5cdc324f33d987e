import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Two index entries fewer per step (issue 10): indexes the stepper paid for on every row but that
 * no query needs.
 * - `ix_journey_steps_customer` (customer_id, at): a customer's journey page read the log by
 *   customer, but it only shows the steps of that customer's enrollments, which
 *   `ix_enrollments_customer` and `ix_journey_steps_enrollment` find (journey-report.ts). Measured
 *   on SQLite it was half of a log row's cost (~2 µs of ~4): its entries land all over the index,
 *   one spot per customer, where the other two take each batch's rows at one place.
 * - `ix_sends_campaign` (campaign, customer_id): the contact policy reads a batch's touches by
 *   customer (`customer_id IN … AND (scheduled_at >= ? OR campaign IN …)`), which
 *   `ix_sends_customer` answers alone; nothing else reads sends by campaign.
 */
export class LogIndexTrim1764996600000 implements MigrationInterface {
  name = 'LogIndexTrim1764996600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX "ix_journey_steps_customer"');
    await q.query('DROP INDEX "ix_sends_campaign"');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('CREATE INDEX "ix_sends_campaign" ON "sends" ("campaign", "customer_id")');
    await q.query('CREATE INDEX "ix_journey_steps_customer" ON "journey_steps" ("customer_id", "at")');
  }
}
