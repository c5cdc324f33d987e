import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `experiment_decisions.code` and `.figures` (JSON): a test-then-roll-out decision as programs read
 * it (core/experiment/winner-decision.ts), beside the English `reason` written from them. Rows
 * decided before keep both null; experiment-store.ts reads their code back from the stored report
 * when deciding it again gives the very reason recorded.
 */
export class DecisionCodes1765001900000 implements MigrationInterface {
  name = 'DecisionCodes1765001900000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE experiment_decisions ADD COLUMN code varchar(64)');
    await q.query('ALTER TABLE experiment_decisions ADD COLUMN figures text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE experiment_decisions DROP COLUMN figures');
    await q.query('ALTER TABLE experiment_decisions DROP COLUMN code');
  }
}
