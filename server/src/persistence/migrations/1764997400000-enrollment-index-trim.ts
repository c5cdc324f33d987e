import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One index entry fewer per enrollment step on PostgreSQL (issue 10, worker scale-out). Every
 * step changes an enrollment's status or wake_at, both in ix_enrollments_wake, so PostgreSQL can
 * never update it in place (HOT): each step writes a new entry into EVERY index of the table.
 * `ix_enrollments_flow_customer` (flow_id, customer_id) is one nothing needs:
 * - a flow's enrollments (`WHERE flow_id = ?`: flow reports, stopping a flow) are the leading
 *   column of `uq_enrollments_entry` (flow_id, entry_key);
 * - a flow's enrollments of some customers (re-entry history, `flow_id = ? AND customer_id IN …`)
 *   are found by `ix_enrollments_customer`: a customer has a handful of enrollments.
 * SQLite kept it here; migration 1764998500000 drops it there too.
 */
export class EnrollmentIndexTrim1764997400000 implements MigrationInterface {
  name = 'EnrollmentIndexTrim1764997400000';

  async up(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') await q.query('DROP INDEX "ix_enrollments_flow_customer"');
  }

  async down(q: QueryRunner): Promise<void> {
    if (q.connection.options.type === 'postgres') await q.query('CREATE INDEX "ix_enrollments_flow_customer" ON "enrollments" ("flow_id", "customer_id")');
  }
}
