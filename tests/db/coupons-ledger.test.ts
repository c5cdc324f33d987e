/**
 * The coupon ledger end to end on both databases: a message issues a random code from a template
 * of rules/coupons.yaml, the ledger keeps it with customer, journey and expiry, a later message
 * names that coupon (and is held back for a customer who never got it), and an imported order
 * that uses the code is its redemption (a coupon_redeemed event with the coupon's face value).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { inputSchemas } from '../../server/src/core/data/model.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { upsertOrders } from '../../server/src/persistence/shop-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { deliverSimulated } from '../../server/src/persistence/simulated-delivery.js';
import { sendLogRows, type SendLogRow } from '../../server/src/persistence/send-log.js';
import { DEFAULT_SIMULATED_RATES } from '../../server/src/core/channels/simulated-delivery.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent, TZ } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/** 10:00 in Shanghai on 5 Nov 2026. */
const T0 = Date.parse('2026-11-05T02:00:00Z');

const flow = FlowSchema.parse({
  id: 'winback',
  name: 'Win-back with a coupon',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, next: 'mail' },
    { id: 'mail', type: 'send', channel: 'email', subject: '券', template: '{{customer.name}}，双十一送你{{coupon.amount}}元券，满{{coupon.minSpend}}可用，{{coupon.expires}}前有效，券码{{coupon.code}}', coupon: 'd11-winback-20', next: 'wait' },
    { id: 'wait', type: 'wait', duration: '3d', next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', template: '您的{{coupon.amount}}元券（券码{{coupon.code}}，{{coupon.expires}}到期）别错过', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe.each(DIALECTS)('coupon ledger on %s', (dialect) => {
  let db: TestDatabase;
  let rt: EngineRuntime;
  let clock: VirtualClock;
  let got: number;
  let never: number;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const rules = tempDir('rekindle-coupons-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    clock = new VirtualClock(T0);
    rt = createEngineRuntime(db.dataSource, { rulesDir: rules, shop: defaultShopConfig }, clock);
    await rt.flows.publish(flow, 'test', T0 - MS_PER_HOUR);
    [got, never] = await addCustomers(db.dataSource, [{ externalId: 'got-it', name: '小王' }, { externalId: 'never', consent: { sms: true, email: false } }], T0 - MS_PER_DAY);
    await rt.engine.onEvents([await addEvent(db.dataSource, got, 'go', {}, T0), await addEvent(db.dataSource, never, 'go', {}, T0)]);
    await rt.engine.tick();
    await deliverSimulated(db.dataSource, { ...DEFAULT_SIMULATED_RATES, delivery: { ...DEFAULT_SIMULATED_RATES.delivery, email: 1, sms: 1 }, response: { ...DEFAULT_SIMULATED_RATES.response, email: 0, sms: 0 } }, T0);
    clock.set(T0 + 3 * MS_PER_DAY);
    await rt.engine.tick();
  });
  afterAll(async () => db?.close());

  const sendsOf = (id: number) => queryRows<{ node_id: string; status: string; reason: string | null; body: string; coupon_code: string | null; coupon_value: number | null }>(db.dataSource, 'SELECT node_id, status, reason, body, coupon_code, coupon_value FROM sends WHERE customer_id = ? ORDER BY id', [id]);
  const coupons = () => queryRows<Record<string, unknown>>(db.dataSource, 'SELECT * FROM coupons ORDER BY code');

  it('issues an unguessable code from the template, stored with customer, journey and expiry, and prints amount, code and expiry', async () => {
    const [c] = await coupons();
    expect(await coupons()).toHaveLength(1);
    expect(String(c.code)).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(c).toMatchObject({ template_id: 'd11-winback-20', flow_id: 'winback' });
    expect(Number(c.customer_id)).toBe(got);
    expect(Number(c.amount)).toBe(20);
    expect(Number(c.min_spend)).toBe(199);
    expect(Number(c.expires_at) - Number(c.issued_at)).toBe(10 * MS_PER_DAY);
    const [mail, sms] = await sendsOf(got);
    expect(mail.body).toBe(`小王，双十一送你20元券，满199可用，2026-11-15前有效，券码${c.code}`);
    expect(mail.coupon_code).toBe(c.code);
    expect(sms).toMatchObject({ node_id: 'sms', status: 'queued', coupon_code: c.code });
    expect(sms.body).toBe(`您的20元券（券码${c.code}，2026-11-15到期）别错过`);
  });

  it('a customer whose coupon message never went out gets no message naming a coupon (held back: no-coupon)', async () => {
    expect((await sendsOf(never)).map((s) => [s.node_id, s.status, s.reason])).toEqual([
      ['mail', 'blocked', 'no-consent:email'],
      ['sms', 'blocked', 'no-coupon'],
    ]);
  });

  it('a message held back issues no coupon and names none: its row, its text and the send-log export carry no code', async () => {
    const [mail] = await sendsOf(never);
    expect(mail).toMatchObject({ status: 'blocked', coupon_code: null });
    expect(mail.body).not.toMatch(/券码[2-9A-HJKMNP-Z]{12}/);
    // The engine stores the held-back text with stand-ins where the coupon would have been (not
    // empty holes), so the export, explain and the customer view read the same words.
    expect(mail.body).toContain('双十一送你〈券面额〉元券，满〈使用门槛〉可用，〈有效期〉前有效，券码〈券码〉');
    const [, sms] = await sendsOf(never);
    expect(sms.body).toBe('您的〈券面额〉元券（券码〈券码〉，〈有效期〉到期）别错过');
    const rows: SendLogRow[] = [];
    for await (const r of sendLogRows(db.dataSource, { flowId: 'winback' })) rows.push(r);
    expect(rows.filter((r) => r.customer_external_id === 'never').map((r) => r.body)).toEqual([mail.body, sms.body]);
    const [c] = await coupons();
    expect(rows.map((r) => [r.customer_external_id, r.node, r.status, r.coupon, r.coupon_amount, r.coupon_status])).toEqual([
      ['got-it', 'mail', 'sent', c.code, 20, 'issued'],
      ['never', 'mail', 'blocked', null, null, 'not issued'],
      ['got-it', 'sms', 'queued', c.code, null, 'issued earlier'],
      ['never', 'sms', 'blocked', null, null, null],
    ]);
    // Summed, the column is the face value of the coupons in the ledger, each once.
    expect(rows.reduce((t, r) => t + Number(r.coupon_amount ?? 0), 0)).toBe(20);
  });

  it('an order that uses the code redeems it once, for its holder, within validity and above the threshold', async () => {
    const [c] = await coupons();
    const code = String(c.code);
    const order = (externalId: string, amount: number, at: number, coupon = code, customer = 'got-it') =>
      inputSchemas(TZ).orders.parse({ externalId, customerExternalId: customer, status: 'paid', amount, createdAt: at, paidAt: at, coupon: coupon.toLowerCase() });
    const ctx = { now: T0 + 4 * MS_PER_DAY, timezone: TZ };
    await db.dataSource.transaction((m) => upsertOrders(m, [order('too-small', 120, T0 + 4 * MS_PER_DAY), order('not-yours', 300, T0 + 4 * MS_PER_DAY, code, 'never')], ctx));
    expect((await coupons())[0].redeemed_at).toBeNull();
    await db.dataSource.transaction((m) => upsertOrders(m, [order('used', 260, T0 + 4 * MS_PER_DAY), order('again', 260, T0 + 5 * MS_PER_DAY)], ctx));
    const [after] = await coupons();
    expect(after.redeemed_order).toBe('used');
    const events = await queryRows<{ customer_id: number; properties: string }>(db.dataSource, `SELECT customer_id, properties FROM customer_events WHERE type = 'coupon_redeemed'`);
    expect(events).toHaveLength(1);
    expect(Number(events[0].customer_id)).toBe(got);
    const props = typeof events[0].properties === 'string' ? JSON.parse(events[0].properties) : events[0].properties;
    expect(props).toMatchObject({ code, orderId: 'used', amount: 20, orderAmount: 260, template: 'd11-winback-20' });
  });

  it('a later message that issues the same template reminds of the coupon held, and gives one to a customer who got none', async () => {
    const both = FlowSchema.parse({
      ...flow,
      id: 'winback-both',
      nodes: flow.nodes.map((n) => (n.id === 'start' ? { ...n, trigger: { type: 'event', event: 'go-both' } } : n.id === 'sms' ? { ...n, coupon: 'd11-winback-20' } : n)),
    });
    const at = T0 + 10 * MS_PER_DAY;
    clock.set(at);
    await rt.flows.publish(both, 'test', at - MS_PER_HOUR);
    const [mailed, smsOnly, user] = await addCustomers(db.dataSource, [{ externalId: 'both-mailed', name: '小李' }, { externalId: 'both-sms-only', consent: { sms: true, email: false } }, { externalId: 'both-used' }], at - MS_PER_DAY);
    await rt.engine.onEvents(await Promise.all([mailed, smsOnly, user].map((c) => addEvent(db.dataSource, c, 'go-both', {}, at))));
    await rt.engine.tick();
    await deliverSimulated(db.dataSource, { ...DEFAULT_SIMULATED_RATES, delivery: { ...DEFAULT_SIMULATED_RATES.delivery, email: 1, sms: 1 }, response: { ...DEFAULT_SIMULATED_RATES.response, email: 0, sms: 0 } }, at);
    // One customer uses the emailed coupon before the SMS is due.
    const [usedMail] = await sendsOf(user);
    const paidAt = at + MS_PER_DAY;
    await db.dataSource.transaction((m) => upsertOrders(m, [inputSchemas(TZ).orders.parse({ externalId: 'both-used-order', customerExternalId: 'both-used', status: 'paid', amount: 300, createdAt: paidAt, paidAt, coupon: usedMail.coupon_code })], { now: paidAt, timezone: TZ }));
    clock.set(at + 3 * MS_PER_DAY);
    await rt.engine.tick();
    const held = (id: number) => queryRows<{ code: string }>(db.dataSource, 'SELECT code FROM coupons WHERE customer_id = ? ORDER BY issued_at', [id]);
    // Mailed: one coupon, named by the email and again by the SMS.
    const [mail, sms] = await sendsOf(mailed);
    expect(await held(mailed)).toEqual([{ code: mail.coupon_code }]);
    expect(sms).toMatchObject({ node_id: 'sms', status: 'queued', coupon_code: mail.coupon_code });
    // No e-mail consent: the email was held back, the SMS issued the coupon.
    const [blocked, sms2] = await sendsOf(smsOnly);
    expect([blocked.status, blocked.reason]).toEqual(['blocked', 'no-consent:email']);
    const [own, ...more] = await held(smsOnly);
    expect(more).toEqual([]);
    expect(sms2).toMatchObject({ node_id: 'sms', status: 'queued', coupon_code: own.code });
    expect(sms2.body).toContain(`券码${own.code}`);
    // Used it: no reminder of a spent coupon, and no second one.
    expect((await sendsOf(user)).map((x) => [x.node_id, x.status, x.reason])).toEqual([
      ['mail', 'sent', null],
      ['sms', 'blocked', 'coupon-used'],
    ]);
    expect(await held(user)).toHaveLength(1);
  });

  it('a message that is never delivered (simulated or real channel) voids its coupon: not held, and an order naming it redeems nothing', async () => {
    const at = T0 + 20 * MS_PER_DAY;
    clock.set(at);
    const [lost, refused] = await addCustomers(db.dataSource, [{ externalId: 'mail-lost', name: '小张' }, { externalId: 'mail-refused', name: '小赵' }], at - MS_PER_DAY);
    await rt.engine.onEvents([await addEvent(db.dataSource, lost, 'go', {}, at), await addEvent(db.dataSource, refused, 'go', {}, at)]);
    await rt.engine.tick();
    const [refusedMail] = await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM sends WHERE customer_id = ?', [refused]);
    // The real channel: the provider refused it for good (the dispatcher's markFailed).
    await db.dataSource.query(dialect === 'postgres' ? `UPDATE sends SET status = 'sending', attempts = 1 WHERE id = $1` : `UPDATE sends SET status = 'sending', attempts = 1 WHERE id = ?`, [Number(refusedMail.id)]);
    expect(await new SqlOutboxStore(db.dataSource).markFailed(Number(refusedMail.id), 1, 'smtp 550 no such mailbox (not retryable)')).toBe(true);
    // The simulated channel: nothing delivered.
    await deliverSimulated(db.dataSource, { ...DEFAULT_SIMULATED_RATES, delivery: { ...DEFAULT_SIMULATED_RATES.delivery, email: 0, sms: 0 } }, at);
    for (const id of [lost, refused]) {
      const [send] = await sendsOf(id);
      expect(send.status).toBe('failed');
      const [c] = await queryRows<Record<string, unknown>>(db.dataSource, 'SELECT code, voided, redeemed_at FROM coupons WHERE customer_id = ?', [id]);
      expect(c).toMatchObject({ code: send.coupon_code, voided: 'failed', redeemed_at: null });
      expect((await rt.coupons.held([id], at + MS_PER_HOUR)).get(id) ?? []).toEqual([]);
    }
    const [c] = await queryRows<{ code: string }>(db.dataSource, 'SELECT code FROM coupons WHERE customer_id = ?', [lost]);
    const paidAt = at + MS_PER_DAY;
    await db.dataSource.transaction((m) => upsertOrders(m, [inputSchemas(TZ).orders.parse({ externalId: 'lost-code-order', customerExternalId: 'mail-lost', status: 'paid', amount: 300, createdAt: paidAt, paidAt, coupon: c.code })], { now: paidAt, timezone: TZ }));
    expect((await queryRows<Record<string, unknown>>(db.dataSource, 'SELECT redeemed_at FROM coupons WHERE code = ?', [c.code]))[0].redeemed_at).toBeNull();
    // The ledger's live coupons are those of messages that went out (no more coupons than messages).
    const [{ n: live }] = await queryRows<{ n: number }>(db.dataSource, 'SELECT COUNT(*) AS n FROM coupons WHERE voided IS NULL');
    const [{ n: out }] = await queryRows<{ n: number }>(db.dataSource, `SELECT COUNT(*) AS n FROM sends s JOIN coupons c ON c.send_key = s.idempotency_key WHERE s.status IN ('queued', 'sending', 'sent')`);
    expect(Number(live)).toBe(Number(out));
  });
});
