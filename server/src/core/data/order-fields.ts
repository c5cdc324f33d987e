import { closestName } from '../text/closest-name.js';

/**
 * Fields of one order of `POST /api/orders` (model.ts orderSchema, OrderItemSchema) and the
 * fields a body has beside them. zod drops an unknown key silently, so an order feed's typo was
 * answered 200 and lost what it carried: `coupon_code` for `coupon` (the coupon never counted as
 * redeemed), `promoton` for `promotion` (a Double-11 order not counted as one), `categroy` in an
 * item. `POST /api/events` refuses such a field (event-fields.ts); orders now do the same.
 */
export const ORDER_FIELDS = ['externalId', 'customerExternalId', 'status', 'amount', 'createdAt', 'paidAt', 'promotion', 'coupon', 'items'] as const;
export const ORDER_ITEM_FIELDS = ['sku', 'category', 'season', 'quantity', 'price'] as const;

export interface UnknownOrderField {
  /** Where, as the other answers name a field: `paymentStatus`, `items.0.categroy`. */
  field: string;
  didYouMean: string | null;
}

/** The field a slip was meant to be: one a slip away, or one the name starts with (`coupon_code`, `couponCode` → coupon). */
function meant(name: string, known: readonly string[]): string | null {
  const near = closestName(name, known);
  if (near) return near;
  const bare = name.toLowerCase().replace(/[_\-\s]/g, '');
  return known.find((k) => bare.startsWith(k.toLowerCase())) ?? null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The fields of `raw` (and of its items) that no order has; [] for anything not an object (its shape is refused by the schema). */
export function unknownOrderFields(raw: unknown): UnknownOrderField[] {
  if (!isRecord(raw)) return [];
  const out: UnknownOrderField[] = [];
  for (const k of Object.keys(raw)) if (!(ORDER_FIELDS as readonly string[]).includes(k)) out.push({ field: k, didYouMean: meant(k, ORDER_FIELDS) });
  if (Array.isArray(raw.items)) {
    raw.items.forEach((item, i) => {
      if (!isRecord(item)) return;
      for (const k of Object.keys(item)) if (!(ORDER_ITEM_FIELDS as readonly string[]).includes(k)) out.push({ field: `items.${i}.${k}`, didYouMean: meant(k, ORDER_ITEM_FIELDS) });
    });
  }
  return out;
}

/** `field: unknown field; did you mean x?`, as POST /api/events says it. */
export function unknownOrderFieldMessage(u: UnknownOrderField): string {
  return `${u.field}: unknown field${u.didYouMean ? `; did you mean ${u.didYouMean}?` : ''}`;
}

/**
 * The other problems of a refused order worth saying: `items.0.category: required` beside
 * `items.0.categroy: unknown field; did you mean category?` says the same thing again.
 */
export function issuesBesideUnknownOrderFields<T extends { field: string }>(unknown: readonly UnknownOrderField[], issues: readonly T[]): T[] {
  const meantPaths = new Set(unknown.filter((u) => u.didYouMean).map((u) => u.field.replace(/[^.]*$/, u.didYouMean!)));
  return issues.filter((i) => !meantPaths.has(i.field));
}
