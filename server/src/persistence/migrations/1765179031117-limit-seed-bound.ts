import { Table, type MigrationInterface, type QueryRunner } from 'typeorm';

/**
 * Issue 10: the journey log's last id when this migration ran, in a one-row table. A limit
 * counter seen for the first time is seeded from the journey log (1764500000000: log rows
 * written before `limit_counters` existed), but only rows up to this id can be such rows: every
 * place handed out since went through a counter, which was created (and seeded) before its first
 * place. Bounded by it, the seed of a shop created with counters counts nothing (it read every log
 * row of the flow: up to ~1.8M rows for each of Double 11's 8 limit nodes at 1M customers), and
 * an older shop's seed counts what it counted before (JourneyStore.limitCount).
 */
export class LimitSeedBound1765179031117 implements MigrationInterface {
  name = 'LimitSeedBound1765179031117';

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: 'limit_seed_bound', columns: [{ name: 'last_log_id', type: 'bigint', isPrimary: true }] }));
    await q.query('INSERT INTO limit_seed_bound (last_log_id) SELECT COALESCE(MAX(id), 0) FROM journey_steps');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('limit_seed_bound');
  }
}
