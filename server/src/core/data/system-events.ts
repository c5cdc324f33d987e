import { COUPON_REDEEMED, ORDER_EVENT_TYPES } from './order-events.js';

/** A customer opened a message's tracked link (api/channels/link-clicks.service.ts records it). */
export const LINK_CLICK = 'click';

/** The opt-out event the contact policy reads unless rules/policy.yaml names another (policy/schema.ts). */
export const DEFAULT_UNSUBSCRIBE_EVENT = 'unsubscribe';

/**
 * The event types the system itself records (order imports, coupon redemptions, link clicks) or
 * acts on by default: a flow may name them before the shop's log holds any. Anything else is a
 * shop's own event, sent through POST /api/events.
 */
export const SYSTEM_EVENTS: readonly string[] = [...ORDER_EVENT_TYPES, COUPON_REDEEMED, LINK_CLICK, DEFAULT_UNSUBSCRIBE_EVENT];
