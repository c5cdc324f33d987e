import { describe, expect, it } from '@jest/globals';
import { requestRights, requestSummaryWords } from '../../designer/src/model/publish-request-words.js';

describe('publish request words (the journeys home, publish approval)', () => {
  it('sums a request up in one line: who enters, how many steps, which message steps', () => {
    const s = { name: '催付提醒', trigger: { type: 'event', event: 'order_created' }, steps: 9, messages: { wangwang: 1, sms: 2 } };
    expect(requestSummaryWords('zh', s, 'Asia/Shanghai')).toBe('当顾客下单时 · 9 个步骤 · 发送步骤：短信 2、旺旺 1');
    expect(requestSummaryWords('en', { ...s, steps: 1, messages: {} }, 'Asia/Shanghai')).toMatch(/ · 1 step · sends nothing$/);
  });

  it('lets another admin decide, the asker or an admin withdraw, and says why a button is off', () => {
    const pending = { requestedBy: 'li.na', status: 'pending' as const };
    expect(requestRights({ username: 'chen', role: 'admin' }, pending)).toEqual({ decide: true, withdraw: true, whyNot: null });
    expect(requestRights({ username: 'li.na', role: 'admin' }, pending)).toEqual({ decide: false, withdraw: true, whyNot: 'approval.ownRequest' });
    expect(requestRights({ username: 'li.na', role: 'marketer' }, pending)).toEqual({ decide: false, withdraw: true, whyNot: 'approval.ownRequest' });
    expect(requestRights({ username: 'wang', role: 'marketer' }, pending)).toEqual({ decide: false, withdraw: false, whyNot: 'approval.adminOnly' });
    expect(requestRights({ username: 'chen', role: 'admin' }, { ...pending, status: 'approved' })).toEqual({ decide: false, withdraw: false, whyNot: null });
  });
});
