import type { DataSource } from 'typeorm';
import { simulatedOrderItems, simulationCatalogue, type CatalogueProduct, type SimulationCatalogue } from '../core/channels/simulated-items.js';
import type { Channel, OrderInput } from '../core/data/model.js';
import { MS_PER_DAY } from '../core/clock.js';
import { simulatedFate, simulatedOrderAmount, type SimulatedRates } from '../core/channels/simulated-delivery.js';
import { UNPAID_CLOSED_AFTER_MS } from '../core/channels/gap-purchases.js';
import { nextOrganicPurchase, organicPaymentDelay, organicRatePerDay } from '../core/channels/organic-purchases.js';
import { voidCouponOps } from './coupon-ledger.js';
import { upsertOrders, type RowOutcome } from './shop-repository.js';
import type { StoredCustomerEvent } from '../core/data/event-listener.js';
import { executeBatch, insertManyOps, placeholders, queryRows, type SqlOp } from './sql-batch.js';
import { writeTransaction } from './write-transaction.js';
import { settleOwedFacts } from './owed-facts.js';
import { shopPurchaseGapDays } from './organic-rate.js';
import { ordersAfter } from './orders-after.js';

/** Whose messages a report counts: one flow version (the one being simulated). */
export interface SimulatedFlow {
  flowId: string;
  versionId: number;
}

export interface SimulatedDeliveryReport {
  delivered: number;
  /**
   * Of the delivered, those without a link: the simulated customers answer linked messages only
   * (core/channels/simulated-delivery.ts), so these bring no click, coupon use or order in a
   * simulation. Said beside the responses: a coupon SMS without a link read "0 clicks, 0 coupons
   * used, 0 orders", and the marketer concluded the coupon did nothing (walkthrough).
   */
  deliveredWithoutLink: number;
  undelivered: number;
  responses: number;
  /** Coupons used: paid orders that redeemed the message's coupon. */
  redeemed: number;
  /** Paid orders the messages led to (with or without their coupon), and their total value. */
  orders: number;
  revenue: number;
  /** Paid orders the simulated flow's customers placed on their own (organic purchases, no message), and their value. */
  organicOrders: number;
  organicRevenue: number;
}

export const emptySimulatedDeliveryReport = (): SimulatedDeliveryReport => ({ delivered: 0, deliveredWithoutLink: 0, undelivered: 0, responses: 0, redeemed: 0, orders: 0, revenue: 0, organicOrders: 0, organicRevenue: 0 });
const emptyReport = emptySimulatedDeliveryReport;

/** A purchase the simulated channel decided on, written as an order when its time comes. */
interface PendingPurchase {
  at: number;
  sendKey: string;
  customerId: number;
  coupon: string | null;
  counted: boolean;
  /**
   * The key of the journey that sent the message (enrollments.journey_key): when it is one of the
   * customer's own unpaid orders (a payment reminder's journey is keyed by the order), answering
   * pays that order, as a reminded customer does, so the journey's goal (order_paid of $key) is met.
   */
  journeyKey?: string;
  /** The link of the message answered (sends.link_url): the order favours the product it shows (simulated-items.ts). */
  link?: string;
  /** An organic purchase (no message): the customer's n-th, at this rate per day (the next is drawn once it is written). */
  organic?: { n: number; ratePerDay: number; shop?: true };
  /**
   * The customer's organic order placed earlier, paid now (or closed, left unpaid: `close`) if it
   * is still unpaid — a payment reminder's answer may have paid it first (organicPaymentDelay).
   */
  settle?: { orderId: string; close: boolean };
}

/** The external id of an organic order. */
const organicOrderId = (customerId: number, organic: { n: number; shop?: true }) => `sim-organic-${customerId}-${organic.shop ? 's' : ''}${organic.n}`;

/**
 * The purchases still to come, per database. A purchase is decided when its message is delivered
 * but written as a paid order only when the run reaches its time, so the customer's facts (order
 * count, last purchase, 客单价) do not know about it early. A run whose clock goes back (a new
 * simulation on the same database) starts afresh.
 */
const runs = new WeakMap<DataSource, Run>();
interface Run {
  last: number;
  pending: PendingPurchase[];
  /** Organic purchases: the enrollments of the simulated flow looked at so far, and whose purchases are drawn. */
  enrollmentsSeen: number;
  /** The flow's customers whose organic purchases are drawn from their entry (one chain each). */
  buyers: Set<number>;
  /** Customers whose organic purchases beyond the shop's data are drawn (drawShopBeyondData), and from when. */
  shopChains: Set<number>;
  beyondFrom: number;
  /** The simulated flow's customers and when they entered: their organic purchases from then on are the report's. */
  entrants: Map<number, number>;
  /**
   * Organic orders paid before this run knew their customer had entered the flow: a payment
   * reminder's customer enters with the order itself, which is often paid within the same tick,
   * before the engine has replayed its order_created. Counted once the entry is seen (next tick).
   */
  paidUnseen: { customerId: number; at: number; amount: number }[];
  /** Whether the shop-wide organic purchases beyond the shop's data were drawn (first tick). */
  shopDrawn: boolean;
  /** The shop's mean days between purchases (organic-rate.ts), read at the first draw. */
  shopGapDays?: number;
}

/**
 * Delivers the outbox through the simulated channel (core/channels/simulated-delivery.ts): every
 * due queued message becomes `sent` (sent_at = now, provider "simulated") or `failed`; a share
 * of the delivered ones with a link is answered by a `click` event some minutes to hours later (and the
 * send's clicked_at set), and some of those buy: a share of the answered coupon messages pays an
 * order with the coupon, a smaller share of the other answers pays one without (rates:
 * core/channels/simulated-delivery.ts). Purchases are written as paid orders through the order
 * intake when their time comes (writePurchases), so goals, exitOn/waitForEvent order_paid,
 * give-up, experiment responses and revenue, and facts see them like real orders.
 *
 * Every due message is delivered (the other live flows run in the simulation too, and their
 * answers are events like any other), but with `only` the report counts only that flow version's
 * messages: a simulation's figures are the simulated flow's, not those of every journey in the
 * copy of the shop (nor of messages queued before the simulation began).
 */
export async function deliverSimulated(ds: DataSource, rates: SimulatedRates, now: number, only?: SimulatedFlow, timezone = 'Asia/Shanghai', tickStep = 0, shopNow?: number, end = Infinity): Promise<SimulatedDeliveryReport> {
  let run = runs.get(ds);
  if (!run || now < run.last) runs.set(ds, (run = { last: now, pending: [], enrollmentsSeen: 0, buyers: new Set(), shopChains: new Set(), beyondFrom: Infinity, entrants: new Map(), paidUnseen: [], shopDrawn: false }));
  // The replay reads events after this tick's time: an order due before the next tick is written
  // now (one step early at most), or its order_paid would fall behind the replay and never be seen.
  // The first tick has no previous one to measure the step by: the caller's step, when given
  // (a purchase due before the second tick, written then, would fall behind the replay).
  const step = now === run.last ? tickStep : Math.max(0, now - run.last);
  run.last = now;
  const report = emptyReport();
  const due = await queryRows<{ id: number; idempotency_key: string; channel: Channel; customer_id: number; link_token: string | null; link_url: string | null; coupon_code: string | null; flow_id: string; node_id: string; version_id: number | null; journey_key: string | null }>(
    ds,
    `SELECT s.id, s.idempotency_key, s.channel, s.customer_id, s.link_token, s.link_url, s.coupon_code, s.flow_id, s.node_id, s.version_id, e.journey_key FROM sends s LEFT JOIN enrollments e ON e.id = s.enrollment_id WHERE s.status = 'queued' AND s.scheduled_at <= ? ORDER BY s.id`,
    [now],
  );
  const ops: SqlOp[] = [];
  const sent: number[] = [];
  const failed: number[] = [];
  const events: unknown[][] = [];
  for (const s of due) {
    const counted = !only || (s.flow_id === only.flowId && Number(s.version_id) === only.versionId);
    // No link token, nothing to click (core/channels/simulated-delivery.ts): a queued send has one exactly when its node has a link.
    const fate = simulatedFate(rates, s.idempotency_key, s.channel, !!s.coupon_code, s.link_token !== null);
    (fate.delivered ? sent : failed).push(Number(s.id));
    if (counted) report[fate.delivered ? 'delivered' : 'undelivered']++;
    if (counted && fate.delivered && s.link_token === null) report.deliveredWithoutLink++;
    if (fate.respondsAfter === null) continue;
    const at = now + fate.respondsAfter;
    // An answer after the simulation's end has not happened by then: neither its click nor what it buys
    // (both come later still) is written, so no event of the copy is stamped after the run's end and
    // every view's "as of" of it agrees (walked on 6 Dec 2026: a 25-day run ending 10:00 held orders at 10:44).
    if (at > end) continue;
    if (counted) report.responses++;
    events.push([s.customer_id, 'click', JSON.stringify({ sendId: Number(s.id), token: s.link_token, flowId: s.flow_id, nodeId: s.node_id, simulated: true }), at, `sim:click:${s.idempotency_key}`, now]);
    ops.push({ sql: 'UPDATE sends SET clicked_at = ? WHERE id = ? AND clicked_at IS NULL', params: [at, Number(s.id)] });
    if (fate.buysAfter !== null) run.pending.push({ at: at + fate.buysAfter, sendKey: s.idempotency_key, customerId: Number(s.customer_id), coupon: fate.redeems ? s.coupon_code : null, counted, ...(s.journey_key ? { journeyKey: String(s.journey_key) } : {}), ...(s.link_url ? { link: String(s.link_url) } : {}) });
  }
  for (let i = 0; i < sent.length; i += 500) {
    const chunk = sent.slice(i, i + 500);
    ops.push({ sql: `UPDATE sends SET status = 'sent', sent_at = ?, attempts = attempts + 1, provider_message_id = 'simulated' WHERE id IN (${chunk.map(() => '?').join(', ')})`, params: [now, ...chunk] });
  }
  for (let i = 0; i < failed.length; i += 500) {
    const chunk = failed.slice(i, i + 500);
    ops.push({ sql: `UPDATE sends SET status = 'failed', attempts = attempts + 1, last_error = 'simulated: not delivered' WHERE id IN (${chunk.map(() => '?').join(', ')})`, params: chunk });
  }
  // An undelivered message's coupon was never the customer's: void it, as the real outbox does.
  ops.push(...voidCouponOps(failed, 'failed'));
  ops.push(...insertManyOps({ table: 'customer_events', columns: ['customer_id', 'type', 'properties', 'occurred_at', 'idempotency_key', 'received_at'], rows: events, suffix: 'ON CONFLICT (client_id, idempotency_key) DO NOTHING' }));
  if (ops.length) await executeBatch(ds, ops);
  if (only && rates.baseline !== 0) {
    if (!run.shopDrawn) await drawShopBeyondData(ds, rates, run, now, shopNow);
    await drawOrganicBuyers(ds, rates, run, only);
    const unseen = run.paidUnseen;
    run.paidUnseen = [];
    for (const u of unseen) {
      if ((run.entrants.get(u.customerId) ?? Infinity) <= u.at) {
        report.organicOrders++;
        report.organicRevenue = Math.round((report.organicRevenue + u.amount) * 100) / 100;
      } else if (u.at > now - MS_PER_DAY) run.paidUnseen.push(u); // entries show within a tick; older ones were no entrant's
    }
  }
  // Writing an organic purchase draws the customer's next one, which may be due before the next tick too.
  // Never past the simulation's end (one step early stops there): a purchase, payment or closing due
  // after it stays pending, for a run that goes on from there (the same process, the clock not set back).
  const upTo = Math.min(now + step, end);
  for (let ready = run.pending.filter((p) => p.at <= upTo); ready.length; ready = run.pending.filter((p) => p.at <= upTo)) {
    // A purchase beyond the data of a customer who entered the flow before it: their own chain, from entry, replaces it.
    ready = ready.filter((p) => !(p.organic?.shop && run.buyers.has(p.customerId)));
    run.pending = run.pending.filter((p) => p.at > upTo);
    // An organic purchase is the simulated flow's when its customer had entered it by the time it is paid
    // (a payment reminder's customer enters with the very order they pay later).
    for (const p of ready) if (p.organic || p.settle) p.counted = (run.entrants.get(p.customerId) ?? Infinity) <= p.at;
    run.paidUnseen.push(...(await writePurchases(ds, rates, ready, now, timezone, report)));
    for (const p of ready) {
      if (!p.organic) continue;
      const shop = p.organic.shop;
      // Placed unpaid: paid minutes (or hours) later, or never and closed by the platform.
      const orderId = organicOrderId(p.customerId, p.organic);
      const paysAfter = organicPaymentDelay(rates, p.customerId, p.organic.n, shop ? 'organic-shop' : 'organic');
      run.pending.push({ at: p.at + (paysAfter ?? UNPAID_CLOSED_AFTER_MS), sendKey: `settle:${orderId}`, customerId: p.customerId, coupon: null, counted: false, settle: { orderId, close: paysAfter === null } });
      const n = p.organic.n + 1;
      const at = nextOrganicPurchase(rates, p.customerId, n, p.at, p.organic.ratePerDay, shop ? 'organic-shop' : 'organic');
      if (at !== null) run.pending.push({ at, sendKey: `organic:${p.customerId}:${n}`, customerId: p.customerId, coupon: null, counted: false, organic: { n, ratePerDay: p.organic.ratePerDay, ...(shop ? { shop } : {}) } });
    }
  }
  return report;
}

/**
 * The organic purchases of the customers who entered the simulated flow since the last tick
 * (core/channels/organic-purchases.ts): from their entry on, each buys at their own rate (or
 * `rates.baseline`), messaged or not, so a holdout responds as it would have without the flow.
 * Only the simulated flow's customers: they are the ones its report and experiment count.
 */
async function drawOrganicBuyers(ds: DataSource, rates: SimulatedRates, run: Run, only: SimulatedFlow): Promise<void> {
  await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
  const entered = await queryRows<{ id: number; customer_id: number; entered_at: number; order_count: number | null; first_order_at: number | null; created_at: number | null }>(
    ds,
    `SELECT e.id, e.customer_id, e.entered_at, f.order_count, f.first_order_at, c.created_at FROM enrollments e JOIN customers c ON c.id = e.customer_id LEFT JOIN customer_facts f ON f.customer_id = e.customer_id
      WHERE e.flow_id = ? AND e.version_id = ? AND e.id > ? ORDER BY e.id`,
    [only.flowId, only.versionId, run.enrollmentsSeen],
  );
  if (entered.length && run.shopGapDays === undefined) run.shopGapDays = await shopPurchaseGapDays(ds, Number(entered[0].entered_at));
  for (const e of entered) {
    run.enrollmentsSeen = Math.max(run.enrollmentsSeen, Number(e.id));
    const customerId = Number(e.customer_id);
    if (!run.entrants.has(customerId)) run.entrants.set(customerId, Number(e.entered_at));
    if (run.buyers.has(customerId)) continue;
    // Entered beyond the shop's data: the shop-wide chain already draws their purchases.
    if (run.shopChains.has(customerId) && Number(e.entered_at) >= run.beyondFrom) continue;
    run.buyers.add(customerId);
    const since = e.first_order_at ?? e.created_at;
    const ratePerDay = organicRatePerDay(rates, { orderCount: Number(e.order_count ?? 0), since: since === null ? null : Number(since) }, Number(e.entered_at), run.shopGapDays);
    const at = nextOrganicPurchase(rates, customerId, 0, Number(e.entered_at), ratePerDay);
    if (at !== null) run.pending.push({ at, sendKey: `organic:${customerId}:0`, customerId, coupon: null, counted: false, organic: { n: 0, ratePerDay } });
  }
}

/**
 * Beyond the end of the shop's data every customer buys, in the flow or not (the same draws as
 * drawOrganicBuyers, from the later of the run's start and the data's end): the shop goes on
 * living, so a flow entered on order_paid gets its customers, and those outside an experiment
 * buy as before. Where the run replays the shop's own orders nobody else buys: those orders are
 * already there. A customer who enters the flow after that start keeps this chain; one who entered
 * before it (a run that begins inside the data) has their own from entry, which replaces this one.
 * Orders `sim-organic-<customer>-s<n>`, drawn from the "organic-shop" stream.
 */
async function drawShopBeyondData(ds: DataSource, rates: SimulatedRates, run: Run, now: number, shopNow?: number): Promise<void> {
  run.shopDrawn = true;
  const { newestAt } = await ordersAfter(ds, now);
  // The shop's data reaches its newest order, and its own now (the real clock) at least: a quiet
  // shop whose last order is days old had no purchases since, none are made up for that time.
  const start = Math.max(now, newestAt ?? now, shopNow ?? now);
  const gapDays = await shopPurchaseGapDays(ds, start);
  run.shopGapDays ??= gapDays;
  run.beyondFrom = start;
  for (let after = 0; ; ) {
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
    const rows = await queryRows<{ customer_id: number; order_count: number; first_order_at: number | null; created_at: number | null }>(
      ds,
      `SELECT f.customer_id, f.order_count, f.first_order_at, c.created_at FROM customer_facts f JOIN customers c ON c.id = f.customer_id WHERE f.customer_id > ? AND f.order_count > 0 ORDER BY f.customer_id LIMIT 5000`,
      [after],
    );
    if (!rows.length) return;
    after = Number(rows[rows.length - 1].customer_id);
    for (const r of rows) {
      const customerId = Number(r.customer_id);
      const since = r.first_order_at ?? r.created_at;
      const ratePerDay = organicRatePerDay(rates, { orderCount: Number(r.order_count), since: since === null ? null : Number(since) }, start, gapDays);
      const at = nextOrganicPurchase(rates, customerId, 0, start, ratePerDay, 'organic-shop');
      if (at === null) continue;
      run.shopChains.add(customerId);
      run.pending.push({ at, sendKey: `organic:${customerId}:0`, customerId, coupon: null, counted: false, organic: { n: 0, ratePerDay, shop: true } });
    }
  }
}

/** The journeys' keys (and the organic orders to settle) that are unpaid orders (status created), by external id. */
async function unpaidOrdersOf(ds: DataSource, list: readonly PendingPurchase[]): Promise<Map<string, { customerId: number; amount: number; createdAt: number; promotion: string | null; items: unknown[] }>> {
  const out = new Map<string, { customerId: number; amount: number; createdAt: number; promotion: string | null; items: unknown[] }>();
  const keys = [...new Set(list.flatMap((p) => (p.settle ? [p.settle.orderId] : p.journeyKey ? [p.journeyKey] : [])))];
  for (let i = 0; i < keys.length; i += 500) {
    const chunk = keys.slice(i, i + 500);
    const rows = await queryRows<{ external_id: string; customer_id: number; amount: number; created_at: number; promotion: string | null; items: string }>(ds, `SELECT external_id, customer_id, amount, created_at, promotion, items FROM orders WHERE status = 'created' AND external_id IN (${placeholders(chunk.length)})`, chunk);
    for (const r of rows) {
      let items: unknown[] = [];
      try {
        const parsed: unknown = JSON.parse(String(r.items));
        if (Array.isArray(parsed)) items = parsed;
      } catch {
        items = [];
      }
      out.set(String(r.external_id), { customerId: Number(r.customer_id), amount: Number(r.amount), createdAt: Number(r.created_at), promotion: r.promotion === null ? null : String(r.promotion), items });
    }
  }
  return out;
}

/** Order lines read for a simulation's catalogue: the newest, enough to know what the shop sells. */
const CATALOGUE_LINES = 20_000;
const catalogues = new WeakMap<DataSource, SimulationCatalogue>();

/**
 * What the shop sells, from its newest orders' lines (sku, category, how often), read once per
 * database for the simulation's purchases (simulated-items.ts). Read before the first simulated
 * order, so it is the shop's own selling, not the simulation's.
 */
async function catalogueOf(ds: DataSource): Promise<SimulationCatalogue> {
  const known = catalogues.get(ds);
  if (known) return known;
  const rows = await queryRows<{ items: string | null }>(ds, `SELECT items FROM orders WHERE items IS NOT NULL AND items <> '[]' ORDER BY id DESC LIMIT ${Math.ceil(CATALOGUE_LINES / 2)}`);
  const sold = new Map<string, CatalogueProduct>();
  for (const r of rows) {
    let lines: unknown;
    try {
      lines = JSON.parse(String(r.items));
    } catch {
      continue;
    }
    if (!Array.isArray(lines)) continue;
    for (const l of lines as { sku?: unknown; category?: unknown }[]) {
      if (typeof l?.sku !== 'string' || typeof l.category !== 'string') continue;
      const p = sold.get(l.sku);
      if (p) p.sold++;
      else sold.set(l.sku, { sku: l.sku, category: l.category, sold: 1 });
    }
  }
  const catalogue = simulationCatalogue([...sold.values()]);
  catalogues.set(ds, catalogue);
  return catalogue;
}

/**
 * The simulated purchases as paid orders, through the order intake real orders use
 * (upsertOrders): the order row, its order_created and order_paid events, the coupon's
 * redemption (coupon_redeemed with the order's value) and the customer's facts. The order is
 * `sim-<message key>`, worth about the customer's own average order (simulatedOrderAmount); an
 * answer to a message of a journey keyed by one of the customer's unpaid orders (a payment
 * reminder) pays that order instead, at its own amount.
 */
async function writePurchases(ds: DataSource, rates: SimulatedRates, list: readonly PendingPurchase[], now: number, timezone: string, report: SimulatedDeliveryReport): Promise<{ customerId: number; at: number; amount: number }[]> {
  const who = new Map<number, { externalId: string; aov: number | null }>();
  const ids = [...new Set(list.map((p) => p.customerId))];
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    await settleOwedFacts(ds); // an import's owed facts first (owed-facts.ts)
    const rows = await queryRows<{ id: number; external_id: string; order_count: number | null; total_spent: number | null }>(
      ds,
      `SELECT c.id, c.external_id, f.order_count, f.total_spent FROM customers c LEFT JOIN customer_facts f ON f.customer_id = c.id WHERE c.id IN (${placeholders(chunk.length)})`,
      chunk,
    );
    for (const r of rows) who.set(Number(r.id), { externalId: String(r.external_id), aov: Number(r.order_count ?? 0) > 0 ? Number(r.total_spent) / Number(r.order_count) : null });
  }
  const codes = list.flatMap((p) => (p.coupon ? [p.coupon] : []));
  const minSpend = new Map<string, number>();
  for (let i = 0; i < codes.length; i += 500) {
    const chunk = codes.slice(i, i + 500);
    for (const r of await queryRows<{ code: string; min_spend: number }>(ds, `SELECT code, min_spend FROM coupons WHERE code IN (${placeholders(chunk.length)})`, chunk)) minSpend.set(String(r.code), Number(r.min_spend));
  }
  const unpaid = await unpaidOrdersOf(ds, list);
  const catalogue = await catalogueOf(ds);
  const items = (p: PendingPurchase, amount: number) => simulatedOrderItems(rates.seed, p.sendKey, amount, catalogue, p.link ?? null);
  /** `closedAt`: a closed organic order, closed at its own instant (its order_cancelled is stamped then). */
  const orders: { order: OrderInput; counted: boolean; organic: boolean; customerId: number; closedAt?: number }[] = [];
  for (const p of list) {
    const c = who.get(p.customerId);
    if (!c) continue; // deleted meanwhile (recycle bin): nobody to buy
    if (p.settle) {
      // The organic order placed earlier, if still unpaid (a reminder's answer may have paid it): paid, or closed.
      const order = unpaid.get(p.settle.orderId);
      if (!order || order.customerId !== p.customerId) continue;
      unpaid.delete(p.settle.orderId);
      const base = { externalId: p.settle.orderId, customerExternalId: c.externalId, amount: order.amount, createdAt: order.createdAt, promotion: order.promotion, coupon: null, items: order.items };
      if (p.settle.close) orders.push({ customerId: p.customerId, counted: false, organic: true, closedAt: p.at, order: { ...base, status: 'cancelled', paidAt: null } as OrderInput });
      else orders.push({ customerId: p.customerId, counted: p.counted, organic: true, order: { ...base, status: 'paid', paidAt: p.at } as OrderInput });
      continue;
    }
    // A reminded order still unpaid (once: two answers to one reminder pay it once).
    const reminded = p.journeyKey ? unpaid.get(p.journeyKey) : undefined;
    if (reminded && reminded.customerId === p.customerId) {
      unpaid.delete(p.journeyKey!);
      orders.push({ customerId: p.customerId, counted: p.counted, organic: false, order: { externalId: p.journeyKey!, customerExternalId: c.externalId, status: 'paid', amount: reminded.amount, createdAt: reminded.createdAt, paidAt: Math.max(p.at, reminded.createdAt), promotion: reminded.promotion, coupon: p.coupon, items: reminded.items } as OrderInput });
      continue;
    }
    const amount = simulatedOrderAmount(rates, p.sendKey, c.aov, p.coupon ? (minSpend.get(p.coupon) ?? 0) : 0);
    // An organic order is placed unpaid (paid or closed later: its `settle`); an answer to a message buys at once, as before.
    if (p.organic) orders.push({ customerId: p.customerId, counted: false, organic: true, order: { externalId: organicOrderId(p.customerId, p.organic), customerExternalId: c.externalId, status: 'created', amount, createdAt: p.at, paidAt: null, promotion: null, coupon: null, items: items(p, amount) } as OrderInput });
    else orders.push({ customerId: p.customerId, counted: p.counted, organic: false, order: { externalId: `sim-${p.sendKey}`, customerExternalId: c.externalId, status: 'paid', amount, createdAt: p.at, paidAt: p.at, promotion: null, coupon: p.coupon, items: items(p, amount) } as OrderInput });
  }
  const unseen: { customerId: number; at: number; amount: number }[] = [];
  if (!orders.length) return unseen;
  // An order's cancellation carries no time of its own: the intake stamps order_cancelled with its
  // clock. A closed order is written with its closing instant as that clock (exactly
  // UNPAID_CLOSED_AFTER_MS after it was placed), not with the tick's, which is up to a step off.
  const byClock = new Map<number, number[]>();
  orders.forEach((o, i) => {
    const at = o.closedAt ?? now;
    const list = byClock.get(at);
    if (list) list.push(i);
    else byClock.set(at, [i]);
  });
  const r = await writeTransaction(ds, async (m) => {
    const outcomes: RowOutcome[] = new Array<RowOutcome>(orders.length);
    let events: StoredCustomerEvent[] = [];
    for (const [at, idx] of byClock) {
      const written = await upsertOrders(m, idx.map((i) => orders[i].order), { now: at, timezone });
      idx.forEach((i, j) => (outcomes[i] = written.outcomes[j]));
      events = events.concat(written.events);
    }
    return { outcomes, events };
  });
  const redeemed = new Set(r.events.filter((e) => e.type === 'coupon_redeemed').map((e) => String((e.properties as { orderId?: unknown }).orderId)));
  orders.forEach((o, i) => {
    if (r.outcomes[i] !== 'created' && r.outcomes[i] !== 'updated') return;
    // An organic order paid by a customer whose entry is not known yet: decided when it is (deliverSimulated).
    if (!o.counted && o.organic && o.order.status === 'paid') unseen.push({ customerId: o.customerId, at: o.order.paidAt!, amount: o.order.amount });
    // A new paid order, the reminded one now paid, or an organic order now paid (placed or closed: not counted).
    if (!o.counted) return;
    if (o.organic) {
      report.organicOrders++;
      report.organicRevenue = Math.round((report.organicRevenue + o.order.amount) * 100) / 100;
      return;
    }
    report.orders++;
    report.revenue = Math.round((report.revenue + o.order.amount) * 100) / 100;
    if (redeemed.has(o.order.externalId)) report.redeemed++;
  });
  return unseen;
}

/**
 * The simulated channel as a simulation's `afterTick` (`rekindle simulate`, the designer's
 * Simulate): delivers what is due after each tick and adds up in `report` what it did with the
 * messages of `only` (the simulated flow version; every flow's when not given). `end`: the
 * simulation's last instant; nothing it writes is stamped later (deliverSimulated).
 */
export function simulatedDeliveryEachTick(ds: DataSource, rates: SimulatedRates, only?: SimulatedFlow, timezone?: string, tickStep?: number, shopNow?: number, end?: number): { afterTick: (now: number) => Promise<void>; report: SimulatedDeliveryReport } {
  const report = emptyReport();
  return {
    report,
    afterTick: async (now) => {
      const r = await deliverSimulated(ds, rates, now, only, timezone, tickStep, shopNow, end);
      for (const k of Object.keys(report) as (keyof SimulatedDeliveryReport)[]) report[k] += r[k];
      report.revenue = Math.round(report.revenue * 100) / 100;
      report.organicRevenue = Math.round(report.organicRevenue * 100) / 100;
    },
  };
}
