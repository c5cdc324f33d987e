import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Experiments (issue 5): arrival counters of balanced splits (permuted blocks per stratum, exact
 * quotas) and the recorded decision of a test-then-roll-out split (which arm, and why).
 */
export class Experiments1732600000000 implements MigrationInterface {
  name = 'Experiments1732600000000';

  async up(q: QueryRunner): Promise<void> {
    const str = (name: string, length = 64) => ({ name, type: 'varchar', length: String(length) });
    await q.createTable(
      new Table({
        name: 'experiment_arrivals',
        columns: [{ ...str('flow_id'), isPrimary: true }, { ...str('node_id'), isPrimary: true }, { ...str('stratum', 128), isPrimary: true }, { name: 'arrivals', type: 'integer' }],
      }),
    );
    await q.createTable(
      new Table({
        name: 'experiment_decisions',
        columns: [
          { ...str('flow_id'), isPrimary: true },
          { ...str('node_id'), isPrimary: true },
          str('experiment_id'),
          str('arm'),
          { name: 'winner', type: 'boolean' },
          { name: 'reason', type: 'text' },
          { name: 'report', type: 'text' },
          { name: 'decided_at', type: 'bigint' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('experiment_decisions');
    await q.dropTable('experiment_arrivals');
  }
}
