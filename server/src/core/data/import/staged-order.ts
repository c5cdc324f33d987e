import { PURCHASE_STATUSES, type OrderInput } from '../model.js';
import { ORDER_CREATED, ORDER_PAID, orderEventPropertiesJson, orderEventType } from '../order-events.js';
import { dayFacts } from '../../facts/season.js';
import { sanitizeListValue } from '../../facts/list-value.js';

/**
 * What a NEW order writes besides its own columns, computed from the order and the shop's time
 * zone alone: the text of its items, its order event, and what it adds to its customer's facts
 * (as `addOrder` in core/facts/stored-facts.ts counts it).
 *
 * Why a value of its own: the SQLite bulk path (persistence/order-chunk-sqlite.ts) needs these for
 * every order it stages, and building them (the event, two JSON texts, the local day's season and
 * Double 11 year, the sanitized categories) is JS on the thread that holds SQLite's write lock.
 * An import's parser thread computes them instead, next to parsing and validation
 * (parsed-rows.ts), and hands them over with the row; the writing thread then only binds them.
 * Orders that reach the bulk path without them (`POST /api/orders`, a test's inputs) get them
 * from this same function there, so both give the same stored text by construction.
 *
 * A flat array of primitives, not an object: it crosses threads by structured clone, where an
 * object pays for its property names on every row. Only what costs more to build than to clone:
 * the event's type and key (a switch on the status and one concatenation) are left to the writer,
 * and the parser thread sends the items as this text alone (import-parse-thread.ts); with both
 * cloned too, the process spent more CPU a row than before and the peak RSS rose ~75 MB at 1M orders
 * (bench/README.md, import, eighth round).
 */
export type StagedOrder = readonly [
  /** JSON.stringify(items): the stored `orders.items`. */
  items: string,
  /**
   * The event's `occurredAt`, or null when it is the import clock (a cancellation or a refund
   * carries no time of its own; the writer uses its batch's `now`, as `orderEvent` does).
   */
  eventAt: number | null,
  /** JSON text of the event's properties. */
  eventProperties: string,
  /** 2 = a purchase (counts as an order), 1 = unpaid ('created'), 0 = neither (cancelled, refunded). */
  kind: 0 | 1 | 2,
  /** The instant that counts for the facts (purchase: paid, else created; unpaid: created). */
  factAt: number | null,
  /** '|'-joined sanitized categories of a purchase's items, null for none. */
  categories: string | null,
  /** '|'-joined sanitized `category@season` of a purchase's items, null for none. */
  categorySeasons: string | null,
  /** The sanitized local year when a purchase counts as a Double 11 order, else null. */
  double11Year: string | null,
];

/** The event's `occurredAt` as `orderEvent` gives it with no import clock: null when it would be that clock. */
function eventAtOf(type: string, createdAt: number, paidAt: number | null): number | null {
  const at = type === ORDER_CREATED ? createdAt : type === ORDER_PAID ? (paidAt ?? createdAt) : Number.NaN;
  return Number.isNaN(at) ? null : at;
}

/**
 * The staged values of a new order (see StagedOrder). Written for an import's parser thread, which
 * runs it for every order: the event's time and properties text straight from the order (the same
 * values `orderEvent` and `JSON.stringify` of its properties give, without the event object), the
 * list values joined as they are built (no arrays). tests/unit/import-staged-order.test.ts holds
 * it equal to the plain composition of those functions.
 */
export function stageOrder(o: OrderInput, timezone: string): StagedOrder {
  const paidAt = o.paidAt ?? null;
  const promotion = o.promotion ?? null;
  const eventAt = eventAtOf(orderEventType(o.status), o.createdAt, paidAt);
  const properties = orderEventPropertiesJson({ externalId: o.externalId, amount: o.amount, status: o.status, promotion });
  let kind: 0 | 1 | 2 = 0;
  let factAt: number | null = null;
  let categories: string | null = null;
  let categorySeasons: string | null = null;
  let d11Year: string | null = null;
  if (PURCHASE_STATUSES.has(o.status)) {
    // as addOrder in core/facts/stored-facts.ts
    kind = 2;
    factAt = paidAt ?? o.createdAt;
    const season = dayFacts(factAt, timezone).seasonKey;
    // A season key ("2024-spring") has no '|': sanitizing `category@season` is sanitizing the category.
    const items = o.items;
    for (let i = 0; i < items.length; i++) {
      const category = sanitizeListValue(`${items[i].category}`);
      if (i === 0) {
        categories = category;
        categorySeasons = `${category}@${season}`;
      } else {
        categories += `|${category}`;
        categorySeasons += `|${category}@${season}`;
      }
    }
    const created = dayFacts(o.createdAt, timezone);
    if (promotion === 'double11' || created.double11) d11Year = sanitizeListValue(created.year);
  } else if (o.status === 'created') {
    kind = 1;
    factAt = o.createdAt;
  }
  return [JSON.stringify(o.items), eventAt, properties, kind, factAt, categories, categorySeasons, d11Year];
}
