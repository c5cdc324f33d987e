import { describe, expect, it } from '@jest/globals';
import { groupByLabel, groupName, groupRows, type GroupRate } from '../../designer/src/model/group-response-words.js';
import { stratumOf } from '../../server/src/core/experiment/strata.js';

const g = (group: string, sent: number, responders: number, revenue = 0): GroupRate => ({ group, sent, responders, responseRate: responders / sent, responseRateCi: { low: 0, high: 1 }, revenue });

describe("a send step's responses by customer group in the marketer's words", () => {
  it('names every group code the server gives (core/experiment/strata.ts) in Chinese', () => {
    const codes = [
      stratumOf({ orderCount: 0 }, 'orderTier'),
      stratumOf({ orderCount: 2 }, 'orderTier'),
      stratumOf({ orderCount: 7 }, 'orderTier'),
      stratumOf({ aov: 56 }, 'aovBand'),
      stratumOf({ aov: 150 }, 'aovBand'),
      stratumOf({ aov: 420 }, 'aovBand'),
      stratumOf({}, 'aovBand'),
    ];
    expect(codes.map((c) => groupName('zh', c.startsWith('aov') || c === 'unknown' ? 'aovBand' : 'orderTier', c))).toEqual(['没下过单', '1–2 单', '3 单及以上', '客单价 ¥100 以下', '客单价 ¥100–299', '客单价 ¥300 及以上', '未知']);
    expect(['active', 'silent', 'sleeping', 'lost', 'prospect'].map((s) => groupName('zh', 'lifecycleStage', s))).toEqual(['活跃', '沉默', '沉睡', '流失', '潜在客户（未购买）']);
    expect(groupName('zh', 'device', 'mobile')).toBe('手机');
    expect(groupName('zh', 'province', '浙江')).toBe('浙江');
    expect(groupByLabel('zh', 'aovBand')).toBe('客单价档位');
  });

  it('lists stages in a customer\'s life and bands in their order, other groups by recipients, unknown last', () => {
    const stages = groupRows('zh', 'lifecycleStage', [g('lost', 10, 0), g('unknown', 3, 0), g('active', 12, 1, 80), g('sleeping', 98, 2), g('silent', 55, 4)]);
    expect(stages.map((r) => r.name)).toEqual(['活跃', '沉默', '沉睡', '流失', '未知']);
    expect(stages[0]).toMatchObject({ sent: 12, responders: 1, rate: '8.3% [0.0%, 100.0%]', revenue: '¥80.00' });
    expect(groupRows('zh', 'orderTier', [g('orders-3+', 5, 1), g('orders-0', 9, 0), g('orders-1-2', 7, 2)]).map((r) => r.name)).toEqual(['没下过单', '1–2 单', '3 单及以上']);
    expect(groupRows('zh', 'province', [g('浙江', 5, 1), g('unknown', 50, 0), g('广东', 9, 0)]).map((r) => r.name)).toEqual(['广东', '浙江', '未知']);
  });
});
