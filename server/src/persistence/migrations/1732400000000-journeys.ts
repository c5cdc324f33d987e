import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/** Flows, immutable flow versions, enrollments, the journey log, the send log/outbox, split assignments (issue 3). */
export class Journeys1732400000000 implements MigrationInterface {
  name = 'Journeys1732400000000';

  async up(q: QueryRunner): Promise<void> {
    const id = { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' as const };
    const ms = (name: string, nullable = false) => ({ name, type: 'bigint', isNullable: nullable });
    const str = (name: string, length = 64, nullable = false) => ({ name, type: 'varchar', length: String(length), isNullable: nullable });
    const int = (name: string, nullable = false) => ({ name, type: 'integer', isNullable: nullable });

    await q.createTable(
      new Table({
        name: 'flows',
        columns: [{ ...str('id', 64), isPrimary: true }, str('status', 16), int('current_version_id', true), ms('last_run_at', true), ms('updated_at')],
      }),
    );
    await q.createTable(
      new Table({
        name: 'flow_versions',
        columns: [id, str('flow_id'), int('version'), str('hash', 64), { name: 'content', type: 'text' }, ms('published_at'), str('author', 128)],
        indices: [new TableIndex({ name: 'uq_flow_versions_flow_version', columnNames: ['flow_id', 'version'], isUnique: true })],
      }),
    );
    await q.createTable(
      new Table({
        name: 'enrollments',
        columns: [
          id,
          str('flow_id'),
          int('version_id'),
          int('customer_id'),
          str('journey_key', 128),
          str('node_id'),
          str('status', 16),
          ms('entered_at'),
          ms('node_entered_at'),
          ms('wake_at', true),
          int('step_count'),
          str('arm', 64, true),
          str('waiting_for', 256, true),
          str('exit_reason', 128, true),
          str('entry_key', 200),
          ms('updated_at'),
        ],
        indices: [
          new TableIndex({ name: 'uq_enrollments_entry', columnNames: ['flow_id', 'entry_key'], isUnique: true }),
          // The stepper walks due enrollments in customer-id order (see JourneyStore.dueEnrollments).
          new TableIndex({ name: 'ix_enrollments_due', columnNames: ['status', 'customer_id', 'id', 'wake_at'] }),
          new TableIndex({ name: 'ix_enrollments_flow_customer', columnNames: ['flow_id', 'customer_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'journey_steps',
        columns: [id, int('enrollment_id'), int('customer_id'), str('flow_id'), int('version_id'), str('node_id'), ms('at'), str('outcome', 128), { name: 'detail', type: 'text', isNullable: true }],
        indices: [
          new TableIndex({ name: 'ix_journey_steps_customer', columnNames: ['customer_id', 'at'] }),
          new TableIndex({ name: 'ix_journey_steps_enrollment', columnNames: ['enrollment_id'] }),
          new TableIndex({ name: 'ix_journey_steps_flow_node', columnNames: ['flow_id', 'node_id', 'outcome'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'sends',
        columns: [
          id,
          str('idempotency_key', 200),
          int('enrollment_id'),
          int('customer_id'),
          str('flow_id'),
          int('version_id'),
          str('node_id'),
          str('arm', 64, true),
          str('channel', 16),
          str('category', 16),
          int('priority'),
          { name: 'subject', type: 'text', isNullable: true },
          { name: 'body', type: 'text' },
          str('link_token', 32, true),
          { name: 'link_url', type: 'text', isNullable: true },
          str('coupon_code', 32, true),
          { name: 'coupon_value', type: 'double precision', isNullable: true },
          { name: 'cost', type: 'double precision', isNullable: true },
          str('status', 16),
          str('reason', 128, true),
          int('attempts'),
          ms('next_attempt_at', true),
          ms('scheduled_at'),
          ms('sent_at', true),
          str('provider_message_id', 200, true),
          { name: 'last_error', type: 'text', isNullable: true },
        ],
        indices: [
          new TableIndex({ name: 'uq_sends_idempotency_key', columnNames: ['idempotency_key'], isUnique: true }),
          new TableIndex({ name: 'uq_sends_link_token', columnNames: ['link_token'], isUnique: true }),
          new TableIndex({ name: 'ix_sends_outbox', columnNames: ['status', 'next_attempt_at'] }),
          new TableIndex({ name: 'ix_sends_customer', columnNames: ['customer_id', 'scheduled_at'] }),
          new TableIndex({ name: 'ix_sends_flow', columnNames: ['flow_id', 'node_id'] }),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: 'split_assignments',
        columns: [str('flow_id'), str('node_id'), int('customer_id'), str('arm'), int('enrollment_id'), ms('assigned_at')],
        indices: [new TableIndex({ name: 'uq_split_assignments', columnNames: ['flow_id', 'node_id', 'customer_id'], isUnique: true })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['split_assignments', 'sends', 'journey_steps', 'enrollments', 'flow_versions', 'flows']) await q.dropTable(t);
  }
}
