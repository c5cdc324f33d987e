import { describe, expect, it } from '@jest/globals';
import { notEnteredWords, type NotEnteredView } from '../../designer/src/model/not-entered-words.js';

/** What the customers page says of a live journey the customer is not in (GET /api/customers/:id/journey notEntered). */
const NOW = Date.parse('2026-12-05T02:00:00Z');
const titles = new Map([['quiet-big', '半年没回购的大客户'], ['big', '大客户']]);
const base: NotEnteredView = { flowId: 'tea-sms', status: 'active', version: 1, segment: 'quiet-big', inSegment: false, unmet: [], audienceAt: null, schedule: { every: 'day', at: '10:00' } };

describe('notEnteredWords', () => {
  it('names the condition with the customer value, in the shop words, through a referenced audience', () => {
    const n = { ...base, unmet: [{ kind: 'segment' as const, segment: 'big', unmet: [{ kind: 'fact' as const, fact: 'totalSpent', operator: 'greaterThanInclusive', value: 500, theirs: 398 }] }] };
    expect(notEnteredWords('zh', n, NOW, 'Asia/Shanghai', titles)).toBe('现在不在入口人群「半年没回购的大客户」里：在人群「大客户」里：累计消费 ≥ ¥500（TA 的：¥398）');
    expect(notEnteredWords('en', n, NOW, 'Asia/Shanghai', titles)).toBe('not in the entry audience "半年没回购的大客户" now: in segment "大客户": Total spent ≥ ¥500 (theirs: ¥398)');
  });

  it('words an any whose every branch failed, a failed not, and a missing value', () => {
    const n = {
      ...base,
      unmet: [
        { kind: 'any' as const, branches: [[{ kind: 'fact' as const, fact: 'orderCount', operator: 'greaterThan', value: 3, theirs: 1 }], [{ kind: 'fact' as const, fact: 'city', operator: 'in', value: ['杭州', '上海'], theirs: null }]] },
        { kind: 'not' as const, held: [{ kind: 'fact' as const, fact: 'recencyDays', operator: 'lessThan', value: 30, theirs: 12 }] },
      ],
    };
    expect(notEnteredWords('zh', n, NOW, 'Asia/Shanghai', titles)).toBe('现在不在入口人群「半年没回购的大客户」里：订单数 > 3（TA 的：1），也不满足 城市 是其中之一 杭州、上海（TA 的：没有）；不能满足：距上次购买天数 < 30 天（TA 的：12 天）');
  });

  it('says when a one-off audience is drawn, or was drawn without them, and a daily run that takes them', () => {
    const later = Date.parse('2027-10-27T01:00:00Z');
    expect(notEnteredWords('zh', { ...base, inSegment: true, audienceAt: later, schedule: null }, NOW, 'Asia/Shanghai', titles)).toBe('现在在入口人群「半年没回购的大客户」里：活动开始时（2027/10/27 09:00）圈定人群');
    expect(notEnteredWords('zh', { ...base, inSegment: true, audienceAt: NOW - 86_400_000, schedule: null }, NOW, 'Asia/Shanghai', titles)).toBe('现在在入口人群「半年没回购的大客户」里，但活动开始时（2026/12/04 10:00）圈定的人群里没有 TA');
    expect(notEnteredWords('zh', { ...base, inSegment: true }, NOW, 'Asia/Shanghai', titles)).toBe('现在在入口人群「半年没回购的大客户」里：下一次运行（每天 10:00）会让 TA 进入，除非旅程的人数上限或重复进入规则拦下');
    expect(notEnteredWords('zh', { ...base, inSegment: null }, NOW, 'Asia/Shanghai', titles)).toBe('入口人群「半年没回购的大客户」的规则文件已不在 rules/segments/ 里，没有检查');
  });
});
