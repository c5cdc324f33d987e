import { Table, TableColumn, TableIndex, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Contact policy (issue 4): the campaign and group of every send (caps count by campaign; group
 * reports need the label), the group label of an enrollment (a sub-group of a capped audience),
 * and shared counters (a campaign's multi-touch customers) updated under a row lock.
 */
export class Policy1732500000000 implements MigrationInterface {
  name = 'Policy1732500000000';

  async up(q: QueryRunner): Promise<void> {
    const str = (name: string, length = 64) => new TableColumn({ name, type: 'varchar', length: String(length), isNullable: true });
    await q.addColumn('sends', str('campaign'));
    await q.addColumn('sends', str('group_label', 128));
    await q.addColumn('enrollments', str('group_label', 128));
    await q.createIndex('sends', new TableIndex({ name: 'ix_sends_campaign', columnNames: ['campaign', 'customer_id'] }));
    await q.createTable(
      new Table({
        name: 'policy_counters',
        columns: [
          { name: 'key', type: 'varchar', length: '200', isPrimary: true },
          { name: 'value', type: 'integer' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('policy_counters');
    await q.dropIndex('sends', 'ix_sends_campaign');
    await q.dropColumn('enrollments', 'group_label');
    await q.dropColumn('sends', 'group_label');
    await q.dropColumn('sends', 'campaign');
  }
}
