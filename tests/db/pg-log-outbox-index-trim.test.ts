import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { claimStatement, SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const T0 = Date.parse('2026-11-11T02:00:00Z');

/**
 * Migration 1765250047316 (PostgreSQL): a worker's batch writes fewer index entries — the journey
 * log has no primary-key index (no query reads it by id), and ix_sends_due holds no send the
 * policy blocked or skipped (never due) — while every reader of those indexes keeps its plan.
 */
describe('journey log and outbox index trim (postgres)', () => {
  let db: TestDatabase;
  const q = (sql: string, params: unknown[] = []) => db.dataSource.query(sql, params) as Promise<Record<string, unknown>[]>;
  const plan = async (sql: string, params: unknown[] = []) => (await q(`EXPLAIN ${sql}`, params)).map((r) => String(Object.values(r)[0])).join('\n');
  beforeAll(async () => {
    db = await openTestDatabase('postgres');
  });
  afterAll(async () => db?.close());

  it('journey_steps has no primary key or unique index; its ids still come from the sequence, unique and in insertion order', async () => {
    expect(await q(`SELECT conname FROM pg_constraint WHERE conrelid = 'journey_steps'::regclass AND contype IN ('p', 'u')`)).toEqual([]);
    const indexes = (await q(`SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'journey_steps' ORDER BY indexname`)).map((r) => String(r.indexname));
    expect(indexes).toEqual(['ix_journey_steps_enrollment', 'ix_journey_steps_flow_at']);
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) {
      const [r] = await q(`INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome) VALUES (1, 1, 'trim', 1, 'n', $1, 'ok') RETURNING id`, [T0]);
      ids.push(Number(r.id));
    }
    expect(ids[1]).toBeGreaterThan(ids[0]);
    expect(ids[2]).toBeGreaterThan(ids[1]);
  });

  it('the log is still read by flow and by enrollment through its two indexes', async () => {
    await q('SET enable_seqscan = off');
    try {
      expect(await plan(`SELECT node_id, outcome, COUNT(*) FROM journey_steps WHERE flow_id = 'trim' GROUP BY node_id, outcome`)).toMatch(/ix_journey_steps_flow_at/);
      expect(await plan(`SELECT id, at FROM journey_steps WHERE enrollment_id = 1 ORDER BY at, id`)).toMatch(/ix_journey_steps_enrollment/);
    } finally {
      await q('RESET enable_seqscan');
    }
  });

  it('ix_sends_due leaves out blocked and skipped sends; the claim, the requeue and the live-status reads still go through it', async () => {
    const [pred] = await q(`SELECT pg_get_expr(indpred, indrelid) AS pred FROM pg_index WHERE indexrelid = 'ix_sends_due'::regclass`);
    expect(String(pred.pred)).toMatch(/status.*<> ALL.*blocked.*skipped/);
    const c = await insertCustomer(db.dataSource, { externalId: 'trim-1' });
    const queued = await insertSend(db.dataSource, { customerId: c, scheduledAt: T0 - 1_000 });
    const blocked = await insertSend(db.dataSource, { customerId: c, scheduledAt: T0 - 2_000, status: 'blocked', reason: 'capped' });
    const skipped = await insertSend(db.dataSource, { customerId: c, scheduledAt: T0 - 3_000, status: 'skipped', reason: 'no-consent:email' });
    await q('SET enable_seqscan = off');
    await q('SET enable_bitmapscan = off');
    try {
      const claim = claimStatement(false, T0, T0 + 30_000, 100);
      expect(await plan(claim.sql.replace(/\?/g, ((i) => () => `$${++i}`)(0)), claim.params)).toMatch(/Index Scan using ix_sends_due/);
      expect(await plan(`UPDATE sends SET status = 'queued' WHERE status = 'sending' AND next_attempt_at <= $1`, [T0])).toMatch(/ix_sends_due/);
      expect(await plan(`SELECT flow_id, COUNT(*) FROM sends WHERE status IN ('queued', 'sending', 'sent') AND scheduled_at >= $1 GROUP BY flow_id`, [0])).toMatch(/ix_sends_due/);
      // Counted through the index (index-only): the held-back sends are not in it.
      const [n] = await q(`SELECT COUNT(*) AS n FROM sends WHERE status NOT IN ('blocked', 'skipped')`);
      expect(Number(n.n)).toBe(1);
    } finally {
      await q('RESET enable_seqscan');
      await q('RESET enable_bitmapscan');
    }
    const claimed = await new SqlOutboxStore(db.dataSource).claim(T0, T0 + 30_000, 10);
    expect(claimed.map((s) => s.id)).toEqual([queued]);
    expect(await sendState(db.dataSource, blocked)).toMatchObject({ status: 'blocked' });
    expect(await sendState(db.dataSource, skipped)).toMatchObject({ status: 'skipped' });
  });
});
