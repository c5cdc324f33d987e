import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals';
import pg from 'pg';
import type { Effect, SendRequest, StepLog } from '../../server/src/core/engine/model.js';
import type { ShopConfig } from '../../server/src/core/shop-config.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { pgCopyBytes, pgCopyText } from '../../server/src/persistence/pg-copy.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

/**
 * Inside a PostgreSQL stepping batch the journey log, the sends and the split assignments go in
 * by `COPY … FROM STDIN` (pg-copy.ts) instead of `INSERT … SELECT FROM unnest(…)`: the backend's
 * CPU for those rows −35 to −47%. What is stored must be exactly what the INSERT statements
 * store, whatever the text holds (tabs, newlines, backslashes, `\N`, quotes, Chinese).
 */
describe('a batch writes its log, sends and assignments by COPY (postgres)', () => {
  let db: TestDatabase;
  let customers: number[];
  const TRICKY = ['tab\there', 'line\nbreak', 'cr\rhere', 'back\\slash', '\\N', '', 'quote " and \' and {braces,commas}', '陈丽，双十一老顾客专享', 'NULL', 'end\\'];

  const send = (key: string, customerId: number, body: string, couponValue: number | null): SendRequest => ({
    idempotencyKey: key,
    enrollmentId: 7,
    customerId,
    flowId: 'f',
    versionId: 1,
    nodeId: 'note',
    arm: body === '' ? null : 'a',
    channel: 'email',
    category: 'marketing',
    priority: 5,
    subject: body,
    body,
    linkToken: null,
    linkUrl: null,
    couponCode: null,
    couponValue,
    cost: couponValue === null ? null : 0.1,
    status: 'blocked',
    reason: `capped:${body.length}`,
    scheduledAt: 1793671200000,
  });
  const log = (customerId: number, i: number, detail: Record<string, unknown> | null): StepLog => ({ enrollmentId: 7, customerId, flowId: 'f', versionId: 1, nodeId: `n${i}`, at: 1793671200000 + i, outcome: `arm:${TRICKY[i % TRICKY.length]}`, detail });
  const effectsFor = (prefix: string, customerIds: number[]): Effect[] => [
    ...TRICKY.map((t, i) => ({ kind: 'send', send: send(`${prefix}:${i}`, customerIds[i % customerIds.length], t, [null, 1 / 3, 1e21, -0.5, 12][i % 5]) }) as Effect),
    ...customerIds.map((c, i) => ({ kind: 'assign', flowId: 'f', nodeId: `${prefix}-ab`, customerId: c, arm: TRICKY[i], enrollmentId: 7, at: 1000 + i }) as Effect),
  ];
  const logsFor = (customerIds: number[]): StepLog[] => TRICKY.map((t, i) => log(customerIds[i % customerIds.length], i, i % 3 === 0 ? null : { text: t, n: i, nested: { t } }));

  const sendsOf = (prefix: string) =>
    db.dataSource.query(
      `SELECT substr(idempotency_key, length($1) + 1) AS k, customer_id, arm, priority, subject, body, coupon_value, cost, status, reason, attempts, scheduled_at, next_attempt_at, clicked_at
         FROM sends WHERE idempotency_key LIKE $1 || '%' ORDER BY idempotency_key`,
      [`${prefix}:`],
    );
  const assignmentsOf = (prefix: string) => db.dataSource.query(`SELECT customer_id, arm, enrollment_id, assigned_at FROM split_assignments WHERE node_id = $1 ORDER BY customer_id`, [`${prefix}-ab`]);
  const logOf = (flowId: string) => db.dataSource.query(`SELECT customer_id, version_id, node_id, at, outcome, detail, detail_key FROM journey_steps WHERE flow_id = $1 ORDER BY id`, [flowId]);

  /** COPY statements sent by node-postgres clients while `f` runs. */
  async function copiesDuring(f: () => Promise<void>): Promise<string[]> {
    const spy = jest.spyOn(pg.Client.prototype, 'query');
    try {
      await f();
      return spy.mock.calls.map((c) => (c[0] as { text?: unknown }).text).filter((t): t is string => typeof t === 'string' && t.startsWith('COPY '));
    } finally {
      spy.mockRestore();
    }
  }

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    customers = await addCustomers(db.dataSource, TRICKY.map((_, i) => ({ externalId: `copy-${i}` })), 0);
  });
  afterEach(() => {
    jest.restoreAllMocks();
  });
  afterAll(async () => db?.close());

  it('stores exactly the rows the INSERT statements store (a batch by COPY against the same rows committed by statements)', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    // By statements: commitStep outside a batch runs the ops' SQL (executeBatch).
    await store.commitStep([], effectsFor('sql', customers), logsFor(customers).map((l) => ({ ...l, flowId: 'by-sql' })));
    const copies = await copiesDuring(() =>
      store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
        await s.commitStep([], effectsFor('copy', customers), logsFor(customers).map((l) => ({ ...l, flowId: 'by-copy' })));
      }),
    );
    expect(copies).toEqual([
      'COPY sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, arm, channel, category, priority, subject, body, link_token, link_url, coupon_code, coupon_value, cost, status, reason, attempts, next_attempt_at, scheduled_at, campaign, group_label) FROM STDIN',
      'COPY split_assignments (flow_id, node_id, customer_id, arm, enrollment_id, assigned_at) FROM STDIN',
      'COPY journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome, detail, detail_key) FROM STDIN',
    ]);
    const bySql = await sendsOf('sql');
    expect(bySql).toHaveLength(TRICKY.length);
    expect(await sendsOf('copy')).toEqual(bySql);
    expect(bySql.map((r: { body: string }) => r.body)).toEqual(TRICKY);
    expect(await assignmentsOf('copy')).toEqual(await assignmentsOf('sql'));
    const logBySql = await logOf('by-sql');
    expect(logBySql).toHaveLength(TRICKY.length);
    expect(await logOf('by-copy')).toEqual(logBySql);
    expect(logBySql.map((r: { outcome: string }) => r.outcome)).toEqual(TRICKY.map((t) => `arm:${t}`));
  });

  it('a COPY refused by PostgreSQL fails the batch with its error, keeps nothing, and the pool serves the next batch', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, {} as ShopConfig);
    let error: { code?: string; message?: string } | undefined;
    try {
      await store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
        await s.commitStep([], effectsFor('refused', customers), [{ ...log(customers[0], 1, null), flowId: 'refused', nodeId: 'x'.repeat(65) }]);
      });
    } catch (e) {
      error = e as typeof error;
    }
    expect(error?.code).toBe('22001'); // value too long for type character varying(64)
    expect(await sendsOf('refused')).toEqual([]);
    expect(await logOf('refused')).toEqual([]);
    // Every pooled connection still works (none was left inside a COPY or an aborted transaction).
    for (let i = 0; i < 12; i++) {
      await store.inBatch({ customerIds: customers, enrollmentIds: [] }, async ({ store: s }) => {
        await s.commitStep([], [], [{ ...log(customers[0], 1, null), flowId: `after-${i}` }]);
      });
    }
    expect(Number((await db.dataSource.query(`SELECT count(*) AS n FROM journey_steps WHERE flow_id LIKE 'after-%'`))[0].n)).toBe(12);
  });

  it('rows COPY cannot write as text (a Date) are left to the statement', () => {
    expect(pgCopyText([[1, 'a\tb', null, 2n, 0.5]], 5)).toBe('1\ta\\tb\t\\N\t2\t0.5\n');
    expect(pgCopyText([[1, new Date(0)]], 2)).toBeNull();
  });

  it('whole numbers are written as String writes them, past 2^31 too (timestamps) and at every power of ten', () => {
    // Past 10^9 the digits are written as two int32 parts (pgCopyBytes): the low part keeps its zeros,
    // and a number just below a multiple of 10^9 (whose division by 10^9 rounds up) stays exact.
    const edges = [999_999_999, 1e9, 1e9 + 1, 2 ** 31 - 1, 2 ** 31, 1_700_000_000_000, 1_793_671_200_000, 1_793_671_200_007, 10_000_000_000_001, 2 ** 53 - 1, 9_007_198_999_999_999, 8_999_999_999_999_999];
    for (let p = 1; p < 2 ** 53; p *= 10) edges.push(p - 1, p, p + 1, 7 * p + 3);
    for (let k = 1; k < 9_007_199; k = Math.ceil(k * 1.7) + 1) edges.push(k * 1e9 - 1, k * 1e9, k * 1e9 + 1);
    let seed = 7;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      edges.push(Math.floor((seed / 2 ** 31) * 2 ** (1 + (i % 53))));
    }
    const rows = [...edges, ...edges.map((n) => -n)].filter((n) => Number.isSafeInteger(n)).map((n) => [n]);
    const { buffer, length } = pgCopyBytes(rows, 1, null);
    expect(buffer.subarray(5, length - 5).toString('utf8')).toBe(rows.map(([n]) => `${String(n)}\n`).join(''));
  });

  it('the COPY message is written byte for byte as the text would encode, into a reused buffer that grows', () => {
    // Every kind of value the batches write, and the ones that need care: escapes inside Chinese text,
    // a surrogate pair, a lone surrogate, -0, 1e21 (String writes it with an exponent), unsafe integers.
    const odd = [1, -7, 0, -0, 2 ** 53 - 1, -(2 ** 53) + 1, 2 ** 53, 1e21, 1 / 3, -0.5, NaN, Infinity, 12n, true, false, null, undefined, 'é', '😀 emoji', '\ud800 lone', '中文\t双十一\\尾', ...TRICKY];
    const rows = [odd, ...Array.from({ length: 3000 }, (_, i) => [i, 1_793_671_200_000 + i, `${i}:note:1`, i % 2 ? null : '顾客，双十一', 'sent:email', ...odd.slice(0, 10)])];
    const width = odd.length;
    let scratch: Buffer | null = Buffer.allocUnsafe(16); // far too small: it must grow and keep what it holds
    for (const batch of [rows.slice(0, 1), rows, rows.slice(0, 50)]) {
      const { buffer, length } = pgCopyBytes(batch, width, scratch);
      const text = Buffer.from(pgCopyText(batch.map((r) => [...r, ...Array(width - r.length).fill(null)]), width)!, 'utf8');
      expect(buffer[0]).toBe(0x64); // CopyData
      expect(buffer.readInt32BE(1)).toBe(4 + text.length);
      expect(buffer.subarray(5, 5 + text.length).equals(text)).toBe(true);
      expect([...buffer.subarray(5 + text.length, length)]).toEqual([0x63, 0, 0, 0, 4]); // CopyDone
      scratch = buffer;
    }
  });
});
