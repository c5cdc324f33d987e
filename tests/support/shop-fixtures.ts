import type { DataSource } from 'typeorm';
import type { JourneyEvent } from '../../server/src/core/engine/ports.js';
import { CustomerEntity } from '../../server/src/persistence/entities/customer.entity.js';
import { OrderEntity } from '../../server/src/persistence/entities/order.entity.js';
import { refreshFacts } from '../../server/src/persistence/fact-store.js';
import { executeBatch, queryRows } from '../../server/src/persistence/sql-batch.js';

export const TZ = 'Asia/Shanghai';

export interface CustomerSeed {
  externalId: string;
  name?: string;
  phone?: string | null;
  email?: string | null;
  province?: string | null;
  device?: 'mobile' | 'pc' | null;
  tags?: string[];
  consent?: Record<string, boolean>;
}

/** Inserts customers (and their fact rows) directly; ids ascend in the given order. */
export async function addCustomers(ds: DataSource, seeds: CustomerSeed[], now = 0): Promise<number[]> {
  const ids: number[] = [];
  for (const s of seeds) {
    const c = ds.manager.create(CustomerEntity, {
      externalId: s.externalId,
      name: s.name ?? s.externalId,
      phone: s.phone === undefined ? '13800000000' : s.phone,
      email: s.email === undefined ? `${s.externalId}@example.com` : s.email,
      wechatId: null,
      province: s.province ?? '浙江',
      city: null,
      device: s.device ?? 'mobile',
      tags: s.tags ?? [],
      consent: s.consent ?? { sms: true, email: true, wechat: true, wangwang: true, push: true },
      attributes: {},
      createdAt: now,
      updatedAt: now,
      deletedAt: null,
    });
    ids.push((await ds.manager.save(c)).id);
  }
  await refreshFacts(ds.manager, ids, TZ, now);
  return ids;
}

export async function addOrder(ds: DataSource, o: { externalId: string; customerId: number; status: OrderEntity['status']; amount: number; createdAt: number; paidAt?: number | null; category?: string; promotion?: string | null }): Promise<void> {
  await ds.manager.save(
    ds.manager.create(OrderEntity, {
      externalId: o.externalId,
      customerId: o.customerId,
      status: o.status,
      amount: o.amount,
      createdAt: o.createdAt,
      paidAt: o.paidAt ?? null,
      promotion: o.promotion ?? null,
      items: [{ sku: 'SKU-1', category: o.category ?? 'dress', season: 'summer', quantity: 1 }],
      updatedAt: o.createdAt,
    }),
  );
  await refreshFacts(ds.manager, [o.customerId], TZ, o.createdAt);
}

let eventCounter = 0;
/** Stores a customer event and returns it as the engine sees it. */
export async function addEvent(ds: DataSource, customerId: number, type: string, properties: Record<string, unknown>, occurredAt: number): Promise<JourneyEvent> {
  const key = `test-${process.pid}-${eventCounter++}`;
  await executeBatch(ds, [
    { sql: 'INSERT INTO customer_events (customer_id, type, properties, occurred_at, idempotency_key, received_at) VALUES (?, ?, ?, ?, ?, ?)', params: [customerId, type, JSON.stringify(properties), occurredAt, key, occurredAt] },
  ]);
  const [row] = await queryRows(ds, 'SELECT id FROM customer_events WHERE idempotency_key = ?', [key]);
  return { id: Number(row.id), customerId, type, properties, occurredAt };
}

export async function sends(ds: DataSource): Promise<Record<string, unknown>[]> {
  return queryRows(ds, 'SELECT * FROM sends ORDER BY customer_id, scheduled_at, id');
}
