import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { EnrollmentUpdate } from '../../server/src/core/engine/ports.js';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { MAX_IN, MIN_GROUP, sqliteEnrollmentUpdateOps } from '../../server/src/persistence/enrollment-updates.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const NOW = 1_793_494_800_000;
const DAY = 86_400_000;

/** A batch as bench/engine's day 1 leaves it: most on one wait in two arms, a few elsewhere. */
function batchUpdates(ids: number[]): EnrollmentUpdate[] {
  return ids.map((id, i) => {
    if (i < 3) return { id, nodeId: 'sent-alone', status: 'active', nodeEnteredAt: NOW, wakeAt: NOW + i, stepCount: 2 + i, arm: null, waitingFor: ['order_paid', 'order_cancelled'], exitReason: null };
    if (i < 6) return { id, nodeId: 'done', status: 'exited', nodeEnteredAt: NOW, wakeAt: null, stepCount: 5, arm: 'b', waitingFor: null, exitReason: 'exit:done', groupLabel: 'g-2' };
    return { id, nodeId: 'wait-1d', status: 'active', nodeEnteredAt: NOW, wakeAt: NOW + DAY, stepCount: 4, arm: i % 2 ? 'a' : 'b', waitingFor: null, exitReason: null, ...(i % 3 ? { groupLabel: 'g-1' } : {}) };
  });
}

describe('a batch of enrollment updates on SQLite, grouped by new state', () => {
  it('writes a state shared by many as id-list statements of a few padded sizes, the rest one row each', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => 5000 + i);
    const ops = sqliteEnrollmentUpdateOps(batchUpdates(ids), NOW);
    // 3 single rows + 3 exits (under MIN_GROUP) one by one; the 994 on wait-1d in 4 states (arm × label), each one list.
    const lists = ops.filter((o) => /WHERE id IN/.test(o.sql));
    expect(ops.length - lists.length).toBe(6);
    expect(lists.length).toBe(4);
    const sizes = new Set(lists.map((o) => (o.sql.match(/\?/g) ?? []).length - 10));
    for (const n of sizes) expect(n >= MIN_GROUP && n <= MAX_IN && (n & (n - 1)) === 0).toBe(true);
    // Every id written exactly once (padding repeats the list's last id within its own list only).
    const written = new Set<number>();
    for (const o of ops) for (const id of new Set(o.params.slice(10) as number[])) {
      expect(written.has(id)).toBe(false);
      written.add(id);
    }
    expect([...written].sort((a, b) => a - b)).toEqual(ids);
  });

  it('groups by state past the first eight states too, interleaved, each state one list', () => {
    // 12 states (more than the groups compared field by field), their updates interleaved, and
    // null against undefined labels: the same groups, each written once, as keys would give.
    const updates: EnrollmentUpdate[] = [];
    for (let i = 0; i < 12 * MIN_GROUP; i++) {
      const k = i % 12;
      updates.push({ id: 100_000 + i, nodeId: `n${k % 6}`, status: 'active', nodeEnteredAt: NOW, wakeAt: k < 6 ? NOW + DAY : NOW + 2 * DAY, stepCount: 1, arm: null, waitingFor: null, exitReason: null, groupLabel: i % 2 ? undefined : (null as unknown as undefined) });
    }
    const lists = sqliteEnrollmentUpdateOps(updates, NOW).filter((o) => /WHERE id IN/.test(o.sql));
    expect(lists.length).toBe(12);
    for (const o of lists) {
      const ks = new Set((o.params.slice(10) as number[]).map((id) => (id - 100_000) % 12));
      expect(ks.size).toBe(1);
      const [k] = ks;
      expect(o.params.slice(0, 4)).toEqual([`n${k % 6}`, 'active', NOW, k < 6 ? NOW + DAY : NOW + 2 * DAY]);
    }
  });

  it('never groups two different states, whatever characters their texts hold', () => {
    const base = { nodeId: 'w', status: 'active' as const, nodeEnteredAt: NOW, wakeAt: NOW + DAY, stepCount: 1, waitingFor: null, exitReason: null };
    // Pairs that a separator-joined key would have confused: a missing label against a label that
    // looks like the marker for missing, and a separator moved from one field into the next.
    const variants: Partial<EnrollmentUpdate>[] = [
      { arm: null, groupLabel: undefined },
      { arm: null, groupLabel: '\u0001' },
      { arm: null, groupLabel: '-' },
      { arm: 'a\u0000b', groupLabel: 'c' },
      { arm: 'a', groupLabel: 'b\u0000c' },
      { arm: '1:a', groupLabel: undefined },
      { arm: null, groupLabel: '1:a' },
    ];
    const updates = variants.flatMap((v, k) => Array.from({ length: MIN_GROUP }, (_, i) => ({ ...base, ...v, id: k * 1000 + i } as EnrollmentUpdate)));
    const lists = sqliteEnrollmentUpdateOps(updates, NOW).filter((o) => /WHERE id IN/.test(o.sql));
    expect(lists.length).toBe(variants.length);
    for (const o of lists) expect(new Set((o.params.slice(10) as number[]).map((id) => Math.floor(id / 1000))).size).toBe(1);
  });

  it('splits a state of more than MAX_IN enrollments into several lists', () => {
    const ids = Array.from({ length: 1300 }, (_, i) => i + 1);
    const ops = sqliteEnrollmentUpdateOps(ids.map((id) => ({ id, nodeId: 'w', status: 'active', nodeEnteredAt: NOW, wakeAt: NOW + DAY, stepCount: 1, arm: null, waitingFor: null, exitReason: null })), NOW);
    expect(ops.map((o) => o.params.length - 10)).toEqual([MAX_IN, MAX_IN, 512]); // 512 + 512 + 276 padded to 512
  });
});

/** What commitStep leaves in the enrollments is the same on both dialects, whichever statements wrote it. */
describe.each(DIALECTS)('enrollment updates of a batch (%s)', (dialect) => {
  let db: TestDatabase;
  let ids: number[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const customers = await addCustomers(db.dataSource, Array.from({ length: 120 }, (_, i) => ({ externalId: `eu-${i}` })), 0);
    await executeBatch(db.dataSource, [{ sql: `INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('f', 'active', 1, NULL, 0)`, params: [] }]);
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({
        sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, entry_key, updated_at, group_label) VALUES ('f', 1, ?, '', 'start', 'active', 0, 0, 0, 0, ?, 0, ?)`,
        params: [c, `k-${i}`, i % 3 ? null : 'old'],
      })),
    );
    ids = (await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM enrollments ORDER BY id')).map((r) => Number(r.id));
  });
  afterAll(async () => db?.close());

  it('leaves every enrollment in its own new state (labels kept where none is given)', async () => {
    const updates = batchUpdates(ids);
    const prepared: string[] = []; // SQLite: statement texts prepared (a fresh connection prepares each text once)
    const raw = dialect === 'sqlite' ? (rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown }) : null;
    const prepare = raw?.prepare;
    if (raw && prepare) raw.prepare = (sql: string) => (prepared.push(sql), prepare.call(raw, sql));
    try {
      const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
      await store.inBatch({ customerIds: [], enrollmentIds: ids }, ({ store: s }) => s.commitStep(updates, [], []));
    } finally {
      if (raw && prepare) raw.prepare = prepare;
    }
    const rows = await queryRows<Record<string, unknown>>(db.dataSource, 'SELECT id, node_id, status, wake_at, step_count, arm, waiting_for, exit_reason, group_label FROM enrollments ORDER BY id');
    expect(rows.map((r) => [Number(r.id), r.node_id, r.status, r.wake_at === null ? null : Number(r.wake_at), Number(r.step_count), r.arm, r.waiting_for, r.exit_reason, r.group_label])).toEqual(
      updates.map((u, i) => [u.id, u.nodeId, u.status, u.wakeAt, u.stepCount, u.arm, u.waitingFor ? `|${u.waitingFor.join('|')}|` : null, u.exitReason, u.groupLabel ?? (i % 3 ? null : 'old')]),
    );
    if (dialect === 'sqlite') {
      expect(prepared.filter((t) => /UPDATE (OR FAIL )?enrollments SET .* WHERE id IN \(/s.test(t)).length).toBeGreaterThan(0);
      expect(prepared.filter((t) => /UPDATE (OR FAIL )?enrollments SET .* WHERE id = \?/s.test(t)).length).toBe(1);
    }
  });
});
