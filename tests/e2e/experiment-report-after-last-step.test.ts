process.env.REKINDLE_QUIET = '1';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { createTestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 4 Dec 2026: a win-back simulated 30 days ahead (`rekindle simulate --copy-of`), its last
 * step the SMS on day 3; a customer of the no-coupon arm paid on day 5, inside the experiment's
 * 7-day window. `rekindle report` read the simulation as of its last step and said resp 0 for that
 * arm (`--at` a week later said 1): every answer that came after the journey's last message was left
 * out of the A/B comparison, though the simulation had recorded it. The report now reads a
 * simulation up to the newest event of its customers. So does the journeys home of a server on the
 * copy: its row said ¥0 for the same order beside an A/B panel counting it.
 */
const DAY = 86_400_000;
const RULES = tempDir('rekindle-rules-report-after-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
mkdirSync(join(RULES, 'flows'), { recursive: true });
writeFileSync(join(RULES, 'shop.yaml'), 'name: 山间茶舍\ntimezone: Asia/Shanghai\n');
writeFileSync(join(RULES, 'segments', 'buyers.yaml'), 'name: buyers\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 1\n');
writeFileSync(
  join(RULES, 'flows', 'winback.flow.yaml'),
  `id: winback
name: 老客唤醒
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: buyers, every: day, at: '10:00' }
    next: split
  - id: split
    type: split
    arms:
      - { id: coupon, weight: 50, next: mail-a }
      - { id: plain, weight: 50, next: mail-b }
    experiment: { id: winback-test, responses: [{ event: order_paid }], window: 7d, control: plain }
  - { id: mail-a, type: send, channel: email, category: marketing, subject: 好久不见, template: '{{customer.name}}，新茶到了', next: done }
  - { id: mail-b, type: send, channel: email, category: marketing, subject: 好久不见, template: '{{customer.name}}，新茶到了', next: done }
  - { id: done, type: exit }
`,
);

/** A shop of six customers who each paid 100 two hundred days ago, and where a simulation's copy of it goes. */
async function sixBuyers(prefix: string): Promise<{ shop: string; sim: string; now: number }> {
  const dir = tempDir(prefix);
  const shop = join(dir, 'shop.sqlite');
  const now = Date.now();
  const long = new Date(now - 200 * DAY).toISOString();
  writeFileSync(join(dir, 'customers.csv'), 'externalId,name,email,consent_email\n' + Array.from({ length: 6 }, (_, i) => `c${i},顾客${i},c${i}@example.com,是`).join('\n') + '\n');
  writeFileSync(join(dir, 'orders.csv'), 'externalId,customerExternalId,status,amount,createdAt,paidAt\n' + Array.from({ length: 6 }, (_, i) => `o${i},c${i},completed,100,${long},${long}`).join('\n') + '\n');
  for (const kind of ['customers', 'orders']) expect((await cli(['--db', shop, '--rules', RULES, 'import', kind, join(dir, `${kind}.csv`)])).code).toBe(0);
  return { shop, sim: join(dir, 'sim.sqlite'), now };
}

describe('rekindle report on a simulation ahead of today', () => {
  it('counts the responses that came after the flow\'s last step, inside the window', async () => {
    const { shop, sim, now } = await sixBuyers('rekindle-report-after-');
    const from = new Date(now + 30 * DAY).toISOString().slice(0, 10);
    const s = await cli(['--db', sim, '--rules', RULES, 'simulate', 'winback', '--copy-of', shop, '--from', from, '--days', '10', '--response-rate', '0', '--baseline-rate', '0']);
    expect(s.code).toBe(0);

    const report = async () => JSON.parse((await cli(['--db', sim, '--rules', RULES, '--json', 'report', 'winback-test'])).stdout) as { arms: { arm: string; assigned: number; responders: number; revenue: number }[] };
    const before = await report();
    expect(before.arms.reduce((n, a) => n + a.assigned, 0)).toBe(6);

    // One customer of the plain arm pays two days after the journey's last step (its entry day).
    const db = new Database(sim);
    const { customer_id: customer, last } = db.prepare("SELECT customer_id, (SELECT MAX(at) FROM journey_steps WHERE flow_id = 'winback~simulated') AS last FROM enrollments WHERE flow_id = 'winback~simulated' AND arm = 'plain' LIMIT 1").get() as { customer_id: number; last: number };
    const paid = Number(last) + 2 * DAY;
    db.prepare("INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, received_at, client_id) VALUES (?, 'order_paid', ?, ?, 'order:late-1:order_paid', ?, '')").run(customer, JSON.stringify({ orderId: 'late-1', amount: 268, status: 'paid', promotion: null }), paid, paid);
    db.prepare("INSERT INTO orders (external_id, customer_id, status, amount, created_at, paid_at, promotion, items, updated_at) VALUES ('late-1', ?, 'paid', 268, ?, ?, NULL, '[]', ?)").run(customer, paid, paid, paid);
    db.close();

    const after = await report();
    const plain = (r: typeof before) => r.arms.find((a) => a.arm === 'plain')!;
    expect(plain(after).responders).toBe(plain(before).responders + 1);
    expect(plain(after).revenue).toBeCloseTo(plain(before).revenue + 268, 2);

    // The journeys home of a server on the copy counts the same order, as the A/B panel does.
    const api = await createTestApp({ database: { url: sim }, rulesDir: RULES, clock: fixedClock(now), schedulers: false });
    try {
      const home = (await api.http('analyst').get('/api/home').expect(200)).body as { flows: { id: string; last30: { orders: number; revenue: number } }[] };
      const row = home.flows.find((f) => f.id === 'winback')!;
      expect(row.last30).toMatchObject({ orders: 1, revenue: 268 });
      expect(row.last30.revenue).toBeCloseTo(after.arms.reduce((n, a) => n + a.revenue, 0), 2);
    } finally {
      await api.close();
    }
  }, 120_000);
});

describe('rekindle report on a simulation of a past period', () => {
  it('stops at the simulation\'s end, as rekindle simulate does: a real order of the copied shop paid after it is not counted', async () => {
    const { shop, sim, now } = await sixBuyers('rekindle-report-past-');
    // Three days that ended a week ago; the experiment's window (7 days) runs on past their end.
    const from = new Date(now - 10 * DAY).toISOString().slice(0, 10);
    expect((await cli(['--db', sim, '--rules', RULES, 'simulate', 'winback', '--copy-of', shop, '--from', from, '--days', '3', '--response-rate', '0', '--baseline-rate', '0'])).code).toBe(0);
    const report = async () => JSON.parse((await cli(['--db', sim, '--rules', RULES, '--json', 'report', 'winback-test'])).stdout) as { asOf: number; arms: { arm: string; assigned: number; responders: number }[] };
    const before = await report();
    expect(before.arms.reduce((n, a) => n + a.assigned, 0)).toBe(6);

    // A customer of the copied shop pays a day after the simulation's end, inside the window.
    const db = new Database(sim);
    const { customer_id: customer } = db.prepare("SELECT customer_id FROM enrollments WHERE flow_id = 'winback~simulated' AND arm = 'plain' LIMIT 1").get() as { customer_id: number };
    const { to_at: end } = db.prepare('SELECT to_at FROM simulation_copy').get() as { to_at: number };
    const paid = Number(end) + DAY;
    expect(paid).toBeLessThan(now);
    db.prepare("INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, received_at, client_id) VALUES (?, 'order_paid', ?, ?, 'order:after-1:order_paid', ?, '')").run(customer, JSON.stringify({ orderId: 'after-1', amount: 268, status: 'paid', promotion: null }), paid, paid);
    db.close();

    // As of the simulation's end, not today: the same figures as before the order, as simulate's.
    const after = await report();
    expect(after.asOf).toBe(Number(end));
    expect(after.arms).toEqual(before.arms);
    expect(after.arms.reduce((n, a) => n + a.responders, 0)).toBe(0);
  }, 120_000);
});
