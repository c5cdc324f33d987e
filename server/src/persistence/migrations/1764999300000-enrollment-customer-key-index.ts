import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `ix_enrollments_customer` becomes (customer_id, journey_key), on both dialects. Re-entry history
 * (journey-store.ts entryHistory) asks, for a candidate with a journey key, only about that
 * customer's entries with that key (core/engine/entry-policy.ts mayEnter looks at no other); with
 * the key in the index that is one seek returning nothing in the usual case, instead of reading
 * every enrollment of the customer from the table (a payment reminder per order: a customer has
 * one per order ever placed). Measured under bench/events' batch load: the history read was ~a
 * third of the engine thread. Every reader of the old index (a customer's enrollments: waking
 * them, the due walk's customer ranges, the journey report) uses its customer_id prefix; the due
 * walk's dense read no longer asks SQL for (customer_id, id) order, which this index does not
 * give without a sort (journey-store.ts dueEnrollments sorts the batch in JS). An enrolment still
 * puts one entry into it.
 */
export class EnrollmentCustomerKeyIndex1764999300000 implements MigrationInterface {
  name = 'EnrollmentCustomerKeyIndex1764999300000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS "ix_enrollments_customer"');
    await q.query('CREATE INDEX "ix_enrollments_customer" ON "enrollments" ("customer_id", "journey_key")');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP INDEX IF EXISTS "ix_enrollments_customer"');
    await q.query('CREATE INDEX "ix_enrollments_customer" ON "enrollments" ("customer_id")');
  }
}
