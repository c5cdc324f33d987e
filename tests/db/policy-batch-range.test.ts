import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PolicySchema } from '../../server/src/core/policy/schema.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { PolicyStore } from '../../server/src/persistence/policy-store.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, TZ } from '../support/shop-fixtures.js';

const T0 = Date.parse('2026-11-02T02:00:00Z');
const policy = PolicySchema.parse({ giveUp: { after: 3, within: '30d' }, suppression: { lists: ['do-not-contact'] } });

/**
 * A stepping batch's customers are walked in id order, so the policy's reads of them (external ids
 * for block lists, last orders for give-up, touches) take one id range on SQLite instead of an IN
 * list of ~1,000 placeholders; customers inside the range but outside the batch are left out.
 */
describe.each(DIALECTS)('the contact policy reads a dense batch of customers (%s)', (dialect) => {
  let db: TestDatabase;
  let ids: number[];
  let batch: number[];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    ids = await addCustomers(db.dataSource, Array.from({ length: 40 }, (_, i) => ({ externalId: i === 4 ? 'outside-but-listed' : i === 7 ? 'inside-and-listed' : `c-${i}` })), T0 - 1000);
    batch = ids.filter((_, i) => i !== 4); // dense, with a gap: the listed customer at index 4 is not stepped
  });
  afterAll(async () => db?.close());

  // First: the statements are prepared (and seen) by the first read of their text.
  if (dialect === 'sqlite') {
    it('reads them by one id range, not an IN list per customer', async () => {
      const store = new PolicyStore(db.dataSource, { timezone: TZ, policy: () => policy, list: () => new Set() });
      const raw = rawSqlite(db.dataSource) as unknown as { prepare(sql: string): unknown };
      const prepare = raw.prepare;
      const seen: string[] = [];
      raw.prepare = (sql: string) => (seen.push(sql), prepare.call(raw, sql));
      try {
        await BatchUnit.run(db.dataSource, { customerIds: batch, enrollmentIds: [] }, (unit) => store.standing(unit, batch, policy, T0));
      } finally {
        raw.prepare = prepare;
      }
      expect(seen.find((s) => s.includes('FROM customers'))).toMatch(/WHERE id BETWEEN \? AND \?/);
      expect(seen.find((s) => s.includes('FROM customer_facts'))).toMatch(/WHERE customer_id BETWEEN \? AND \?/);
    });
  }

  it('answers for the batch’s customers only, block lists included', async () => {
    const store = new PolicyStore(db.dataSource, { timezone: TZ, policy: () => policy, list: () => new Set(['outside-but-listed', 'inside-and-listed']) });
    const standing = await BatchUnit.run(db.dataSource, { customerIds: batch, enrollmentIds: [] }, (unit) => store.standing(unit, batch, policy, T0));
    expect([...standing.keys()].sort((a, b) => a - b)).toEqual(batch);
    expect(standing.get(ids[7])!.blockedBy).toBe('list:do-not-contact');
    expect([...standing.values()].filter((s) => s.blockedBy !== null)).toHaveLength(1);
  });
});
