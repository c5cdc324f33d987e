import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Scale-out (issue 10): a counter row per limit node (and day, for `spread` limits) instead of
 * counting the journey log per batch. A batch locks the row it reads (PostgreSQL `FOR UPDATE`)
 * and moves it on in its own commit, so worker processes never hand out the same place twice.
 * Existing counts are seeded from the journey log the first time a counter is read.
 */
export class LimitCounters1764500000000 implements MigrationInterface {
  name = 'LimitCounters1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: 'limit_counters',
        columns: [
          { name: 'flow_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'node_id', type: 'varchar', length: '200', isPrimary: true },
          { name: 'window_start', type: 'bigint', isPrimary: true },
          { name: 'passed', type: 'integer' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('limit_counters');
  }
}
