import { afterEach, describe, expect, it } from '@jest/globals';
import { executeBatch, insertManyOps, insertWrittenOps, queryRows } from '../../server/src/persistence/sql-batch.js';
import { shareEqualColumns } from '../../server/src/persistence/shared-values.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const opened: TestDatabase[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.close();
});

/** Journey-log rows as a node group writes them: flow, version, node and instant repeat; the rest varies. */
const COLUMNS = ['enrollment_id', 'customer_id', 'flow_id', 'version_id', 'node_id', 'at', 'outcome', 'detail', 'detail_key'];
function logRows(n: number, from: number): unknown[][] {
  return Array.from({ length: n }, (_, i) => {
    const id = from + i;
    return [id, id * 3, 'd11-流程', 1, 'ab', 1793494800000, i % 2 ? 'arm:a' : 'arm:b', i % 2 ? '{"arm":"a"}' : null, null];
  });
}
const written = (rows: unknown[][]) =>
  insertWrittenOps({ table: 'journey_steps', columns: COLUMNS }, rows.length, (params, at, i) => {
    for (let c = 0; c < COLUMNS.length; c++) params[at + c] = rows[i][c];
  });

describe("a stepping statement's columns shared by all its rows are bound once", () => {
  it('binds flow, version, node, instant and the all-null detail key once per 50-row statement, not once per row', () => {
    const ops = written(logRows(120, 1));
    expect(ops).toHaveLength(3);
    // 5 of 9 columns shared: 4 values a row, then one object of the shared ones.
    expect(ops.map((o) => o.params.length)).toEqual([50 * 4 + 1, 50 * 4 + 1, 20 * 4 + 1]);
    expect(ops[0].params[ops[0].params.length - 1]).toEqual({ c2: 'd11-流程', c3: 1, c4: 'ab', c5: 1793494800000, c8: null });
    expect(ops[0].sql).toContain('(?, ?, @c2, @c3, @c4, @c5, ?, ?, @c8)');
  });

  it('shares a value only when it is the same in every row (Object.is: 0 and -0 differ), and nothing for one row', () => {
    expect(shareEqualColumns([1, 'a', 2, 'a'], 2, 2)).toEqual({ mask: 0b10, params: [1, 2, { c1: 'a' }] });
    expect(shareEqualColumns([0, 'a', -0, 'b'], 2, 2)).toBeNull();
    expect(shareEqualColumns([NaN, null, NaN, null], 2, 2)).toEqual({ mask: 0b11, params: [{ c0: NaN, c1: null }] });
    expect(shareEqualColumns([1, 'a'], 2, 1)).toBeNull();
  });

  it('stores exactly the rows (values and storage types) the plain one-value-a-row insert stores, in the same order', async () => {
    const db = await openTestDatabase('sqlite');
    opened.push(db);
    const rows = logRows(123, 1);
    const mixed = rows.map((r, i) => (i === 77 ? [r[0], r[1], 'other-flow', 2, 'done', 1793494800001, 'exited', null, 'k1'] : r));
    await executeBatch(db.dataSource, written(mixed));
    const plain = mixed.map((r) => [Number(r[0]) + 1000, ...r.slice(1)]);
    await executeBatch(db.dataSource, insertManyOps({ table: 'journey_steps', columns: COLUMNS, rows: plain }));
    const read = (sql: string) => queryRows<Record<string, unknown>>(db.dataSource, sql);
    const cols = COLUMNS.slice(1).map((c) => `${c}, typeof(${c}) AS t_${c}`).join(', ');
    const a = await read(`SELECT ${cols} FROM journey_steps WHERE enrollment_id < 1000 ORDER BY id`);
    const b = await read(`SELECT ${cols} FROM journey_steps WHERE enrollment_id >= 1000 ORDER BY id`);
    expect(a).toHaveLength(123);
    expect(a).toEqual(b);
    const ids = await read('SELECT enrollment_id FROM journey_steps WHERE enrollment_id < 1000 ORDER BY id');
    expect(ids.map((r) => Number(r.enrollment_id))).toEqual(mixed.map((r) => r[0]));
  });
});
