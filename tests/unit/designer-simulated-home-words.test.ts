import { describe, expect, it } from '@jest/globals';
import { simulatedHomeWords } from '../../designer/src/model/simulated-home-words.js';

describe("the home row of a simulated flow says its figures are a simulation's, up to when", () => {
  it("says the simulation's last step in shop time, nothing for a live flow", () => {
    const at = Date.parse('2027-11-12T09:00:00+08:00');
    expect(simulatedHomeWords('zh', at, 'Asia/Shanghai')).toBe('模拟数据，截至 2027/11/12 09:00');
    expect(simulatedHomeWords('en', at, 'Asia/Shanghai')).toBe('simulated, up to 12/11/2027, 09:00');
    expect(simulatedHomeWords('zh', null)).toBeNull();
    expect(simulatedHomeWords('zh', undefined)).toBeNull();
  });
});

// The row read 进入 0 · 转化 79 · 收入 ¥0 for a window nobody entered in: conversions and revenue are
// now the window's entrants' (persistence/flow-stats.ts), and the column headers' tooltips say so.
describe("the home's columns say whose conversions and revenue they count", () => {
  it('names the customers who entered in the period for conversions and revenue, and sent as the period\'s messages', async () => {
    const { MESSAGES } = await import('../../designer/src/model/i18n.js');
    expect(MESSAGES.zh['home.conversionsHelp']).toMatch(/^所选时间段内进入的顾客中，到达目标的旅程数/);
    expect(MESSAGES.zh['home.revenueColumnHelp']).toMatch(/^所选时间段内进入的顾客，进入后 \{days\} 天内付款的订单金额/);
    expect(MESSAGES.zh['home.sentHelp']).toMatch(/^所选时间段内发出的消息/);
    expect(MESSAGES.zh['home.revenueHelp']).toMatch(/转化、收入都只算这些顾客/);
    expect(MESSAGES.en['home.conversionsHelp']).toMatch(/^Of the customers who entered in the period/);
  });
});
