import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * SQLite drops `ix_enrollments_flow_customer` (flow_id, customer_id) too, as PostgreSQL did in
 * 1764997400000-enrollment-index-trim. Every enrolment of the event intake put an entry into it at
 * a random place (customers arrive in no order): on SQLite a random index insertion dirties a page
 * of its own that the commit writes to the WAL again, which made it one of the two costliest
 * index entries of an enrolment (the other, ix_enrollments_customer, serves the same reads).
 * What used it, re-entry history (`flow_id = ? AND customer_id IN …`, journey-store.ts
 * entryHistory), now goes by ix_enrollments_customer: a customer has a handful of enrollments.
 * A flow's enrollments (`flow_id = ?`) keep uq_enrollments_entry (flow_id, entry_key).
 */
export class EnrollmentFlowCustomerSqlite1764998500000 implements MigrationInterface {
  name = 'EnrollmentFlowCustomerSqlite1764998500000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') await q.query('DROP INDEX IF EXISTS "ix_enrollments_flow_customer"');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type !== 'postgres') await q.query('CREATE INDEX IF NOT EXISTS "ix_enrollments_flow_customer" ON "enrollments" ("flow_id", "customer_id")');
  }
}
