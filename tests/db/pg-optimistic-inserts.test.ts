import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Effect, SendRequest } from '../../server/src/core/engine/model.js';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * On PostgreSQL a batch inserts its sends and split assignments first WITHOUT `ON CONFLICT … DO
 * NOTHING` (speculative insertion costs PostgreSQL a lock and a WAL record a row). If one of those
 * rows exists after all, the batch is rolled back and run again — its reads included — with the
 * ON CONFLICT statements, so what it stores is what they store: the existing row stays, the rest
 * goes in, once.
 */
describe('optimistic inserts of a batch (postgres)', () => {
  let db: TestDatabase;
  let customers: number[];
  const send = (key: string, customerId: number): SendRequest => ({
    idempotencyKey: key,
    enrollmentId: 1,
    customerId,
    flowId: 'f',
    versionId: 1,
    nodeId: 'note',
    arm: null,
    channel: 'email',
    category: 'marketing',
    priority: 0,
    subject: null,
    body: `body of ${key}`,
    linkToken: null,
    linkUrl: null,
    couponCode: null,
    couponValue: null,
    cost: null,
    status: 'queued',
    reason: null,
    scheduledAt: 1000,
  });
  const assign = (customerId: number, arm: string): Effect => ({ kind: 'assign', flowId: 'f', nodeId: 'ab', customerId, arm, enrollmentId: 1, at: 1000 }) as Effect;

  /** One batch committing these effects; returns how many times its work ran. */
  async function batch(effects: Effect[]): Promise<number> {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    let runs = 0;
    await store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
      runs++;
      await s.commitStep([], effects, []);
    });
    return runs;
  }

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    customers = await addCustomers(db.dataSource, [{ externalId: 'oi-1' }, { externalId: 'oi-2' }, { externalId: 'oi-3' }], 0);
  });
  afterAll(async () => db?.close());

  it('a batch without conflicts runs once and stores its rows', async () => {
    const runs = await batch([{ kind: 'send', send: send('k1', customers[0]) }, assign(customers[0], 'a')]);
    expect(runs).toBe(1);
    expect(await db.dataSource.query(`SELECT idempotency_key, body FROM sends ORDER BY idempotency_key`)).toEqual([{ idempotency_key: 'k1', body: 'body of k1' }]);
    expect(await db.dataSource.query(`SELECT customer_id, arm FROM split_assignments`)).toEqual([{ customer_id: customers[0], arm: 'a' }]);
  });

  it('a send whose key exists: the batch runs again with ON CONFLICT, keeps the stored row and adds the others once', async () => {
    const b = { ...send('k1', customers[0]), body: 'a second body' };
    const runs = await batch([{ kind: 'send', send: b }, { kind: 'send', send: send('k2', customers[1]) }, assign(customers[1], 'b')]);
    expect(runs).toBe(2);
    expect(await db.dataSource.query(`SELECT idempotency_key, body FROM sends ORDER BY idempotency_key`)).toEqual([
      { idempotency_key: 'k1', body: 'body of k1' },
      { idempotency_key: 'k2', body: 'body of k2' },
    ]);
    expect(await db.dataSource.query(`SELECT customer_id, arm FROM split_assignments ORDER BY customer_id`)).toEqual([
      { customer_id: customers[0], arm: 'a' },
      { customer_id: customers[1], arm: 'b' },
    ]);
  });

  it('an assignment that exists (or one listed twice in a batch) keeps the first arm', async () => {
    const runs = await batch([assign(customers[0], 'b'), assign(customers[2], 'a'), assign(customers[2], 'b')]);
    expect(runs).toBe(2);
    expect(await db.dataSource.query(`SELECT customer_id, arm FROM split_assignments ORDER BY customer_id`)).toEqual([
      { customer_id: customers[0], arm: 'a' },
      { customer_id: customers[1], arm: 'b' },
      { customer_id: customers[2], arm: 'a' },
    ]);
  });

  it('any other error still fails the batch, without a second run', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    let runs = 0;
    await expect(
      store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
        runs++;
        await s.commitStep([], [{ kind: 'send', send: { ...send('k3', customers[0]), channel: 'x'.repeat(40) as never } }], []);
      }),
    ).rejects.toThrow();
    expect(runs).toBe(1);
    expect(await db.dataSource.query(`SELECT count(*)::int AS n FROM sends WHERE idempotency_key = 'k3'`)).toEqual([{ n: 0 }]);
  });
});
