import { money } from './money.js';

/** One customer a send step delivered its message to: their first delivery and first click of its link. */
export interface StepRecipient {
  customerId: number;
  sentAt: number;
  clickedAt: number | null;
}

/** A paid order of a recipient (refunded and cancelled ones are no sale and are left out by the reader). */
export interface PaidOrder {
  customerId: number;
  paidAt: number;
  amount: number;
  items: readonly { sku: string; category: string; quantity?: number; price?: number | null }[];
}

/** A product the step's responders bought, with how many of its buyers had clicked the step's link first. */
export interface ProductRow {
  sku: string;
  category: string;
  /**
   * The step's clickers when its link shows this product (skuInLink: the sku is a path segment or
   * a query value of the link), else null: a link to a landing page is not one product's.
   */
  clickers: number | null;
  /** Responders who bought it within the window after the message. */
  buyers: number;
  /** Of those, the ones who had clicked the step's link before paying for it. */
  clickedBuyers: number;
  quantity: number;
  /** Quantity × price of the items that carry a price (an item without one adds nothing). */
  revenue: number;
}

export interface ProductClicks {
  delivered: number;
  /** Recipients who clicked the step's link (first click, sends.clicked_at). */
  clickers: number;
  clickRate: number;
  /** Clickers who paid an order within the window after their click. */
  clickersPaid: number;
  /** clickersPaid / clickers: a link clicked a lot and bought from little reads low here. */
  clickConversion: number;
  /** The amounts of the orders clickers paid within the window after their click. */
  clickersRevenue: number;
  /** Recipients who paid an order within the window after the message (clicked or not). */
  responders: number;
  respondersRevenue: number;
  /** Responders' orders that name no items (a shop file without order lines; a simulation's purchases): bought, but not a product. */
  ordersWithoutItems: number;
  /** Ranked by buyers, then revenue, then sku. */
  products: ProductRow[];
}

/**
 * Clicks against sales of one send step, per product: which products its responders bought
 * (customers who paid within `windowMs` after the message, up to `now`), each with how many of its
 * buyers had clicked the link, beside the step's own clicks and how many clickers went on to pay.
 * A product with many buyers of whom few clicked sells on its own; a step with many clickers and
 * few clickersPaid is the "high clicks, low conversion" launch the analyst looks for. Pure: the
 * reader (persistence/product-clicks.ts) hands it the recipients and their paid orders.
 */
export function productClicks(recipients: readonly StepRecipient[], orders: readonly PaidOrder[], windowMs: number, now: number, link: string | null = null): ProductClicks {
  const byCustomer = new Map<number, PaidOrder[]>();
  for (const o of orders) {
    if (o.paidAt > now) continue; // not paid yet as of the report
    const list = byCustomer.get(o.customerId);
    if (list) list.push(o);
    else byCustomer.set(o.customerId, [o]);
  }
  const r: ProductClicks = { delivered: 0, clickers: 0, clickRate: 0, clickersPaid: 0, clickConversion: 0, clickersRevenue: 0, responders: 0, respondersRevenue: 0, ordersWithoutItems: 0, products: [] };
  const products = new Map<string, ProductRow & { buyerIds: Set<number>; clickedIds: Set<number> }>();
  for (const c of recipients) {
    r.delivered++;
    const own = (byCustomer.get(c.customerId) ?? []).slice().sort((a, b) => a.paidAt - b.paidAt);
    if (c.clickedAt !== null) {
      r.clickers++;
      const after = own.filter((o) => o.paidAt >= c.clickedAt! && o.paidAt <= c.clickedAt! + windowMs);
      if (after.length) r.clickersPaid++;
      for (const o of after) r.clickersRevenue = money(r.clickersRevenue + o.amount);
    }
    const answered = own.filter((o) => o.paidAt >= c.sentAt && o.paidAt <= c.sentAt + windowMs);
    if (!answered.length) continue;
    r.responders++;
    for (const o of answered) {
      r.respondersRevenue = money(r.respondersRevenue + o.amount);
      if (!o.items.length) r.ordersWithoutItems++;
      for (const it of o.items) {
        const p = products.get(it.sku) ?? products.set(it.sku, { sku: it.sku, category: it.category, clickers: null, buyers: 0, clickedBuyers: 0, quantity: 0, revenue: 0, buyerIds: new Set(), clickedIds: new Set() }).get(it.sku)!;
        const quantity = it.quantity ?? 1;
        p.quantity += quantity;
        if (typeof it.price === 'number') p.revenue = money(p.revenue + quantity * it.price);
        p.buyerIds.add(c.customerId);
        if (c.clickedAt !== null && c.clickedAt <= o.paidAt) p.clickedIds.add(c.customerId);
      }
    }
  }
  r.clickRate = r.delivered ? r.clickers / r.delivered : 0;
  r.clickConversion = r.clickers ? r.clickersPaid / r.clickers : 0;
  r.products = [...products.values()]
    .map(({ buyerIds, clickedIds, ...p }) => ({ ...p, clickers: link !== null && skuInLink(link, p.sku) ? r.clickers : null, buyers: buyerIds.size, clickedBuyers: clickedIds.size }))
    .sort((a, b) => b.buyers - a.buyers || b.revenue - a.revenue || a.sku.localeCompare(b.sku));
  return r;
}

/**
 * Whether a send step's link shows the product `sku`: the sku is one of the URL's path segments
 * (with or without an extension: /item/DRESS-26, /item/DRESS-26.html) or a query value
 * (?sku=DRESS-26, item.htm?id=6123456), compared without case. How a marketer ties a message to a
 * product without a new field: the product page's own address carries its code.
 */
export function skuInLink(link: string, sku: string): boolean {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return false;
  }
  const want = sku.toLowerCase();
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s).toLowerCase();
    } catch {
      return s.toLowerCase();
    }
  };
  for (const segment of url.pathname.split('/').filter(Boolean).map(decode)) if (segment === want || segment.replace(/\.[a-z0-9]+$/, '') === want) return true;
  for (const value of url.searchParams.values()) if (value.toLowerCase() === want) return true;
  return false;
}
