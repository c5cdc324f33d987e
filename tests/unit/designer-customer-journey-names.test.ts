import { describe, expect, it } from '@jest/globals';
import { journeyCapNames, journeyStepNames } from '../../designer/src/model/journey-names.js';
import { outcomeWords, reasonWords } from '../../designer/src/model/reason-words.js';
import { stepWords } from '../../designer/src/model/send-step-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/**
 * The 客户 view tells a customer's journey from the journey log and send table, which name caps
 * and A/B arms by their ids ("capped:d11-touches", "arm:a"). It says them as the live view's
 * cards do: the cap by what it limits, the arm by its label.
 */
const flow: DraftFlow = {
  id: 'd11',
  name: '双十一',
  caps: [{ id: 'd11-touches', max: 3, categories: ['marketing'], campaign: true }],
  nodes: [
    { id: 'ab', type: 'split', arms: [{ id: 'a', label: '方案 A', weight: 50 }, { id: 'hold', label: '对照组', weight: 50 }] },
    { id: 'sms', type: 'send', channel: 'sms' },
  ],
};
const policy = [{ id: 'sms-month', max: 2, period: 'month', channels: ['sms'], description: '每月最多两条营销短信' }];

describe('customer journey (客户 view): caps and arms in words, not ids', () => {
  it('a step assigned to an arm says the arm by its label', () => {
    const names = journeyStepNames('zh', flow, policy, 'ab');
    expect(stepWords('zh', { outcome: 'arm:a' }, [], undefined, undefined, names)).toBe('分到「方案 A」组');
    expect(stepWords('zh', { outcome: 'arm:hold' }, [], undefined, undefined, names)).toBe('分到「对照组」组');
  });
  it("a send held back by the flow's cap or the shop's names what it limits", () => {
    const names = journeyStepNames('zh', flow, policy, 'sms');
    const blocked = stepWords('zh', { outcome: 'queued', sendId: 1 }, [{ id: 1, status: 'blocked', reason: 'capped:d11-touches' }], undefined, undefined, names);
    expect(blocked).toBe('被拦截：触达上限已满：每位顾客整个活动期间最多 3 条营销消息');
    expect(blocked).not.toContain('d11-touches');
    expect(stepWords('zh', { outcome: 'skipped:capped:sms-month' }, [], undefined, undefined, names)).toBe('未发送：触达上限已满：每月最多两条营销短信');
    // The send table's reason column.
    expect(reasonWords('zh', 'capped:d11-touches', journeyCapNames('zh', flow, policy))).toBe('触达上限已满：每位顾客整个活动期间最多 3 条营销消息');
  });
  it('every outcome that carries a reason passes the cap names on (exited, deferred, queued, sent)', () => {
    const names = journeyStepNames('zh', flow, policy, 'sms');
    for (const o of ['exited:capped:d11-touches', 'deferred:capped:d11-touches', 'queued:fallback:capped:d11-touches', 'sent:fallback:capped:d11-touches', 'skipped:capped:d11-touches']) {
      expect(outcomeWords('zh', o, undefined, undefined, names)).not.toContain('d11-touches');
    }
  });
  it('a flow that is gone keeps the ids (nothing to name them by)', () => {
    const names = journeyStepNames('zh', undefined, [], 'ab');
    expect(stepWords('zh', { outcome: 'arm:a' }, [], undefined, undefined, names)).toBe('分到「a」组');
    expect(reasonWords('zh', 'capped:d11-touches', journeyCapNames('zh', undefined, []))).toBe('触达频次已满（d11-touches）');
  });
});
