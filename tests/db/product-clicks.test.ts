/**
 * Clicks against sales of a send step, per product (GET /api/flows/:id/nodes/:node/products,
 * `rekindle report <flow> --products <node>`), on a small hand-made shop whose figures are worked
 * out by hand below: clickers who bought and who did not, a buyer who never clicked, a buyer who
 * paid before clicking, orders before the message, after the window, refunded, without items, and
 * a message that was never delivered.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OrderEntity } from '../../server/src/persistence/entities/order.entity.js';
import { stepProductClicks } from '../../server/src/persistence/product-clicks.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';

const T0 = Date.parse('2027-04-20T02:00:00Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DIALECTS)('clicks against sales per product on %s', (dialect) => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    const ids = await addCustomers(db.dataSource, names.map((externalId) => ({ externalId })), T0 - 30 * DAY);
    const id = (n: string) => ids[names.indexOf(n)];
    // who: [status, clicked after the message]
    const messages: [string, string, number | null][] = [
      ['a', 'sent', HOUR],
      ['b', 'sent', HOUR],
      ['c', 'sent', DAY],
      ['d', 'sent', null],
      ['e', 'sent', null],
      ['f', 'sent', 2 * HOUR],
      ['g', 'failed', null],
      ['h', 'sent', HOUR],
    ];
    const enrollments = new Map<string, number>();
    for (const [n, status, click] of messages) {
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO enrollments (flow_id, version_id, customer_id, journey_key, node_id, status, entered_at, node_entered_at, step_count, entry_key, updated_at) VALUES ('launch', 1, ?, 'j', 'mail', 'exited', ?, ?, 1, ?, ?)`,
          params: [id(n), T0, T0, `e-${n}`, T0],
        },
      ]);
      const [{ id: enrollment }] = await queryRows<{ id: number }>(db.dataSource, 'SELECT id FROM enrollments WHERE entry_key = ?', [`e-${n}`]);
      enrollments.set(n, Number(enrollment));
      await executeBatch(db.dataSource, [
        {
          sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, status, attempts, scheduled_at, sent_at, clicked_at, link_url) VALUES (?, ?, ?, 'launch', 1, 'mail', 'email', 'marketing', 0, 'x', ?, 1, ?, ?, ?, 'https://shop.example.com/new')`,
          params: [`s-${n}`, enrollment, id(n), status, T0, status === 'sent' ? T0 : null, click === null ? null : T0 + click],
        },
      ]);
    }
    // Another step of the same flow: its click and its customer's order are not this step's.
    await executeBatch(db.dataSource, [
      {
        sql: `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, body, status, attempts, scheduled_at, sent_at, clicked_at) VALUES ('s-other', ?, ?, 'launch', 1, 'sms', 'sms', 'marketing', 0, 'x', 'sent', 1, ?, ?, ?)`,
        params: [enrollments.get('b')!, id('b'), T0, T0, T0 + HOUR],
      },
    ]);
    const dress1 = (quantity = 1) => ({ sku: 'DRESS-1', category: 'dress', quantity, price: 299 });
    const dress2 = { sku: 'DRESS-2', category: 'dress', quantity: 1, price: 199 };
    const belt = { sku: 'BELT-1', category: 'accessory', quantity: 1, price: 59 };
    const orders: [string, string, number, number, string, unknown[]][] = [
      ['o-a', 'a', 299, T0 + 2 * HOUR, 'paid', [dress1()]], // clicked, then bought within the window
      ['o-c', 'c', 199, T0 + 7 * DAY + 12 * HOUR, 'completed', [dress2]], // 6.5 days after the click, 7.5 after the message
      ['o-d', 'd', 657, T0 + 3 * DAY, 'shipped', [dress1(2), belt]], // bought without clicking
      ['o-e1', 'e', 199, T0 - DAY, 'paid', [dress2]], // before the message
      ['o-e2', 'e', 299, T0 + DAY, 'refunded', [dress1()]], // refunded: no sale
      ['o-f', 'f', 59, T0 + HOUR, 'paid', [belt]], // paid, then clicked
      ['o-g', 'g', 299, T0 + DAY, 'paid', [dress1()]], // the message never reached g
      ['o-h', 'h', 100, T0 + 2 * DAY, 'paid', []], // an order without its lines
      ['o-b', 'b', 80, T0 + 40 * DAY, 'paid', [belt]], // long after
    ];
    for (const [externalId, n, amount, paidAt, status, items] of orders) {
      await db.dataSource.manager.save(db.dataSource.manager.create(OrderEntity, { externalId, customerId: id(n), status: status as OrderEntity['status'], amount, createdAt: paidAt - 60_000, paidAt, promotion: null, items: items as OrderEntity['items'], updatedAt: paidAt }));
    }
  });
  afterAll(async () => db?.close());

  it('counts clickers, what they paid after clicking, and the products responders bought with how many had clicked first', async () => {
    const r = await stepProductClicks(db.dataSource, { flowId: 'launch', nodeId: 'mail', windowMs: 7 * DAY, now: T0 + 30 * DAY, link: 'https://shop.example.com/item/dress-1?from=mail' });
    // delivered a b c d e f h (g failed); clicked a b c f h
    expect([r.delivered, r.clickers, r.clickRate]).toEqual([7, 5, 5 / 7]);
    // within 7 days of the click: a (1h), c (6.5d), h (1d 23h); not f (paid before clicking), not b
    expect([r.clickersPaid, r.clickConversion, r.clickersRevenue]).toEqual([3, 3 / 5, 299 + 199 + 100]);
    // within 7 days of the message: a, d, f, h; not c (7.5 d), not e (before, refunded)
    expect([r.responders, r.respondersRevenue, r.ordersWithoutItems]).toEqual([4, 299 + 657 + 59 + 100, 1]);
    expect(r.products).toEqual([
      // The link shows DRESS-1 (its sku in the path, any case): its row carries the step's 5 clickers, of whom 1 bought it.
      { sku: 'DRESS-1', category: 'dress', clickers: 5, buyers: 2, clickedBuyers: 1, quantity: 3, revenue: 299 * 3 },
      { sku: 'BELT-1', category: 'accessory', clickers: null, buyers: 2, clickedBuyers: 0, quantity: 2, revenue: 118 },
    ]);
  });

  it('counts only what had happened by the report\'s instant, within a shorter window', async () => {
    const r = await stepProductClicks(db.dataSource, { flowId: 'launch', nodeId: 'mail', windowMs: DAY, now: T0 + 90 * 60_000, link: 'https://shop.example.com/new' });
    // by 1h30: clicked a b h (c at 1d, f at 2h not yet); f has paid (1h), a not yet (2h)
    expect([r.delivered, r.clickers, r.clickersPaid, r.responders]).toEqual([7, 3, 0, 1]);
    expect(r.products).toEqual([{ sku: 'BELT-1', category: 'accessory', clickers: null, buyers: 1, clickedBuyers: 0, quantity: 1, revenue: 59 }]);
  });
});
