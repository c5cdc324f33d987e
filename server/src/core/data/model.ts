import { z } from 'zod';
import { checkIdText, checkInstantRange, checkInstantText, checkJsonSize, checkPaidAfterCreated, MAX_ID_LENGTH } from './input-limits.js';
import { EventTypeSchema } from './event-type.js';
import { deviceOf } from './device-words.js';
import { storedPhone } from './phone.js';

/**
 * The shop's data as it enters Rekindle (import files, REST bodies). One zod source gives the
 * validation, the TypeScript types and the error messages that name the bad field.
 */
export const CHANNELS = ['sms', 'email', 'wechat', 'wangwang', 'push'] as const;
export type Channel = (typeof CHANNELS)[number];

export const ORDER_STATUSES = ['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
/** Orders that count as a purchase in the facts (refunded and cancelled do not). */
export const PURCHASE_STATUSES: ReadonlySet<OrderStatus> = new Set(['paid', 'shipped', 'completed']);

export const DEVICES = ['mobile', 'pc'] as const;
export const SEASONS = ['spring', 'summer', 'autumn', 'winter'] as const;

const instantInput = z.union([z.string(), z.number()], { error: (i) => (i.input === undefined ? 'required: an ISO-8601 date-time or epoch milliseconds' : 'not a date-time: give ISO-8601 (2026-11-11T10:00:00+08:00 or 2026-11-11 10:00:00 in shop time) or epoch milliseconds') });

/**
 * A time as epoch ms. Text without an offset is wall-clock time in the shop's `timezone`
 * (checkInstantText): the schemas are built per time zone (inputSchemas), never from the host's.
 */
function instantIn(timezone: string) {
  return instantInput.transform((v, ctx) => {
    let ms: number;
    if (typeof v === 'number') ms = v;
    else {
      // A real calendar date: 2026-02-30 is refused, not read as 2 March.
      const r = checkInstantText(v, timezone);
      if ('error' in r) {
        ctx.addIssue({ code: 'custom', message: r.error });
        return z.NEVER;
      }
      ms = r.ms;
    }
    const range = checkInstantRange(ms);
    if (range) {
      ctx.addIssue({ code: 'custom', message: range });
      return z.NEVER;
    }
    return ms;
  });
}

/** An id from the shop's systems: trimmed, bounded, no control characters. */
const externalId = z
  .string()
  .trim()
  .min(1)
  .max(MAX_ID_LENGTH)
  .superRefine((v, ctx) => {
    const bad = checkIdText(v);
    if (bad) ctx.addIssue({ code: 'custom', message: bad });
  });

/** Free-form JSON kept with a row (event properties, customer attributes): at most 64 KB. */
const boundedRecord = z.record(z.string(), z.unknown()).superRefine((v, ctx) => {
  const bad = checkJsonSize(v);
  if (bad) ctx.addIssue({ code: 'custom', message: bad });
});

const optionalText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : s))
  .nullish();

/** optionalText, a mainland mobile stored as its 11 digits (+86 139 1234 5678 → 13912345678): phone.ts says why. */
const phoneText = z
  .string()
  .trim()
  .transform((s) => (s === '' ? null : storedPhone(s)))
  .nullish();

const stringList = z
  .union([z.array(z.string()), z.string()])
  .transform((v) => (Array.isArray(v) ? v : v.split(/[|,;]/)).map((s) => s.trim()).filter(Boolean));

export const ConsentSchema = z.partialRecord(z.enum(CHANNELS), z.boolean());
export type Consent = z.infer<typeof ConsentSchema>;

export const CustomerInputSchema = z.object({
  externalId,
  name: optionalText,
  phone: phoneText,
  email: z.string().trim().email().nullish().or(z.literal('').transform(() => null)),
  wechatId: optionalText,
  province: optionalText,
  city: optionalText,
  // 手机 / 电脑 (a Chinese shop's words) read as mobile / pc: device-words.ts.
  device: z.preprocess((v) => (typeof v === 'string' ? (deviceOf(v) ?? v) : v), z.enum(DEVICES).nullish()),
  tags: stringList.optional(),
  consent: ConsentSchema.optional(),
  attributes: boundedRecord.optional(),
});
export type CustomerInput = z.infer<typeof CustomerInputSchema>;

/**
 * The largest amount or price an order may state: 10¹², the bound of every number in rules
 * (core/rules/operators.ts MAX_NUMBER). An amount of 1e300 was stored, and became the customer's
 * totalSpent and AOV, beyond any rule's reach and any report's sense.
 */
export const MAX_MONEY = 1e12;
const money = z.number().nonnegative().max(MAX_MONEY, { message: `at most ${MAX_MONEY} (10^12)` });

export const OrderItemSchema = z.object({
  sku: z.string().min(1),
  category: z.string().min(1),
  season: z.enum(SEASONS).nullish(),
  quantity: z.number().int().positive().default(1),
  price: money.optional(),
});
export type OrderItem = z.infer<typeof OrderItemSchema>;

function orderSchema<T extends z.ZodType>(instant: T) {
  return z
  .object({
    externalId,
    customerExternalId: externalId,
    status: z.enum(ORDER_STATUSES),
    amount: money,
    createdAt: instant,
    paidAt: instant.nullish(),
    promotion: optionalText,
    /** Code of the coupon the order used (Taobao: 店铺优惠券); matched against the coupons ledger. */
    coupon: optionalText,
    items: z.array(OrderItemSchema).default([]),
  })
  .refine((o) => o.status === 'created' || o.status === 'cancelled' || o.paidAt != null, {
    message: 'a paid, shipped, completed or refunded order needs paidAt',
    path: ['paidAt'],
  });
}

/**
 * The order schema of a shop: times read in its zone, and paidAt not before createdAt (the shop's
 * wall clock in the message). A paidAt within the skew tolerance before createdAt is stored as
 * createdAt, so order_paid never precedes order_created in the journeys' event order.
 */
/** Rounded to cents the way stored totals are (core/facts/stored-facts.ts). */
const toCents = (x: number) => Math.round(x * 100) / 100;

function zonedOrderSchema(timezone: string) {
  return orderSchema(instantIn(timezone)).transform((input, ctx) => {
    // An amount is money: stored in whole cents, as every total of it is rounded. A finer fraction
    // (19.999 from a spreadsheet) kept as sent made an import's per-chunk totals and a full
    // recompute's one total round differently, a cent apart.
    const o = { ...input, amount: toCents(input.amount) };
    if (o.paidAt == null || o.paidAt >= o.createdAt) return o;
    const bad = checkPaidAfterCreated(o.createdAt, o.paidAt, timezone);
    if (bad) {
      ctx.addIssue({ code: 'custom', message: bad, path: ['paidAt'] });
      return z.NEVER;
    }
    return { ...o, paidAt: o.createdAt };
  });
}

function eventSchema<T extends z.ZodType>(instant: T) {
  return z.object({
  customerExternalId: externalId,
  type: EventTypeSchema,
  properties: boundedRecord.default({}),
  occurredAt: instant,
  idempotencyKey: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .superRefine((v, ctx) => {
      const bad = checkIdText(v);
      if (bad) ctx.addIssue({ code: 'custom', message: bad });
    }),
  });
}

export type OrderInput = z.infer<ReturnType<typeof orderSchema<ReturnType<typeof instantIn>>>>;
export type EventInput = z.infer<ReturnType<typeof eventSchema<ReturnType<typeof instantIn>>>>;

export interface InputSchemas {
  customers: typeof CustomerInputSchema;
  orders: z.ZodType<OrderInput>;
  events: z.ZodType<EventInput>;
}

const byZone = new Map<string, InputSchemas>();
/** The input schemas of a shop: offset-less times in its files and bodies are its wall clock. Built once per zone. */
export function inputSchemas(timezone: string): InputSchemas {
  let s = byZone.get(timezone);
  if (!s) {
    const instant = instantIn(timezone);
    s = { customers: CustomerInputSchema, orders: zonedOrderSchema(timezone), events: eventSchema(instant) };
    byZone.set(timezone, s);
  }
  return s;
}

/**
 * The shape of `POST /api/orders` for the route's first check and its OpenAPI description: times
 * stay as sent (text or epoch ms) because the shop's time zone is not known where routes are
 * declared; the controller then validates with inputSchemas(shop zone).orders, which also holds
 * paidAt against createdAt (its message shows the shop's wall clock).
 */
export const OrderBodyShape = orderSchema(instantInput);

/** The shape of one event of `POST /api/events` (for its OpenAPI description; validated per shop zone as orders are). */
export const EventBodyShape = eventSchema(instantInput);

/** A stored customer as the core sees it (persistence maps its rows to this). */
export interface Customer {
  id: number;
  externalId: string;
  name: string | null;
  phone: string | null;
  email: string | null;
  wechatId: string | null;
  province: string | null;
  city: string | null;
  device: 'mobile' | 'pc' | null;
  tags: string[];
  consent: Consent;
  attributes: Record<string, unknown>;
}

export interface Order {
  id?: number;
  externalId: string;
  customerId: number;
  status: OrderStatus;
  amount: number;
  createdAt: number;
  paidAt: number | null;
  promotion: string | null;
  items: OrderItem[];
}

/** Turns a zod error into "field: message" lines, the form every import and API error uses. */
export function describeZodError(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((i) => ({ field: i.path.join('.') || '(row)', message: i.message }));
}
