import { Table, TableColumn, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Predicted facts (issue 13): P(alive) and expected purchases per customer from the BG/NBD model
 * (`rekindle analyse --model bgnbd`), as columns of customer_facts so rules read them like any
 * fact; and the fits themselves (parameters, calibration end, horizon).
 */
export class Predictions1764700000000 implements MigrationInterface {
  name = 'Predictions1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('customer_facts', [
      new TableColumn({ name: 'p_alive', type: 'double precision', isNullable: true }),
      new TableColumn({ name: 'expected_purchases', type: 'double precision', isNullable: true }),
    ]);
    await q.createTable(
      new Table({
        name: 'model_fits',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          { name: 'model', type: 'varchar', length: '32' },
          { name: 'fitted_at', type: 'bigint' },
          { name: 'until_at', type: 'bigint' },
          { name: 'horizon_days', type: 'integer' },
          { name: 'customers', type: 'integer' },
          { name: 'params', type: 'text' },
          { name: 'log_likelihood', type: 'double precision' },
        ],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('model_fits');
    await q.dropColumn('customer_facts', 'expected_purchases');
    await q.dropColumn('customer_facts', 'p_alive');
  }
}
