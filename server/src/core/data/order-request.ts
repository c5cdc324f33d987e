import { z } from 'zod';
import { CustomerInputSchema, OrderBodyShape, type CustomerInput, type OrderInput } from './model.js';
import { futureOrderTimeIssue } from './event-time-window.js';
import { issuesBesideUnknownOrderFields, unknownOrderFieldMessage, unknownOrderFields } from './order-fields.js';
import { CUSTOMER_FIELDS } from './import/ndjson-fields.js';
import { closestName } from '../text/closest-name.js';
import { validateInput } from './import/row-mapper.js';

/**
 * What `POST /api/orders` reads from its body: one order and, optionally, its buyer.
 *
 * `customer` is the buyer's profile (the customer input shape without externalId, which is the
 * order's customerExternalId), upserted with the order in one transaction. An order feed's first
 * order of a new buyer was refused ("unknown customer … import the customer first"): the feed's
 * events:write token cannot import customers, so a first-time buyer's unpaid order started no
 * payment reminder unless the integration ran a second, file-upload channel with another token.
 * Taobao's own order export carries the buyer with each order the same way.
 */
export const ORDER_CUSTOMER_FIELDS = CUSTOMER_FIELDS.filter((f) => f !== 'externalId');

/** The body's shape for the OpenAPI description (the order's fields, and `customer`). */
export const OrderRequestShape = OrderBodyShape.and(
  z.object({
    customer: CustomerInputSchema.omit({ externalId: true })
      .optional()
      .describe("the buyer's profile (name, phone, consent …), created or updated with the order: a new buyer's first order needs no separate import"),
  }),
);

export type OrderRequest = { ok: true; order: OrderInput; customer: CustomerInput | null } | { ok: false, problems: string[] };

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The order (and buyer) of a body, or every problem of it at once, each naming its field: fields no
 * order or customer has (with the field meant), the order's own issues, times more than a day
 * ahead of `now` (event-time-window.ts), the customer's issues as `customer.<field>`.
 */
export function readOrderRequest(body: unknown, timezone: string, now: number): OrderRequest {
  const { customer: rawCustomer, ...rawOrder } = isRecord(body) ? body : { customer: undefined };
  const orderBody = isRecord(body) ? rawOrder : body;
  const unknown = unknownOrderFields(orderBody);
  const v = validateInput('orders', orderBody, timezone);
  const problems = [...unknown.map(unknownOrderFieldMessage), ...(v.ok ? [] : issuesBesideUnknownOrderFields(unknown, v.issues).map((i) => `${i.field}: ${i.message}`))];
  if (v.ok) {
    for (const [field, at] of [['createdAt', v.value.createdAt], ['paidAt', v.value.paidAt]] as const) {
      const issue = at == null ? null : futureOrderTimeIssue(at, now);
      if (issue) problems.push(`${field}: ${issue}`);
    }
  }
  let customer: CustomerInput | null = null;
  if (rawCustomer !== undefined && rawCustomer !== null) {
    if (!isRecord(rawCustomer)) problems.push('customer: expected an object (the buyer: name, phone, consent …)');
    else {
      for (const k of Object.keys(rawCustomer)) {
        if ((ORDER_CUSTOMER_FIELDS as readonly string[]).includes(k)) continue;
        const near = k === 'externalId' ? null : closestName(k, ORDER_CUSTOMER_FIELDS);
        problems.push(k === 'externalId' ? 'customer.externalId: not read here: the buyer is the order\'s customerExternalId' : `customer.${k}: unknown field${near ? `; did you mean ${near}?` : ''}`);
      }
      const c = validateInput('customers', { ...rawCustomer, externalId: isRecord(orderBody) ? orderBody.customerExternalId : undefined }, timezone);
      if (c.ok) customer = c.value;
      else problems.push(...c.issues.filter((i) => i.field !== 'externalId').map((i) => `customer.${i.field}: ${i.message}`));
    }
  }
  if (problems.length > 0 || !v.ok) return { ok: false, problems };
  return { ok: true, order: v.value, customer };
}
