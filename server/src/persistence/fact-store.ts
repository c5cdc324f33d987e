import { In, type DataSource, type EntityManager } from 'typeorm';
import { computeStoredFacts, type StoredFacts } from '../core/facts/stored-facts.js';
import { decodeList, encodeList } from './columns.js';
import { toCustomer, toOrder } from './customer-mapper.js';
import { CustomerEntity } from './entities/customer.entity.js';
import { CustomerFactsEntity } from './entities/customer-facts.entity.js';
import { OrderEntity } from './entities/order.entity.js';

export function encodeFacts(f: StoredFacts, now: number): CustomerFactsEntity {
  const e = new CustomerFactsEntity();
  Object.assign(e, {
    ...f,
    categories: encodeList(f.categories),
    categorySeasons: encodeList(f.categorySeasons),
    double11Years: encodeList(f.double11Years),
    tags: encodeList(f.tags),
    updatedAt: now,
  });
  return e;
}

const bool = (v: unknown): boolean | null => (v === null || v === undefined ? null : v === true || v === 1 || v === '1' || v === 't');
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Decodes a row of `customer_facts`, read either through TypeORM or as a raw SQL row (snake_case). */
export function decodeFacts(r: Record<string, unknown>): StoredFacts {
  const g = (camel: string, snake: string) => (camel in r ? r[camel] : r[snake]);
  return {
    customerId: Number(g('customerId', 'customer_id')),
    orderCount: Number(g('orderCount', 'order_count')),
    totalSpent: Number(g('totalSpent', 'total_spent')),
    firstOrderAt: num(g('firstOrderAt', 'first_order_at')),
    lastOrderAt: num(g('lastOrderAt', 'last_order_at')),
    unpaidOrderCount: Number(g('unpaidOrderCount', 'unpaid_order_count')),
    lastUnpaidAt: num(g('lastUnpaidAt', 'last_unpaid_at')),
    categories: decodeList(g('categories', 'categories') as string),
    categorySeasons: decodeList(g('categorySeasons', 'category_seasons') as string),
    double11Years: decodeList(g('double11Years', 'double11_years') as string),
    double11OrderCount: Number(g('double11OrderCount', 'double11_order_count') ?? 0),
    province: (g('province', 'province') as string | null) ?? null,
    city: (g('city', 'city') as string | null) ?? null,
    device: (g('device', 'device') as 'mobile' | 'pc' | null) ?? null,
    tags: decodeList(g('tags', 'tags') as string),
    consentSms: bool(g('consentSms', 'consent_sms')),
    consentEmail: bool(g('consentEmail', 'consent_email')),
    consentWechat: bool(g('consentWechat', 'consent_wechat')),
    consentWangwang: bool(g('consentWangwang', 'consent_wangwang')),
    consentPush: bool(g('consentPush', 'consent_push')),
    pAlive: num(g('pAlive', 'p_alive')),
    expectedPurchases: num(g('expectedPurchases', 'expected_purchases')),
  };
}

const REFRESH_CHUNK = 500;

/**
 * Recomputes the stored facts of the given customers from their orders, inside the caller's
 * transaction. This is the incremental path: an order or customer change refreshes only the
 * customers it touches. Customers in the recycle bin lose their fact row (segments skip them).
 */
export async function refreshFacts(m: EntityManager, customerIds: Iterable<number>, timezone: string, now: number): Promise<void> {
  const ids = [...new Set(customerIds)];
  for (let i = 0; i < ids.length; i += REFRESH_CHUNK) {
    const chunk = ids.slice(i, i + REFRESH_CHUNK);
    const customers = await m.find(CustomerEntity, { where: { id: In(chunk) } });
    const orders = await m.find(OrderEntity, { where: { customerId: In(chunk) } });
    const byCustomer = new Map<number, OrderEntity[]>();
    for (const o of orders) {
      const list = byCustomer.get(o.customerId);
      if (list) list.push(o);
      else byCustomer.set(o.customerId, [o]);
    }
    const live = customers.filter((c) => c.deletedAt === null);
    const gone = chunk.filter((id) => !live.some((c) => c.id === id));
    if (gone.length) await m.delete(CustomerFactsEntity, { customerId: In(gone) });
    const rows = live.map((c) => encodeFacts(computeStoredFacts(toCustomer(c), (byCustomer.get(c.id) ?? []).map(toOrder), timezone), now));
    if (rows.length) await m.upsert(CustomerFactsEntity, rows, ['customerId']);
  }
}

export async function loadStoredFacts(ds: DataSource | EntityManager, customerId: number): Promise<StoredFacts | null> {
  const m = 'manager' in ds ? ds.manager : ds;
  const row = await m.findOne(CustomerFactsEntity, { where: { customerId } });
  return row ? decodeFacts(row as unknown as Record<string, unknown>) : null;
}
