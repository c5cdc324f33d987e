/**
 * The names of the order events (order-events.ts makes the events): apart from it, without the
 * order model, so pure checks the designer imports (core/flow/payment-reminder-steps.ts) can name
 * them.
 */
export const ORDER_CREATED = 'order_created';
export const ORDER_PAID = 'order_paid';
export const ORDER_CANCELLED = 'order_cancelled';
export const ORDER_REFUNDED = 'order_refunded';
/** Shipping and delivery (签收) events: post-purchase care counts from them (seed 002). */
export const ORDER_SHIPPED = 'order_shipped';
export const ORDER_SIGNED = 'order_signed';
/** An order used a coupon of the ledger (properties: code, orderId, amount = the coupon's face value). */
export const COUPON_REDEEMED = 'coupon_redeemed';

export const ORDER_EVENT_TYPES = [ORDER_CREATED, ORDER_PAID, ORDER_CANCELLED, ORDER_REFUNDED, ORDER_SHIPPED, ORDER_SIGNED] as const;
export type OrderEventType = (typeof ORDER_EVENT_TYPES)[number];
