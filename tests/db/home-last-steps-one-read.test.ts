import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { experimentReportTime, experimentReportTimes } from '../../server/src/persistence/report-time.js';
import { executeBatch, insertManyOps, queryRows } from '../../server/src/persistence/sql-batch.js';
import { isSqlite, rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * The journeys home (GET /api/home) reads every listed flow's last journey step, to tell a flow a
 * simulation ran ahead of the clock (its row counts up to that step, 模拟数据) from a live one. It
 * read them with one query per flow, awaited in turn: a shop with a thousand flows (drafts,
 * simulation copies) paid a thousand round trips on each home load. Now one statement per 900 flows,
 * with the same answer per flow as the per-flow read gave.
 */
const NOW = Date.parse('2026-11-30T04:00:00Z');
const FLOWS = 1000;
const id = (i: number) => `flow-${String(i).padStart(4, '0')}`;

describe.each(DIALECTS)('the last steps of many flows in one read (%s)', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    // Flow i: no steps when i % 3 = 0, steps only before the clock when i % 3 = 1, the last one ahead when i % 3 = 2.
    const rows: unknown[][] = [];
    for (let i = 0; i < FLOWS; i++) {
      if (i % 3 === 0) continue;
      const last = i % 3 === 1 ? NOW - (i + 1) * 60_000 : NOW + (i + 1) * 60_000;
      for (const at of [last - 86_400_000, last, last - 3_600_000]) rows.push([1, 1, id(i), 1, 'n', at, 'entered']);
    }
    await executeBatch(db.dataSource, insertManyOps({ table: 'journey_steps', columns: ['enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'at', 'outcome'], rows }));
  });
  afterAll(async () => db?.close());

  const expected = (i: number) => (i % 3 === 2 ? NOW + (i + 1) * 60_000 : NOW);

  it('runs one statement per 900 flows, not one per flow', async () => {
    const ids = Array.from({ length: 950 }, (_, i) => id(i));
    // SQLite reads through statements prepared on the raw handle, each new text once (sql-batch.ts's
    // cache), so this runs first, before any chunk size was read; PostgreSQL reads through ds.query.
    const spy = isSqlite(db.dataSource) ? jest.spyOn(rawSqlite(db.dataSource), 'prepare') : jest.spyOn(db.dataSource, 'query');
    try {
      const got = await experimentReportTimes(db.dataSource, ids, NOW);
      expect(got.get(id(2))).toBe(expected(2));
      expect(spy.mock.calls.length).toBe(2);
    } finally {
      spy.mockRestore();
    }
  });

  it("gives each flow its last step ahead of the clock, or the clock, as the per-flow read did", async () => {
    const ids = Array.from({ length: FLOWS }, (_, i) => id(i));
    const got = await experimentReportTimes(db.dataSource, [...ids, 'not-a-flow', ids[5]], NOW);
    expect(got.size).toBe(FLOWS + 1);
    const wrong = ids.map((f, i) => [f, got.get(f), expected(i)]).filter(([, g, e]) => g !== e);
    expect(wrong).toEqual([]);
    expect(got.get('not-a-flow')).toBe(NOW);
    // The single-flow read the reports use says the same.
    for (const i of [0, 1, 2, 997, 998]) expect(await experimentReportTime(db.dataSource, id(i), NOW)).toBe(expected(i));
    // And both agree with the table itself.
    const truth = await queryRows<{ flow_id: string; m: number | string }>(db.dataSource, 'SELECT flow_id, MAX(at) AS m FROM journey_steps GROUP BY flow_id');
    expect(truth.filter((r) => Math.max(NOW, Number(r.m)) !== got.get(r.flow_id))).toEqual([]);
  });
});
