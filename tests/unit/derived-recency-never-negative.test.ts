import { describe, expect, it } from '@jest/globals';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { storedFactsAt, type StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import type { Order } from '../../server/src/core/data/model.js';

const base: StoredFacts = {
  customerId: 1, orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null, unpaidOrderCount: 0, lastUnpaidAt: null,
  categories: [], categorySeasons: [], double11Years: [], province: null, city: null, device: null, tags: [],
  consentSms: null, consentEmail: null, consentWechat: null, consentWangwang: null, consentPush: null,
};
const ctx = { timezone: 'Asia/Shanghai', lifecycle: { activeDays: 30, silentDays: 90, sleepingDays: 180 } };
const at = Date.parse('2026-11-01T00:00:00+08:00');

describe('facts at an instant', () => {
  it('never gives a negative recencyDays, even for an order stamped after the instant', () => {
    const f = deriveFacts({ ...base, orderCount: 1, totalSpent: 10, firstOrderAt: at + 10 * MS_PER_DAY, lastOrderAt: at + 10 * MS_PER_DAY }, { at, ...ctx });
    expect(f.recencyDays).toBe(0);
  });

  it('recomputes the order facts from the orders known at the instant (an order paid later was unpaid then)', () => {
    const order = (externalId: string, created: string, paid: string | null): Order => ({ externalId, customerId: 1, status: 'paid', amount: 10, createdAt: Date.parse(created), paidAt: paid ? Date.parse(paid) : null, promotion: null, items: [] });
    const orders = [order('a', '2026-06-01T10:00:00+08:00', '2026-06-01T10:00:00+08:00'), order('b', '2026-10-30T10:00:00+08:00', '2026-11-02T10:00:00+08:00'), order('c', '2026-11-10T10:00:00+08:00', '2026-11-10T10:00:00+08:00')];
    const f = storedFactsAt({ ...base, orderCount: 3, totalSpent: 30, tags: ['vip'] }, orders, at, ctx.timezone);
    expect(f).toMatchObject({ orderCount: 1, totalSpent: 10, lastOrderAt: Date.parse('2026-06-01T10:00:00+08:00'), unpaidOrderCount: 1, tags: ['vip'] });
  });
});
