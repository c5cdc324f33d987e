import type { DataSource, EntityManager } from 'typeorm';
import type { Channel } from '../../server/src/core/data/model.js';
import { CustomerEntity } from '../../server/src/persistence/entities/customer.entity.js';
import { forDialect, num, rows } from '../../server/src/persistence/outbox-sql.js';

/**
 * Rows for outbox/channel/link tests, written straight into `customers` and `sends` (the journey
 * stepper that normally queues sends is tested on its own).
 */
export async function insertCustomer(
  ds: DataSource,
  c: { externalId: string; email?: string | null; phone?: string | null; wechatId?: string | null; consent?: Partial<Record<Channel, boolean>>; deletedAt?: number | null },
): Promise<number> {
  const r = await ds.getRepository(CustomerEntity).insert({
    externalId: c.externalId,
    name: null,
    phone: c.phone ?? null,
    email: c.email ?? null,
    wechatId: c.wechatId ?? null,
    province: null,
    city: null,
    device: null,
    tags: [],
    consent: (c.consent ?? { sms: true, email: true, wechat: true, wangwang: true, push: true }) as Record<string, boolean>,
    attributes: {},
    createdAt: 0,
    updatedAt: 0,
    deletedAt: c.deletedAt ?? null,
  });
  return num(r.identifiers[0].id);
}

export interface SendFixture {
  customerId: number;
  idempotencyKey?: string;
  channel?: Channel;
  category?: 'marketing' | 'care' | 'transactional';
  status?: string;
  reason?: string | null;
  subject?: string | null;
  body?: string;
  flowId?: string;
  versionId?: number;
  nodeId?: string;
  arm?: string | null;
  linkToken?: string | null;
  linkUrl?: string | null;
  couponCode?: string | null;
  attempts?: number;
  nextAttemptAt?: number | null;
  scheduledAt?: number;
  sentAt?: number | null;
}

let seq = 0;

/** `manager`: a transaction's, so a test inserting thousands commits once. */
export async function insertSend(ds: DataSource, s: SendFixture, manager: EntityManager = ds.manager): Promise<number> {
  const key = s.idempotencyKey ?? `t${process.pid}-${++seq}:node:1`;
  const values = [
    key,
    1,
    s.customerId,
    s.flowId ?? 'winback',
    s.versionId ?? 1,
    s.nodeId ?? 'send-1',
    s.arm ?? null,
    s.channel ?? 'email',
    s.category ?? 'marketing',
    0,
    s.subject === undefined ? 'We miss you' : s.subject,
    s.body ?? 'Come back for 10% off',
    s.linkToken ?? null,
    s.linkUrl ?? null,
    s.couponCode ?? null,
    null,
    null,
    s.status ?? 'queued',
    s.reason ?? null,
    s.attempts ?? 0,
    s.nextAttemptAt ?? null,
    s.scheduledAt ?? 0,
    s.sentAt ?? null,
  ];
  const r = await rows<{ id: number | string }>(
    ds,
    manager,
    `INSERT INTO sends (idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, arm, channel, category, priority, subject, body, link_token, link_url, coupon_code, coupon_value, cost, status, reason, attempts, next_attempt_at, scheduled_at, sent_at)
     VALUES (${values.map(() => '?').join(', ')}) RETURNING id`,
    values,
  );
  return num(r[0].id);
}

export interface SendState {
  id: number;
  status: string;
  attempts: number;
  next_attempt_at: number | null;
  sent_at: number | null;
  provider_message_id: string | null;
  last_error: string | null;
  reason: string | null;
}

export async function sendState(ds: DataSource, id: number): Promise<SendState> {
  const [r] = await ds.query(forDialect(ds, 'SELECT id, status, attempts, next_attempt_at, sent_at, provider_message_id, last_error, reason FROM sends WHERE id = ?'), [id]);
  return {
    ...r,
    id: num(r.id),
    attempts: num(r.attempts),
    next_attempt_at: r.next_attempt_at === null ? null : num(r.next_attempt_at),
    sent_at: r.sent_at === null ? null : num(r.sent_at),
  };
}
