import { Table, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Publish requests (rules/shop.yaml `approval: {publish: true}`): a journey as it was asked to go
 * live, kept until an admin other than the one who asked approves or rejects it. What is approved
 * is this row's text, never whatever the draft holds by then.
 */
export class PublishRequests1766000000000 implements MigrationInterface {
  name = 'PublishRequests1766000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'publish_requests',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'flow_id', type: 'varchar', length: '64' },
          // The journey as drawn (flow file JSON) and its layout; null flow: the file on disk at `file_version`.
          { name: 'flow', type: 'text', isNullable: true },
          { name: 'layout', type: 'text', isNullable: true },
          { name: 'is_new', type: 'boolean', default: false },
          { name: 'file_version', type: 'varchar', length: '16', isNullable: true },
          { name: 'summary', type: 'text' },
          { name: 'requested_by', type: 'varchar', length: '128' },
          { name: 'requested_at', type: 'bigint' },
          { name: 'note', type: 'text', isNullable: true },
          // pending | approved | rejected | withdrawn | replaced
          { name: 'status', type: 'varchar', length: '16' },
          { name: 'decided_by', type: 'varchar', length: '128', isNullable: true },
          { name: 'decided_at', type: 'bigint', isNullable: true },
          { name: 'reason', type: 'text', isNullable: true },
          { name: 'version', type: 'integer', isNullable: true },
        ],
        indices: [new TableIndex({ name: 'ix_publish_requests_flow_status', columnNames: ['flow_id', 'status'] }), new TableIndex({ name: 'ix_publish_requests_status', columnNames: ['status', 'requested_at'] })],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('publish_requests');
  }
}
