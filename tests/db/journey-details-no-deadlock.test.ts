/**
 * Two workers' batches that name the same new shared details (a rule's "why", stored once in
 * journey_details) at the same moment, on PostgreSQL. Each batch inserted them in the order its
 * executors met them, so two batches meeting them in opposite orders locked the same keys in
 * opposite orders: `deadlock detected`, one batch failed and was retried (seen in an operator's
 * run with two workers). In key order they queue behind each other instead.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { shareDetail, type StepLog } from '../../server/src/core/engine/model.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';

describe('shared journey details written by two batches at once (PostgreSQL)', () => {
  const sources: DataSource[] = [];
  let drop: () => Promise<void>;
  beforeAll(async () => {
    const t = await freshTarget('postgres', { migrated: true });
    drop = t.drop;
    for (let i = 0; i < 2; i++) sources.push(await openDatabase(t.target));
  }, 60_000);
  afterAll(async () => {
    for (const ds of sources) await ds.destroy();
    await drop?.();
  });

  it('never deadlock when they meet the same new details in opposite orders', async () => {
    const shop = openWorkspace('rules').shop;
    const [a, b] = sources.map((ds) => new TypeOrmJourneyStore(ds, shop));
    for (let round = 0; round < 8; round++) {
      // 300 details new to the database, each a detail object of its own (as executors hand them over).
      const details = Array.from({ length: 300 }, (_, i) => ({ round, rule: `r${i}`, why: `because ${i}` }));
      const logs = (order: typeof details, enrollment: number): StepLog[] =>
        order.map((d, i) => ({ enrollmentId: enrollment + i, customerId: enrollment + i, flowId: 'f', versionId: 1, nodeId: 'n', at: 1000 + round, outcome: 'case', detail: shareDetail({ ...d }) }));
      const results = await Promise.allSettled([a.commitStep([], [], logs(details, 1)), b.commitStep([], [], logs([...details].reverse(), 100_000))]);
      expect(results.map((r) => (r.status === 'rejected' ? String((r.reason as Error).message) : 'ok'))).toEqual(['ok', 'ok']);
    }
    expect(await queryRows(sources[0], 'SELECT COUNT(*)::int AS n FROM journey_details')).toEqual([{ n: 8 * 300 }]);
  }, 60_000);
});
