import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { claimStatement, SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend, sendState } from '../support/outbox-fixtures.js';

const T0 = Date.parse('2026-11-11T02:00:00Z');

/**
 * The dispatcher claims due sends 100 at a time. With a Double-11 group queued (hundreds of
 * thousands of rows, many scheduled for after quiet hours) a claim must read the first due rows
 * off an index, not sort the whole outbox each time.
 */
describe.each(DIALECTS)('outbox claim on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('claims the sends that fell due first, retries by their retry time, and never one scheduled for later', async () => {
    const ds = db.dataSource;
    const c = await insertCustomer(ds, { externalId: 'claim-order-1' });
    const later = await insertSend(ds, { customerId: c, scheduledAt: T0 + 3_600_000 });
    const newest = await insertSend(ds, { customerId: c, scheduledAt: T0 - 1_000 });
    const oldest = await insertSend(ds, { customerId: c, scheduledAt: T0 - 60_000 });
    const retryDue = await insertSend(ds, { customerId: c, scheduledAt: T0 - 120_000, nextAttemptAt: T0 - 30_000, attempts: 1 });
    const retryLater = await insertSend(ds, { customerId: c, scheduledAt: T0 - 120_000, nextAttemptAt: T0 + 60_000, attempts: 1 });
    const store = new SqlOutboxStore(ds);

    const first = await store.claim(T0, T0 + 30_000, 2);
    expect(first.map((s) => s.id).sort((a, b) => a - b)).toEqual([oldest, retryDue].sort((a, b) => a - b));
    const second = await store.claim(T0, T0 + 30_000, 10);
    expect(second.map((s) => s.id)).toEqual([newest]);
    expect(await sendState(ds, later)).toMatchObject({ status: 'queued', attempts: 0 });
    expect(await sendState(ds, retryLater)).toMatchObject({ status: 'queued', attempts: 1 });
  });

  if (dialect === 'sqlite') {
    it('reads the due rows off ix_sends_due and updates them by primary key, without sorting or walking the queue', async () => {
      const { sql, params } = claimStatement(true, T0, T0 + 30_000, 100);
      const plan = (await db.dataSource.query(`EXPLAIN QUERY PLAN ${sql}`, params)) as { detail: string }[];
      const details = plan.map((p) => p.detail);
      expect(details.join(' | ')).not.toMatch(/TEMP B-TREE/);
      expect(details).toContainEqual(expect.stringMatching(/USING INDEX ix_sends_due \(status=\? AND <expr><\?\)/));
      expect(details).toContainEqual(expect.stringMatching(/USING INTEGER PRIMARY KEY \(rowid=\?\)/));
    });
  }
});
