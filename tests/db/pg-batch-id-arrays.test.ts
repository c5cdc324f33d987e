import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * Every id array a PostgreSQL stepping batch sends (the contact policy's reads of the batch's
 * customers through `BatchUnit.inList`, the split's assignments) goes as array text written by
 * pgArrayLiteral, never as a JS array: node-postgres quotes and regex-escapes each element of
 * one (`escapeElement`: ~2.6% of a worker's stepping CPU in a profile of bench/workers).
 */
describe("a batch's id arrays are sent as array text (postgres)", () => {
  let db: TestDatabase;
  let customers: number[];

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    customers = await addCustomers(db.dataSource, [{ externalId: 'ids-1' }, { externalId: 'ids-2' }, { externalId: 'ids-3' }], 0);
    await db.dataSource.query(`INSERT INTO split_assignments (flow_id, node_id, customer_id, arm, enrollment_id, assigned_at) VALUES ('f', 'ab', $1, 'a', 1, 0), ('f', 'ab', $2, 'b', 2, 0)`, [customers[0], customers[2]]);
  });
  afterAll(async () => db?.close());

  /** The parameter lists of every statement sent to PostgreSQL while `f` runs. */
  async function sentParams<T>(f: () => Promise<T>): Promise<{ result: T; params: unknown[][] }> {
    const params: unknown[][] = [];
    const original = pg.Client.prototype.query;
    const spy = jest.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
      const [a, b] = args as [{ values?: unknown[] } | string, unknown[] | undefined];
      const values = typeof a === 'object' && a !== null && Array.isArray(a.values) ? a.values : Array.isArray(b) ? b : [];
      params.push(values);
      return (original as (...x: unknown[]) => unknown).apply(this, args) as never;
    });
    try {
      return { result: await f(), params };
    } finally {
      spy.mockRestore();
    }
  }

  it("inList's parameter is array text and reads the same rows", async () => {
    const { result, params } = await sentParams(() =>
      BatchUnit.run(db.dataSource, { customerIds: [], enrollmentIds: [] }, async (unit) => {
        const inIds = unit.inList([customers[2], customers[0]]);
        expect(inIds.params).toEqual([`{${customers[2]},${customers[0]}}`]);
        return unit.read<{ id: number }>(`SELECT id FROM customers WHERE id ${inIds.sql} ORDER BY id`, inIds.params);
      }),
    );
    expect(result.map((r) => Number(r.id))).toEqual([customers[0], customers[2]]);
    expect(params.flat().some(Array.isArray)).toBe(false);
  });

  it("a batch's split assignments are read by array text, with the same answers", async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    const { result, params } = await sentParams(() => store.inBatch({ customerIds: customers, enrollmentIds: [] }, ({ store: s }) => s.assignments('f', 'ab', [...customers, customers[0]])));
    expect(result).toEqual(new Map([[customers[0], 'a'], [customers[2], 'b']]));
    expect(params.flat().some(Array.isArray)).toBe(false);
  });
});
