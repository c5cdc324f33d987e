import type { OrderStatus } from './model.js';
import { ORDER_CANCELLED, ORDER_CREATED, ORDER_PAID, ORDER_REFUNDED, ORDER_SHIPPED, ORDER_SIGNED, type OrderEventType } from './order-event-names.js';

/**
 * Customer events produced by order ingestion, so journeys can react to orders (payment
 * reminders start on `order_created`, end on `order_paid`). Their idempotency key is
 * `order:<externalId>:<type>`, which makes re-imports and status replays record each once.
 */
export { ORDER_CREATED, ORDER_PAID, ORDER_CANCELLED, ORDER_REFUNDED, ORDER_SHIPPED, ORDER_SIGNED, COUPON_REDEEMED, ORDER_EVENT_TYPES, type OrderEventType } from './order-event-names.js';

/** The event an order in this status stands for (shipped/completed still mean "it was paid"). */
export function orderEventType(status: OrderStatus): OrderEventType {
  switch (status) {
    case 'created':
      return ORDER_CREATED;
    case 'paid':
    case 'shipped':
    case 'completed':
      return ORDER_PAID;
    case 'cancelled':
      return ORDER_CANCELLED;
    case 'refunded':
      return ORDER_REFUNDED;
  }
}

export function orderEventKey(orderExternalId: string, type: OrderEventType): string {
  return `order:${orderExternalId}:${type}`;
}

export interface OrderEventFields {
  externalId: string;
  status: OrderStatus;
  amount: number;
  createdAt: number;
  paidAt: number | null;
  promotion: string | null;
}

/**
 * What every order event carries. One place, so the event writers (orderEvent, logisticsEvents, the
 * demo shop's bulk writer) and validate's check of a trigger's key (flow/trigger-key-checks.ts)
 * cannot drift apart.
 */
export function orderEventProperties(o: { externalId: string; amount: number; status: string; promotion: string | null }) {
  return { orderId: o.externalId, amount: o.amount, status: o.status, promotion: o.promotion };
}

/**
 * `JSON.stringify(orderEventProperties(o))`, written out: the same text (the same keys in the same
 * order, each value as JSON.stringify writes it), without the object. An import's parser thread
 * writes it for every order (core/data/import/staged-order.ts), where the object and the generic
 * stringify were a visible share (tests/unit/import-staged-order.test.ts holds the two equal).
 */
export function orderEventPropertiesJson(o: { externalId: string; amount: number; status: string; promotion: string | null }): string {
  // Values JSON.stringify would drop or write otherwise (undefined) go the generic way.
  if (typeof o.externalId !== 'string' || typeof o.amount !== 'number' || typeof o.status !== 'string' || (o.promotion !== null && typeof o.promotion !== 'string')) return JSON.stringify(orderEventProperties(o));
  return `{"orderId":${JSON.stringify(o.externalId)},"amount":${JSON.stringify(o.amount)},"status":${JSON.stringify(o.status)},"promotion":${o.promotion === null ? 'null' : JSON.stringify(o.promotion)}}`;
}

/** The property names of every order event, in the order they are stored. */
export const ORDER_EVENT_PROPERTIES: readonly string[] = Object.keys(orderEventProperties({ externalId: '', amount: 0, status: '', promotion: null }));

/**
 * The event to record for an order as it is now. `at` (the import clock) is used when the order
 * carries no time for the change (cancellations and refunds).
 */
export function orderEvent(o: OrderEventFields, at: number) {
  const type = orderEventType(o.status);
  const occurredAt = type === ORDER_CREATED ? o.createdAt : type === ORDER_PAID ? (o.paidAt ?? o.createdAt) : at;
  return {
    type,
    occurredAt,
    idempotencyKey: orderEventKey(o.externalId, type),
    properties: orderEventProperties(o),
  };
}

/**
 * Shipping and sign-for events for a known order whose status moved on (an import does not say
 * when it shipped, so the import time is used): shipped → `order_shipped`; completed (确认收货) →
 * `order_signed`, and `order_shipped` too if it was never seen shipped. Keyed per order, so a
 * re-import records nothing new.
 */
export function logisticsEvents(prev: OrderStatus | null, next: OrderEventFields, at: number): { type: string; occurredAt: number; idempotencyKey: string; properties: Record<string, unknown> }[] {
  const out: { type: string; occurredAt: number; idempotencyKey: string; properties: Record<string, unknown> }[] = [];
  // A first import of an already shipped or completed order says nothing about when: no event.
  if (prev === null) return out;
  const seenShipped = prev === 'shipped' || prev === 'completed';
  const props = orderEventProperties(next);
  if ((next.status === 'shipped' || next.status === 'completed') && !seenShipped) out.push({ type: ORDER_SHIPPED, occurredAt: at, idempotencyKey: orderEventKey(next.externalId, ORDER_SHIPPED), properties: props });
  if (next.status === 'completed' && prev !== 'completed') out.push({ type: ORDER_SIGNED, occurredAt: at, idempotencyKey: orderEventKey(next.externalId, ORDER_SIGNED), properties: props });
  return out;
}
