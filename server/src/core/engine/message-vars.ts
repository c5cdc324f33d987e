import { COUPON_FIELDS } from '../coupons/flow-checks.js';
import type { couponVars } from '../coupons/template-vars.js';
import { CHANNELS, type Customer } from '../data/model.js';
import type { Facts } from '../facts/derive.js';
import { FACT_NAMES } from '../facts/catalogue.js';

/**
 * What a message's placeholders are filled from: the send step renders every message with these
 * roots (send.executor.ts), and the designer's preview with stand-ins of the same shape
 * (messages.controller.ts). Validation reads MESSAGE_VARIABLES to tell a misspelt
 * `{{customer.nmae}}` — which would go out as empty text — from a real variable.
 */
export type MessageVars = {
  customer: Customer | Record<string, never>;
  facts: Facts;
  /** The journey key (an order id for a payment reminder). */
  key: string;
  /** The tracked short link, '' when the send has no link target. */
  link: string;
  coupon: ReturnType<typeof couponVars>;
};

/** What may follow a name: a printable value, any field (imported attributes), or named fields. */
export type VariableShape = 'value' | 'any' | { readonly [field: string]: VariableShape };

const fieldsOf = (names: Iterable<string>): Record<string, VariableShape> => Object.fromEntries([...names].map((n) => [n, 'value' as const]));

/** Every field of the customer record; `satisfies` keeps it in step with the Customer type. */
const CUSTOMER_FIELDS = {
  id: 'value',
  externalId: 'value',
  name: 'value',
  phone: 'value',
  email: 'value',
  wechatId: 'value',
  province: 'value',
  city: 'value',
  device: 'value',
  tags: 'value',
  consent: fieldsOf(CHANNELS),
  // Imported attributes are the shop's own: any name may exist.
  attributes: 'any',
} satisfies Record<keyof Customer, VariableShape>;

/** Every root of MessageVars with what it holds (facts: the fact catalogue; coupon: couponVars' fields). */
export const MESSAGE_VARIABLES = {
  customer: CUSTOMER_FIELDS,
  facts: fieldsOf(FACT_NAMES),
  key: 'value',
  link: 'value',
  coupon: fieldsOf(COUPON_FIELDS),
} satisfies Record<keyof MessageVars, VariableShape>;

export type VariableLookup =
  | { kind: 'ok' }
  /** `{{customer}}`: a group of fields, printed as "[object Object]". */
  | { kind: 'group'; examples: string[] }
  /** No such variable: the known names at the level where it went wrong. */
  | { kind: 'unknown'; at: string; siblings: string[] };

/** Whether `path` (as templatePaths gives it: "customer.name") names a variable a message can print. */
export function lookupVariable(path: string): VariableLookup {
  const parts = path.split('.');
  let shape: VariableShape = MESSAGE_VARIABLES;
  for (let i = 0; i < parts.length; i++) {
    if (shape === 'any') return { kind: 'ok' };
    if (shape === 'value' || !Object.hasOwn(shape, parts[i])) {
      const siblings = shape === 'value' ? [] : Object.keys(shape);
      return { kind: 'unknown', at: parts.slice(0, i).join('.'), siblings };
    }
    shape = shape[parts[i]];
  }
  if (shape === 'value' || shape === 'any') return { kind: 'ok' };
  return { kind: 'group', examples: Object.keys(shape).slice(0, 3).map((f) => `${path}.${f}`) };
}
