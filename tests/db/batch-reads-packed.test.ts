import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { rawRowToCustomer } from '../../server/src/persistence/customer-mapper.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';
import type { Enrollment, SendRequest } from '../../server/src/core/engine/model.js';
import type { PolicyRequest } from '../../server/src/core/policy/review.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';
import { BatchUnit } from '../../server/src/persistence/batch-unit.js';
import { rowToEnrollment, SEND_COLUMNS, TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { PolicyStore } from '../../server/src/persistence/policy-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { recordPreparedStatements } from '../support/prepared-statements.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const AT = 1_793_494_800_000;
const N = 40; // a dense batch (≥ 32 customers in a narrow id range): the range reads

/**
 * A batch's facts and due enrollments on SQLite are read as one packed JSON text
 * (persistence/packed-rows.ts) instead of row by row; they must be what a plain SELECT gives,
 * doubles to the last bit and NULLs included. So are the contact policy's touches (sends) of the
 * batch's customers. PostgreSQL reads them as before.
 */
describe.each(DIALECTS)('a batch reads its facts and due enrollments (%s)', (dialect) => {
  let db: TestDatabase;
  let customers: number[] = [];
  let prepared: string[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    if (dialect === 'sqlite') prepared = recordPreparedStatements(db.dataSource);
    customers = await addCustomers(db.dataSource, Array.from({ length: N }, (_, i) => ({ externalId: `pk-${i}`, tags: i % 2 ? ['vip', '老客'] : [] })), 0);
    const odd = [0.1 + 0.2, 1 / 3, 123456789.12345679, 5e-324, 1e300, 149];
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({
        sql: 'UPDATE customer_facts SET total_spent = ?, p_alive = ?, expected_purchases = ?, last_order_at = ?, categories = ?, consent_sms = ? WHERE customer_id = ?',
        params: [odd[i % odd.length], i % 3 ? odd[(i + 1) % odd.length] : null, i % 4 ? null : 2.5, i % 5 ? AT - i * 86_400_000 : null, i % 2 ? '|dress|鞋|' : '', i % 3 === 0 ? 1 : 0, c],
      })),
    );
    await executeBatch(db.dataSource, [{ sql: `INSERT INTO flows (id, status, current_version_id, last_run_at, updated_at) VALUES ('f', 'active', 1, NULL, 0)`, params: [] }]);
    await executeBatch(
      db.dataSource,
      customers.map((c, i) => ({
        sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, wake_at, step_count, arm, entry_key, updated_at, group_label)
              VALUES ('f', 1, ?, ?, 'wait', 'active', ?, ?, ?, ?, ?, ?, 0, ?)`,
        params: [c, i % 2 ? `order-${i}` : '', AT - 5, AT - 3, i % 7 ? AT - 1 : AT + 10, i, i % 2 ? 'a' : null, `k-${i}`, i % 3 ? 'g-1' : null],
      })),
    );
  });
  afterAll(async () => db?.close());

  it('gives the facts a plain SELECT gives', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const got = await store.facts(customers, AT);
    const plain = await queryRows(db.dataSource, 'SELECT * FROM customer_facts ORDER BY customer_id');
    const ctx = { at: AT, timezone: defaultShopConfig.timezone, lifecycle: defaultShopConfig.lifecycle };
    expect(got.size).toBe(N);
    for (const r of plain) expect(got.get(Number(r.customer_id))).toEqual(deriveFacts(decodeFacts(r), ctx));
    // The doubles themselves, bit for bit.
    expect(customers.map((c) => got.get(c)!.totalSpent)).toEqual(plain.map((r) => Number(r.total_spent)));
    if (dialect === 'sqlite') expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM customer_facts WHERE customer_id BETWEEN/s.test(s))).toBe(true);
  });

  it('gives the due enrollments a plain SELECT gives, in customer order', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const got = await store.dueEnrollments(AT, 1000, null);
    const plain = (await queryRows(db.dataSource, `SELECT * FROM enrollments WHERE wake_at <= ? ORDER BY customer_id, id`, [AT])).map(rowToEnrollment);
    expect(plain.length).toBeGreaterThan(30);
    expect(got).toEqual(plain);
    // Re-read by id (a sparse batch, a worker's job): the same rows.
    expect(await store.reloadDue(got.map((e) => e.id).reverse(), AT)).toEqual(plain);
    if (dialect === 'sqlite') {
      expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM enrollments e WHERE e\.customer_id BETWEEN/s.test(s))).toBe(true);
      expect(prepared.some((s) => /json_group_array\(json_array\(.*FROM enrollments e WHERE e\.id IN/s.test(s))).toBe(true);
    }
  });

  it('gives only the facts a batch names, each as deriving every fact gives it, read from only their columns', async () => {
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const all = await store.facts(customers, AT);
    for (const names of [['aov', 'lastOrderAt'], ['categoriesLastSeason', 'consentSms', 'daysUntilSleeping', 'double11Missed', 'lifecycleStage', 'nonDouble11OrderCount', 'pAlive', 'tags', 'totalSpent']]) {
      const some = await store.facts(customers, AT, names);
      expect(some.size).toBe(N);
      for (const c of customers) {
        const f = some.get(c)!;
        for (const n of names) expect(f[n]).toEqual(all.get(c)![n]);
        // SQLite derives the named ones only; PostgreSQL reads them all, as before.
        if (dialect === 'sqlite') expect(Object.keys(f).sort()).toEqual([...names].sort());
      }
    }
    if (dialect === 'sqlite') {
      expect(prepared).toContainEqual(expect.stringMatching(/json_group_array\(json_array\(customer_facts\.customer_id, customer_facts\.last_order_at, customer_facts\.order_count, customer_facts\.total_spent\)\)/));
    }
  });

  it("plans a tick's due enrollments in customer order, whatever order they fell due in", async () => {
    // Due at several instants, so the wake index's order (wake_at, customer_id) is not the customer order.
    await executeBatch(db.dataSource, [{ sql: `UPDATE enrollments SET wake_at = CAST(? AS BIGINT) - (customer_id * 7919) % 13 WHERE wake_at <= ?`, params: [AT, AT] }]);
    const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
    const plain = (await queryRows(db.dataSource, `SELECT * FROM enrollments WHERE status = 'active' AND wake_at <= ? ORDER BY customer_id, id`, [AT])).map(rowToEnrollment);
    const walked: Enrollment[] = [];
    // Batches of 4: each read by id from the plan (reloadDue), so the batches' order is the plan's.
    for (let batch = await store.dueEnrollments(AT, 4, null); batch.length > 0; ) {
      walked.push(...batch);
      const last = batch[batch.length - 1];
      batch = await store.dueEnrollments(AT, 4, { customerId: last.customerId, id: last.id });
    }
    expect(plain.length).toBeGreaterThan(30);
    expect(new Set(plain.map((e) => e.wakeAt)).size).toBeGreaterThan(5);
    expect(walked).toEqual(plain);
  });

  it("gives the batch's customers a plain SELECT gives, deleted ones left out, without the columns a customer does not carry", async () => {
    const gone = customers[N - 1];
    await executeBatch(db.dataSource, [{ sql: 'UPDATE customers SET deleted_at = ? WHERE id = ?', params: [AT, gone] }]);
    try {
      const store = new TypeOrmJourneyStore(db.dataSource, defaultShopConfig);
      const got = await store.customers([...customers].reverse());
      const plain = (await queryRows(db.dataSource, 'SELECT * FROM customers WHERE deleted_at IS NULL ORDER BY id')).map(rawRowToCustomer);
      expect(plain.length).toBe(N - 1);
      expect([...got.values()].sort((a, b) => a.id - b.id)).toEqual(plain);
      expect(got.has(gone)).toBe(false);
      expect(got.get(customers[1])?.tags).toEqual(['vip', '老客']);
      if (dialect === 'sqlite') {
        const read = prepared.filter((s) => /FROM customers WHERE id BETWEEN/.test(s));
        expect(read.length).toBeGreaterThan(0);
        for (const s of read) expect(s).not.toMatch(/\*|created_at|updated_at/);
      }
    } finally {
      await executeBatch(db.dataSource, [{ sql: 'UPDATE customers SET deleted_at = NULL WHERE id = ?', params: [gone] }]);
    }
  });

  it("counts the batch's customers' touches the policy reads (a cap of one SMS a day)", async () => {
    const [touched, fresh] = customers;
    const row = (customerId: number, key: string, status: string, sentAt: number | null) => {
      const v: Record<string, unknown> = { idempotency_key: key, enrollment_id: 0, customer_id: customerId, flow_id: 'f', version_id: 1, node_id: 'n', arm: null, channel: 'sms', category: 'marketing', priority: 50, subject: null, body: '你好', link_token: null, link_url: null, coupon_code: null, coupon_value: null, cost: null, status, reason: null, attempts: 0, next_attempt_at: null, scheduled_at: AT - 3_600_000, campaign: 'c', group_label: null };
      return { sql: `INSERT INTO sends (${SEND_COLUMNS.join(', ')}, sent_at) VALUES (${SEND_COLUMNS.map(() => '?').join(', ')}, ?)`, params: [...SEND_COLUMNS.map((c) => v[c]), sentAt] };
    };
    // A delivered SMS an hour ago for one customer; a blocked one (not a touch) for the other.
    await executeBatch(db.dataSource, [row(touched, 'touch-1', 'sent', AT - 3_000_000), row(fresh, 'touch-2', 'blocked', null)]);
    const policy = PolicySchema.parse({ caps: [{ id: 'one-sms-a-day', max: 1, channels: ['sms'], window: '24h' }] });
    const store = new PolicyStore(db.dataSource, { timezone: defaultShopConfig.timezone, policy: () => policy });
    const request = (customerId: number): { request: PolicyRequest; send: SendRequest } => ({
      request: { key: `k-${customerId}`, customerId, category: 'marketing', priority: 50, campaign: 'c', options: [{ channel: 'sms', unavailable: null }], flowCaps: [], multiTouchShare: null, onCapped: 'skip', expiresAt: null, urgent: false },
      send: {} as SendRequest,
    });
    const verdicts = await BatchUnit.run(db.dataSource, { customerIds: [touched, fresh], enrollmentIds: [] }, (unit) =>
      store.within(unit, [touched, fresh]).review([request(touched), request(fresh)], AT + 3_600_000 * 2),
    );
    expect(verdicts.get(`k-${touched}`)?.reason).toMatch(/one-sms-a-day/);
    expect(verdicts.get(`k-${fresh}`)?.status).toBe('queued');
    if (dialect === 'sqlite') expect(prepared.some((s) => /json_group_array\(json_array\(sends\.idempotency_key.*FROM sends WHERE customer_id IN/s.test(s))).toBe(true);
  });
});
