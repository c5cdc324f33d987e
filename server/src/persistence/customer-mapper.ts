import type { Customer, Order } from '../core/data/model.js';
import type { CustomerEntity } from './entities/customer.entity.js';
import type { OrderEntity } from './entities/order.entity.js';

export function toCustomer(e: CustomerEntity): Customer {
  return {
    id: e.id,
    externalId: e.externalId,
    name: e.name,
    phone: e.phone,
    email: e.email,
    wechatId: e.wechatId,
    province: e.province,
    city: e.city,
    device: e.device,
    tags: e.tags ?? [],
    consent: e.consent ?? {},
    attributes: e.attributes ?? {},
  };
}

export function toOrder(e: OrderEntity): Order {
  return {
    id: e.id,
    externalId: e.externalId,
    customerId: e.customerId,
    status: e.status,
    amount: e.amount,
    createdAt: e.createdAt,
    paidAt: e.paidAt,
    promotion: e.promotion,
    items: e.items ?? [],
  };
}

const parsed = <T>(v: unknown, fallback: T): T => (typeof v === 'string' ? (JSON.parse(v) as T) : ((v as T) ?? fallback));

/** A raw `customers` row (snake_case, JSON text columns) as the core sees it. */
export function rawRowToCustomer(r: Record<string, unknown>): Customer {
  return {
    id: Number(r.id),
    externalId: String(r.external_id),
    name: (r.name as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    wechatId: (r.wechat_id as string | null) ?? null,
    province: (r.province as string | null) ?? null,
    city: (r.city as string | null) ?? null,
    device: (r.device as 'mobile' | 'pc' | null) ?? null,
    tags: parsed<string[]>(r.tags, []),
    consent: parsed<Record<string, boolean>>(r.consent, {}),
    attributes: parsed<Record<string, unknown>>(r.attributes, {}),
  };
}
