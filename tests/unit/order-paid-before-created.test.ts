import { describe, expect, it } from '@jest/globals';
import { mapRow, validateInput } from '../../server/src/core/data/import/row-mapper.js';
import { parseTaobaoExport } from '../../server/src/core/data/import/taobao.js';

const TZ = 'Asia/Shanghai';
const csvOrder = (createdAt: string, paidAt: string) => ({ externalId: 'x2', customerExternalId: 'c000002', status: 'paid', amount: '12', createdAt, paidAt });

describe('an order cannot be paid before it was created (CSV, NDJSON and REST share the order schema)', () => {
  it('refuses paidAt a day before createdAt, naming paidAt and both times in the shop clock', () => {
    const r = mapRow('orders', 'csv', csvOrder('2026-11-02T10:00:00Z', '2026-11-01T09:00:00Z'), TZ);
    expect(r).toEqual({ ok: false, issues: [{ field: 'paidAt', message: expect.stringMatching(/^2026-11-01 17:00 \+08:00 is before createdAt 2026-11-02 18:00 \+08:00/) }] });
    const nd = validateInput('orders', { ...csvOrder('2026-11-02T10:00:00Z', '2026-11-01T09:00:00Z'), amount: 12 }, TZ);
    expect(nd).toEqual({ ok: false, issues: [{ field: 'paidAt', message: expect.stringContaining('is before createdAt') }] });
    // Epoch milliseconds are held to the same rule.
    const ms = validateInput('orders', { ...csvOrder('', ''), amount: 12, createdAt: Date.parse('2026-11-02T10:00:00Z'), paidAt: Date.parse('2026-11-02T09:54:59Z') }, TZ);
    expect(ms.ok).toBe(false);
  });

  it('accepts up to 5 minutes of clock skew between order and payment systems, stored as paid at creation', () => {
    const r = validateInput('orders', { ...csvOrder('2026-11-02T10:00:00Z', '2026-11-02T09:55:00Z'), amount: 12 }, TZ);
    expect(r).toMatchObject({ ok: true, value: { createdAt: Date.parse('2026-11-02T10:00:00Z'), paidAt: Date.parse('2026-11-02T10:00:00Z') } });
    const later = validateInput('orders', { ...csvOrder('2026-11-02T10:00:00Z', '2026-11-02T10:00:30Z'), amount: 12 }, TZ);
    expect(later).toMatchObject({ ok: true, value: { paidAt: Date.parse('2026-11-02T10:00:30Z') } });
  });

  it('the Taobao export (its own mapper) refuses 订单付款时间 before 订单创建时间 too', async () => {
    const text = [
      '订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间,订单付款时间',
      '1001,buyer,10,买家已付款，等待卖家发货,2026-11-02 10:00:00,2026-11-01 09:00:00',
      '1002,buyer,10,买家已付款，等待卖家发货,2026-11-02 10:00:00,2026-11-02 09:58:00',
      '1003,buyer,10,买家已付款，等待卖家发货,2026-11-02 10:00:00,2026-11-02 10:01:00',
    ].join('\n');
    const { rows } = await parseTaobaoExport(text, TZ);
    expect(rows[0]).toEqual({ line: 2, error: { field: '订单付款时间', message: expect.stringMatching(/^2026-11-01 09:00 \+08:00 is before 订单创建时间 2026-11-02 10:00 \+08:00/) } });
    expect(rows[1].order).toMatchObject({ createdAt: Date.parse('2026-11-02T02:00:00Z'), paidAt: Date.parse('2026-11-02T02:00:00Z') });
    expect(rows[2].order).toMatchObject({ paidAt: Date.parse('2026-11-02T02:01:00Z') });
  });
});
