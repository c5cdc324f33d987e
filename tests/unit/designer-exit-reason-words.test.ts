import { describe, expect, it } from '@jest/globals';
import { exitReasonWords } from '../../designer/src/model/exit-reason-words.js';
import { outcomeWords } from '../../designer/src/model/reason-words.js';

/**
 * Why a journey ended, as the 客户 view says it after the status: the engine stores an event type
 * ("order_paid") when an exitOn event ended the journey, which the view printed as it is
 * ("已完成（达成目标）（order_paid）").
 */
const declared = new Map([['wechat_reply', '客户在微信里回复了店铺的消息']]);
const labels: Record<string, string> = { 'end-paid': '已付款' };
const nodeLabel = (id: string) => labels[id] ?? id;

describe('a journey’s exit reason in words (客户 view)', () => {
  it('an exitOn event by its name, not its code', () => {
    expect(exitReasonWords('zh', 'order_paid')).toBe('因「付款」结束');
    expect(exitReasonWords('zh', 'order_cancelled')).toBe('因「取消订单」结束');
    expect(exitReasonWords('zh', 'wechat_reply', nodeLabel, declared)).toBe('因「客户在微信里回复了店铺的消息」结束');
    expect(exitReasonWords('en', 'order_paid')).toBe('ended by order paid');
  });
  it('an end step by its name', () => {
    expect(exitReasonWords('zh', 'goal:end-paid', nodeLabel)).toBe('到达目标「已付款」');
    expect(exitReasonWords('zh', 'exit:end-paid', nodeLabel)).toBe('到达结束「已付款」');
  });
  it("the engine's own reasons in words", () => {
    expect(exitReasonWords('zh', 'flow-stopped')).toBe('旅程已停止');
    expect(exitReasonWords('zh', 'group-full')).toBe('分组人数已满');
    expect(exitReasonWords('zh', 'too-many-steps')).not.toContain('too-many-steps');
    expect(exitReasonWords('zh', null)).toBe('');
  });
  it('the timeline line of a journey an exitOn event ended without a goal says the event too', () => {
    expect(outcomeWords('zh', 'exited:order_cancelled')).toBe('离开旅程：因「取消订单」结束');
    expect(outcomeWords('zh', 'exited:exit:end')).toBe('离开旅程：到达结束');
    expect(outcomeWords('zh', 'exited:flow-stopped')).toBe('离开旅程：旅程已停止');
  });
});
