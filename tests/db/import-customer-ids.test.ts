import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * An order import keeps its customers' ids from batch to batch (SQLite: CustomerIdCache). If
 * anyone else wrote between two batches — another connection (the server's engine thread, another
 * process) or this one (a request on the server's connection) — the ids are read again: an order
 * goes to the customer who has its customer id WHEN its batch is written, as without the cache.
 * Here a customer's external id moves to a new customer between two batches of one import.
 */
const NOW = Date.parse('2026-02-01T00:00:00Z');
const TZ = 'Asia/Shanghai';
const T0 = Date.parse('2025-03-01T00:00:00Z');

type Raw = { prepare(sql: string): { run(...p: unknown[]): unknown; get(...p: unknown[]): unknown; all(...p: unknown[]): unknown[] } };

describe('customer ids across the batches of an order import (SQLite)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: ['externalId,name\nm1,A\nm2,B\nw1,C\nw2,D\n'], file: 'customers.csv', timezone: TZ, clock: fixedClock(NOW) });
  });
  afterAll(async () => db?.close());

  /** The customer `externalId` becomes `<externalId>-old`; a new customer (a new id) takes its external id. */
  const moveExternalId = (raw: Raw, externalId: string) => {
    raw.prepare('UPDATE customers SET external_id = ? WHERE external_id = ?').run(`${externalId}-old`, externalId);
    raw.prepare('INSERT INTO customers (external_id, name, tags, consent, attributes, created_at, updated_at) SELECT ?, name, tags, consent, attributes, created_at, updated_at FROM customers WHERE external_id = ?').run(externalId, `${externalId}-old`);
  };
  /** The order's customer (external id) and the order count in that customer's facts. */
  const ownerOf = (raw: Raw, orderId: string) =>
    raw.prepare('SELECT c.external_id AS customer, f.order_count AS orders FROM orders o JOIN customers c ON c.id = o.customer_id LEFT JOIN customer_facts f ON f.customer_id = c.id WHERE o.external_id = ?').get(orderId);

  const importInBatches = (batchSize: number, lines: string[], betweenBatches: () => void) => {
    let batches = 0;
    return importRows(db.dataSource, {
      kind: 'orders',
      format: 'csv',
      source: [['externalId,customerExternalId,status,amount,createdAt,paidAt,promotion,items', ...lines].join('\n') + '\n'],
      file: 'orders.csv',
      timezone: TZ,
      clock: fixedClock(NOW),
      batchSize,
      // Called after each batch has committed and before the next one is written.
      onRows: () => {
        if (++batches === 1) betweenBatches();
      },
    });
  };

  it('reads the ids again after another connection changed the customers', async () => {
    const other = await openDatabase(db.target);
    try {
      // Batches of two: x1 and x3, then x2 and x4.
      const r = await importInBatches(2, [`x1,m1,paid,10,${T0},${T0},,s1:dress`, `x3,m9,paid,30,${T0 + 2},${T0 + 2},,s3:dress`, `x2,m1,paid,20,${T0 + 1},${T0 + 1},,s2:dress`, `x4,m9,paid,40,${T0 + 3},${T0 + 3},,s4:dress`], () => {
        const raw = rawSqlite(other) as unknown as Raw;
        moveExternalId(raw, 'm1');
        raw.prepare('INSERT INTO customers (external_id, name, tags, consent, attributes, created_at, updated_at) SELECT ?, name, tags, consent, attributes, created_at, updated_at FROM customers WHERE external_id = ?').run('m9', 'm2');
      });
      // x3 came before m9 existed (a row error naming it), x4 after.
      expect(r).toMatchObject({ rows: 4, created: 3, failed: 1 });
      expect(r.errors).toEqual([{ line: 3, field: 'customerExternalId', message: expect.stringContaining('"m9"') }]);
    } finally {
      await other.destroy();
    }
    const raw = rawSqlite(db.dataSource) as unknown as Raw;
    expect(ownerOf(raw, 'x1')).toEqual({ customer: 'm1-old', orders: 1 });
    expect(ownerOf(raw, 'x2')).toEqual({ customer: 'm1', orders: 1 });
    expect(ownerOf(raw, 'x4')).toEqual({ customer: 'm9', orders: 1 });
  });

  it('reads the ids again after a write on the importing connection itself', async () => {
    const raw = rawSqlite(db.dataSource) as unknown as Raw;
    const r = await importInBatches(1, [`y1,w1,paid,10,${T0},${T0},,s1:dress`, `y2,w1,paid,20,${T0 + 1},${T0 + 1},,s2:dress`, `y3,w2,paid,30,${T0 + 2},${T0 + 2},,s3:dress`], () => moveExternalId(raw, 'w1'));
    expect(r).toMatchObject({ rows: 3, created: 3, failed: 0 });
    expect(ownerOf(raw, 'y1')).toEqual({ customer: 'w1-old', orders: 1 });
    expect(ownerOf(raw, 'y2')).toEqual({ customer: 'w1', orders: 1 });
    expect(ownerOf(raw, 'y3')).toEqual({ customer: 'w2', orders: 1 });
  });
});
