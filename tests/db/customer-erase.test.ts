/**
 * Erasing a customer's personal data at their request (PIPL 删除权): a customer with messages,
 * events, coupons and a queued message is moved to the recycle bin, then erased. Their personal
 * text is gone from every table that held it, the funnel and the experiment figures are the same
 * as before, the queued message is never delivered, the audit log says who erased whom, and
 * neither restore nor a re-import brings the person back. A live customer is not erased.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LinkClicksService } from '../../server/src/api/channels/link-clicks.service.js';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import type { ChannelProvider, OutboundMessage } from '../../server/src/core/channels/provider.js';
import { fixedClock, VirtualClock } from '../../server/src/core/clock.js';
import { CHANNELS } from '../../server/src/core/data/model.js';
import type { NodeOfType } from '../../server/src/core/flow/schema.js';
import { eraseCustomer } from '../../server/src/persistence/customer-erase.js';
import { loadArmData } from '../../server/src/persistence/experiment-store.js';
import { flowFunnel } from '../../server/src/persistence/flow-report.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { restore, searchCustomers, softDelete, upsertCustomers } from '../../server/src/persistence/shop-repository.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent, TZ } from '../support/shop-fixtures.js';

const T0 = Date.parse('2027-03-01T02:00:00Z');
const HOUR = 3_600_000;
const FLOW = 'winback';
const NODES = [
  { id: 'offer', type: 'split' },
  { id: 'sms', type: 'send' },
  { id: 'done', type: 'exit' },
];
const SPLIT = {
  id: 'offer',
  type: 'split',
  arms: [
    { id: 'a', weight: 50, next: 'sms' },
    { id: 'b', weight: 50, next: 'sms' },
  ],
  experiment: { window: '7d', responses: [{ event: 'order_paid' }] },
} as unknown as NodeOfType<'split'>;

/** What must be gone: the person's words, wherever they were written. */
const PERSONAL = ['李娜', '13912345678', 'li.na@example.com', 'lina-wx', '西湖区文三路', 'u=lina', 'VIP-生日', 'li.na@bounce'];

/** Records deliveries, as a provider that would reach the person. */
class RecordingProvider implements ChannelProvider {
  readonly kind = 'recording';
  readonly delivered: OutboundMessage[] = [];
  async deliver(m: OutboundMessage) {
    this.delivered.push(m);
    return { providerMessageId: `r:${m.idempotencyKey}` };
  }
}

describe.each(DIALECTS)('erasing a customer in the recycle bin on %s', (dialect) => {
  let db: TestDatabase;
  let lina: number;
  let other: number;
  let queuedId: number;

  /** Every row of the tables that hold a customer's data, as text. */
  const dump = async (): Promise<string> => {
    const tables = ['customers', 'sends', 'customer_events', 'coupons', 'enrollments', 'journey_steps', 'split_assignments', 'audit_log', 'orders', 'customer_facts'];
    const out: string[] = [];
    for (const t of tables) out.push(JSON.stringify(await queryRows(db.dataSource, `SELECT * FROM ${t}`)));
    return out.join('\n');
  };
  /** A trigger that makes every audit write fail, to see an erase roll back whole. */
  const failAuditWrites = async (on: boolean) => {
    const sqlite = dialect === 'sqlite';
    const sql = on
      ? sqlite
        ? [`CREATE TRIGGER erase_test_fail BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit refused'); END`]
        : [
            `CREATE FUNCTION erase_test_fail() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql`,
            `CREATE TRIGGER erase_test_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION erase_test_fail()`,
          ]
      : sqlite
        ? ['DROP TRIGGER erase_test_fail']
        : ['DROP TRIGGER erase_test_fail ON audit_log', 'DROP FUNCTION erase_test_fail()'];
    for (const q of sql) await db.dataSource.query(q);
  };
  const figures = async () => ({ funnel: await flowFunnel(db.dataSource, FLOW, NODES), arms: await loadArmData(db.dataSource, FLOW, SPLIT, T0 + 10 * 24 * HOUR) });

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const ds = db.dataSource;
    [lina, other] = await addCustomers(ds, [{ externalId: 'c-lina', name: '李娜', phone: '13912345678', email: 'li.na@example.com', province: '浙江' }, { externalId: 'c-other', name: '王伟', phone: '13700000000', province: '江苏' }], T0 - 30 * 24 * HOUR);
    await executeBatch(ds, [{ sql: `UPDATE customers SET wechat_id = 'lina-wx', city = '杭州', attributes = ?, tags = ? WHERE id = ?`, params: [JSON.stringify({ address: '西湖区文三路 1 号', birthday: '1990-05-01' }), JSON.stringify(['VIP-生日']), lina] }]);

    for (const [i, [customer, arm, name]] of ([[lina, 'a', '李娜'], [other, 'b', '王伟']] as const).entries()) {
      await executeBatch(ds, [
        {
          sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at, arm) VALUES (?, 1, ?, 'j', 'done', 'exited', ?, ?, 3, ?, ?, ?)`,
          params: [FLOW, customer, T0 - HOUR, T0, `e${i}`, T0 + HOUR, arm],
        },
      ]);
      const [{ id: enrollment }] = await queryRows<{ id: number }>(ds, 'SELECT id FROM enrollments WHERE entry_key = ?', [`e${i}`]);
      await executeBatch(ds, [
        { sql: `INSERT INTO split_assignments (flow_id, node_id, customer_id, arm, enrollment_id, assigned_at) VALUES (?, 'offer', ?, ?, ?, ?)`, params: [FLOW, customer, arm, enrollment, T0] },
        { sql: `INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome) VALUES (?, ?, ?, 1, 'offer', ?, ?)`, params: [enrollment, customer, FLOW, T0, `arm:${arm}`] },
        { sql: `INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome) VALUES (?, ?, ?, 1, 'sms', ?, 'sent')`, params: [enrollment, customer, FLOW, T0] },
        { sql: `INSERT INTO journey_steps (enrollment_id, customer_id, flow_id, version_id, node_id, at, outcome) VALUES (?, ?, ?, 1, 'done', ?, 'exited:done')`, params: [enrollment, customer, FLOW, T0 + HOUR] },
        {
          sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, arm, channel, category, priority, subject, body, link_token, link_url, coupon_code, coupon_value, cost, status, attempts, scheduled_at, sent_at, last_error)
                VALUES (?, ?, ?, ?, 1, 'sms', ?, 'email', 'marketing', 0, ?, ?, ?, ?, ?, 20, 0.05, 'sent', 1, ?, ?, ?)`,
          params: [`s${i}`, enrollment, customer, FLOW, arm, `${name}，好久不见`, `${name}您好，您的 20 元券已到账`, `TOKEN${i}ABCDEFGH`, `https://shop.example/p?u=${customer === lina ? 'lina' : 'wang'}`, `CODE${i}ABCDEFGH`, T0, T0, customer === lina ? 'first try bounced: li.na@bounce' : null],
        },
        {
          sql: `INSERT INTO coupons (code, template_id, customer_id, flow_id, enrollment_id, journey_key, send_key, amount, min_spend, issued_at, expires_at, redeemed_at, redeemed_order) VALUES (?, 'back-20', ?, ?, ?, 'j', ?, 20, 199, ?, ?, ?, ?)`,
          params: [`CODE${i}ABCDEFGH`, customer, FLOW, enrollment, `s${i}`, T0, T0 + 7 * 24 * HOUR, T0 + 2 * HOUR, `o${i}`],
        },
      ]);
      await addEvent(ds, customer, 'order_paid', { orderId: `o${i}`, amount: 299, note: `送到${customer === lina ? '西湖区文三路' : '鼓楼区'}，电话 ${customer === lina ? '13912345678' : '13700000000'}` }, T0 + 2 * HOUR);
      await addEvent(ds, customer, 'coupon_redeemed', { code: `CODE${i}ABCDEFGH`, orderId: `o${i}`, amount: 20, orderAmount: 299, template: 'back-20', flowId: FLOW }, T0 + 2 * HOUR);
      await addEvent(ds, customer, 'link_clicked', { sendId: i + 1, flowId: FLOW, nodeId: 'sms', url: `https://shop.example/p?u=${customer === lina ? 'lina' : 'wang'}` }, T0 + HOUR);
    }
    // A reminder still in the outbox for 李娜, with its own coupon.
    const [{ id: enrollment }] = await queryRows<{ id: number }>(ds, 'SELECT id FROM enrollments WHERE entry_key = ?', ['e0']);
    const [{ id }] = await queryRows<{ id: number }>(
      ds,
      `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, arm, channel, category, priority, subject, body, coupon_code, coupon_value, status, attempts, scheduled_at)
       VALUES ('q0', ?, ?, ?, 1, 'sms', 'a', 'email', 'marketing', 0, '李娜，券快过期了', '李娜您好，券明天过期', 'QCODE0ABCDEFGH', 20, 'queued', 0, ?) RETURNING id`,
      [enrollment, lina, FLOW, T0 + 3 * HOUR],
    );
    queuedId = Number(id);
    await executeBatch(ds, [
      { sql: `INSERT INTO coupons (code, template_id, customer_id, flow_id, enrollment_id, journey_key, send_key, amount, min_spend, issued_at, expires_at) VALUES ('QCODE0ABCDEFGH', 'back-20', ?, ?, ?, 'j', 'q0', 20, 199, ?, ?)`, params: [lina, FLOW, enrollment, T0, T0 + 7 * 24 * HOUR] },
    ]);
  });
  afterAll(async () => db?.close());

  it('refuses to erase a customer who is not in the recycle bin, and changes nothing', async () => {
    const before = await dump();
    expect(await eraseCustomer(db.dataSource, 'c-lina', { now: T0 + 4 * HOUR, actor: 'admin-li' })).toEqual({ kind: 'not-in-bin' });
    expect(await eraseCustomer(db.dataSource, 'nobody', { now: T0 + 4 * HOUR, actor: 'admin-li' })).toEqual({ kind: 'not-found' });
    expect(await dump()).toBe(before);
  });

  it('erases the personal data of a binned customer from every table; figures, counts and the other customer unchanged', async () => {
    const ds = db.dataSource;
    const moved = await writeTransaction(ds, (m) => softDelete(m, 'c-lina', { now: T0 + 4 * HOUR, timezone: TZ }));
    expect(moved?.deletedAt).toBe(T0 + 4 * HOUR);
    // The recycle bin alone keeps everything: that is why erase exists.
    for (const p of PERSONAL) expect(await dump()).toContain(p);

    // Nothing half-written: when the last statement (the audit entry) fails, every blanked text is back.
    const binned = await dump();
    await failAuditWrites(true);
    await expect(eraseCustomer(ds, 'c-lina', { now: T0 + 5 * HOUR, actor: 'admin-li' })).rejects.toThrow(/audit refused/);
    await failAuditWrites(false);
    expect(await dump()).toBe(binned);
    const before = await figures();
    const otherBefore = JSON.stringify(await queryRows(ds, 'SELECT * FROM sends WHERE customer_id = ? ORDER BY id', [other])) + JSON.stringify(await queryRows(ds, 'SELECT * FROM customer_events WHERE customer_id = ? ORDER BY id', [other]));
    const counts = async () => Promise.all(['sends', 'customer_events', 'coupons', 'journey_steps', 'enrollments', 'orders'].map(async (t) => Number((await queryRows<{ n: number }>(ds, `SELECT COUNT(*) AS n FROM ${t}`))[0].n)));
    const countsBefore = await counts();

    const r = await eraseCustomer(ds, 'c-lina', { now: T0 + 5 * HOUR, actor: 'admin-li' });
    expect(r).toEqual({ kind: 'erased', externalId: 'c-lina', erasedAt: T0 + 5 * HOUR, again: false, sends: 2, events: 2 });

    const after = await dump();
    for (const p of PERSONAL) expect(after).not.toContain(p);
    expect(after).toContain('王伟'); // the other customer is untouched
    const [c] = await queryRows(ds, 'SELECT * FROM customers WHERE id = ?', [lina]);
    expect(c).toMatchObject({ external_id: 'c-lina', name: null, phone: null, email: null, wechat_id: null, city: null, province: '浙江', tags: '[]', attributes: '{}' });
    expect(Number(c.erased_at)).toBe(T0 + 5 * HOUR);
    expect(Number(c.deleted_at)).toBe(T0 + 4 * HOUR);
    const texts = await queryRows(ds, 'SELECT subject, body, link_url, link_token, coupon_code, cost, status FROM sends WHERE customer_id = ? ORDER BY id', [lina]);
    expect(texts).toEqual([
      { subject: '〈已删除〉', body: '〈已删除〉', link_url: '〈已删除〉', link_token: 'TOKEN0ABCDEFGH', coupon_code: 'CODE0ABCDEFGH', cost: 0.05, status: 'sent' },
      { subject: '〈已删除〉', body: '〈已删除〉', link_url: null, link_token: null, coupon_code: 'QCODE0ABCDEFGH', cost: null, status: 'queued' },
    ]);
    const events = await queryRows<{ type: string; properties: string }>(ds, 'SELECT type, properties FROM customer_events WHERE customer_id = ? ORDER BY id', [lina]);
    expect(events.map((e) => [e.type, JSON.parse(e.properties)])).toEqual([
      ['order_paid', { orderId: 'o0', amount: 299, note: '〈已删除〉' }],
      ['coupon_redeemed', { code: 'CODE0ABCDEFGH', orderId: 'o0', amount: 20, orderAmount: 299, template: 'back-20', flowId: FLOW }],
      ['link_clicked', { sendId: 1, flowId: FLOW, nodeId: 'sms', url: '〈已删除〉' }],
    ]);

    // Every figure and count as before, and nothing of the other customer changed.
    expect(await figures()).toEqual(before);
    expect(before.funnel.nodes.find((n) => n.nodeId === 'sms')).toMatchObject({ redeemed: 2 });
    expect(before.arms.map((a) => [a.arm, a.assigned, a.exposed, a.responders, a.revenue])).toEqual([
      ['a', 1, 1, 1, 299],
      ['b', 1, 1, 1, 299],
    ]);
    expect(await counts()).toEqual(countsBefore);
    expect(JSON.stringify(await queryRows(ds, 'SELECT * FROM sends WHERE customer_id = ? ORDER BY id', [other])) + JSON.stringify(await queryRows(ds, 'SELECT * FROM customer_events WHERE customer_id = ? ORDER BY id', [other]))).toBe(otherBefore);
  });

  it('writes who erased which customer and when to the audit log, not what was erased', async () => {
    const entries = await queryRows<{ actor: string; action: string; target: string; at: number; detail: string }>(db.dataSource, `SELECT actor, action, target, at, detail FROM audit_log WHERE action = 'customer-erased'`);
    expect(entries.map((e) => ({ ...e, at: Number(e.at), detail: JSON.parse(e.detail) }))).toEqual([{ actor: 'admin-li', action: 'customer-erased', target: 'customer:c-lina', at: T0 + 5 * HOUR, detail: { sends: 2, events: 2 } }]);
  });

  it('never delivers the message that was still queued', async () => {
    const provider = new RecordingProvider();
    const config = parseChannelsConfig({});
    const providers = Object.fromEntries(CHANNELS.map((c) => [c, provider])) as never;
    await new OutboxDispatcher(new SqlOutboxStore(db.dataSource), providers, new VirtualClock(T0 + 6 * HOUR), config).dispatch();
    expect(provider.delivered).toEqual([]);
    const [row] = await queryRows(db.dataSource, 'SELECT status, body FROM sends WHERE id = ?', [queuedId]);
    expect(row).toMatchObject({ status: 'blocked', body: '〈已删除〉' });
    // Its coupon is voided as for any blocked message; the one already used is not.
    const coupons = await queryRows(db.dataSource, 'SELECT code, voided FROM coupons WHERE customer_id = ? ORDER BY code', [lina]);
    expect(coupons).toEqual([
      { code: 'CODE0ABCDEFGH', voided: null },
      { code: 'QCODE0ABCDEFGH', voided: 'blocked' },
    ]);
  });

  it('cannot be found, restored or brought back by a re-import; their tracked link no longer leads anywhere', async () => {
    const ds = db.dataSource;
    const links = new LinkClicksService(ds, fixedClock(T0 + 7 * HOUR), null);
    expect(await links.follow('TOKEN0ABCDEFGH')).toBeNull();
    expect(await links.follow('TOKEN1ABCDEFGH')).toBe('https://shop.example/p?u=wang');
    for (const search of ['13912345678', '李娜', 'c-lina']) expect((await searchCustomers(ds.manager, { search, limit: 10, offset: 0 })).total).toBe(0);
    expect(await writeTransaction(ds, (m) => restore(m, 'c-lina', { now: T0 + 7 * HOUR, timezone: TZ }))).toBeNull();
    const r = await writeTransaction(ds, (m) => upsertCustomers(m, [{ externalId: 'c-lina', name: '李娜', phone: '13912345678' }, { externalId: 'c-new', name: '李娜' }], { now: T0 + 7 * HOUR, timezone: TZ }));
    expect(r.outcomes[0]).toEqual({ field: 'externalId', message: expect.stringMatching(/^customer "c-lina" had their personal data erased on 2027-03-01 .*import them under a new id$/) });
    expect(r.outcomes[1]).toBe('created');
    const [c] = await queryRows(ds, `SELECT name, phone, deleted_at FROM customers WHERE external_id = 'c-lina'`);
    expect(c).toMatchObject({ name: null, phone: null });
  });

  it('erasing again blanks what arrived since, and keeps the first erase time', async () => {
    await addEvent(db.dataSource, lina, 'survey_answered', { comment: '我是李娜' }, T0 + 8 * HOUR);
    const r = await eraseCustomer(db.dataSource, 'c-lina', { now: T0 + 9 * HOUR, actor: 'admin-li' });
    expect(r).toMatchObject({ kind: 'erased', erasedAt: T0 + 5 * HOUR, again: true, events: 1 });
    expect(await dump()).not.toContain('我是李娜');
  });
});
