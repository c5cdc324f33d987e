import { describe, expect, it } from '@jest/globals';
import { broughtForwardWords } from '../../designer/src/model/brought-forward-words.js';
import { simulationWords, type SimulationResult } from '../../designer/src/model/sim-summary.js';

const gap = { dataEnd: '2026-11-29T10:00:00.000Z', start: '2027-10-25T02:00:00.000Z', buyers: 1234, orders: 2345, revenue: 456789.5, unpaidClosed: 12, unpaidPlaced: 3 };
const result = (broughtForward: SimulationResult['broughtForward']): SimulationResult => ({
  days: 16,
  summary: {},
  report: { enrollments: { active: 0, completed: 0, exited: 0 }, nodes: [], sends: [] },
  funnel: null,
  broughtForward,
});

describe('the shop brought forward to a later simulation start, in the designer', () => {
  it('says in one Chinese line where the shop data ends and what customers bought until the start', () => {
    expect(broughtForwardWords('zh', gap, 'Asia/Shanghai')).toBe(
      '店铺数据到 2026/11/29 为止；模拟前先让顾客按各自的购买习惯继续购买到开始日：1,234 位顾客付款 2,345 单，金额 ¥456,789.5；12 笔超过两天未付款的订单已关闭，3 笔新下单未付款',
    );
  });

  it('leaves out the unpaid orders when none were closed or placed', () => {
    expect(broughtForwardWords('zh', { ...gap, unpaidClosed: 0, unpaidPlaced: 0 }, 'Asia/Shanghai')).toBe('店铺数据到 2026/11/29 为止；模拟前先让顾客按各自的购买习惯继续购买到开始日：1,234 位顾客付款 2,345 单，金额 ¥456,789.5');
  });

  it('dates the data end in the shop time zone', () => {
    expect(broughtForwardWords('zh', { ...gap, dataEnd: '2026-11-29T17:00:00.000Z' }, 'Asia/Shanghai')).toMatch(/^店铺数据到 2026\/11\/30 为止/);
  });

  it('says nothing when the server brought nothing forward (null or an older server without the field)', () => {
    expect(broughtForwardWords('zh', null)).toBeNull();
    expect(broughtForwardWords('zh', undefined)).toBeNull();
  });

  it('stands second in the simulation summary, only when present', () => {
    const lines = simulationWords('zh', result(gap), undefined, 'Asia/Shanghai');
    expect(lines[1]).toMatch(/^店铺数据到 2026\/11\/29 为止；/);
    expect(lines.filter((l) => l.startsWith('店铺数据到'))).toHaveLength(1);
    expect(simulationWords('zh', result(null), undefined, 'Asia/Shanghai').some((l) => l.startsWith('店铺数据到'))).toBe(false);
    expect(simulationWords('zh', result(undefined), undefined, 'Asia/Shanghai').some((l) => l.startsWith('店铺数据到'))).toBe(false);
  });
});
