import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildReport, decideWinner } from '../../server/src/core/experiment/report.js';
import { ExperimentSchema } from '../../server/src/core/experiment/schema.js';
import { DecisionCodesBackfill1765002530000 } from '../../server/src/persistence/migrations/1765002530000-decision-codes-backfill.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('migrations on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  it('creates the foundation tables and leaves nothing pending', async () => {
    const runner = db.dataSource.createQueryRunner();
    for (const t of ['customers', 'orders', 'customer_events', 'customer_facts', 'flows', 'flow_versions', 'enrollments', 'journey_steps', 'sends', 'split_assignments']) expect(await runner.hasTable(t)).toBe(true);
    await runner.release();
    expect(await db.dataSource.showMigrations()).toBe(false);
  });

  it('1765002530000 gives the decisions recorded before codes their code and figures once, from the stored report, and leaves a reason it cannot match', async () => {
    const arm = (id: string, assigned: number, responders: number) => ({ arm: id, weight: 50, holdout: false, assigned, exposed: assigned, responders, revenue: 0, messageCost: {}, couponCost: 0 });
    const x = ExperimentSchema.parse({ id: 'x', window: '7d', responses: [{ event: 'order_paid' }] });
    const report = buildReport({ experimentId: 'x', flowId: 'f', nodeId: 'ab' }, x, [arm('a', 200, 80), arm('b', 200, 20)], 'b');
    const d = decideWinner(report, 'b');
    // Rows as a server before 1765001900000 wrote them: code and figures null.
    const row = (node: string, reason: string) => ({ sql: 'INSERT INTO experiment_decisions (flow_id, node_id, experiment_id, arm, winner, reason, report, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', params: ['f', node, 'x', d.arm, dialect === 'sqlite' ? 1 : true, reason, JSON.stringify(report), 1] });
    await executeBatch(db.dataSource, [row('ab', d.reason), row('by-hand', 'picked by hand')]);
    const runner = db.dataSource.createQueryRunner();
    await new DecisionCodesBackfill1765002530000().up(runner);
    await new DecisionCodesBackfill1765002530000().up(runner); // once is enough; again changes nothing
    await runner.release();
    const rows = await queryRows(db.dataSource, "SELECT node_id, code, figures FROM experiment_decisions WHERE flow_id = 'f' ORDER BY node_id");
    expect(rows.map((r) => [r.node_id, r.code, r.figures === null ? null : JSON.parse(String(r.figures))])).toEqual([
      ['ab', 'winner', d.figures],
      ['by-hand', null, null],
    ]);
  });
});
