import { describe, expect, it } from '@jest/globals';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { deliveryErrorWords } from '../../designer/src/model/reason-words.js';
import { stepWords } from '../../designer/src/model/send-step-words.js';

describe('a customer\'s timeline says what became of each message', () => {
  const failed = { id: 7, status: 'failed', reason: null, error: 'simulated: not delivered' };

  it('says a queued step\'s message failed, with why, as the send table does — not "消息已发出"', () => {
    const words = stepWords('zh', { outcome: 'queued', sendId: 7 }, [failed]);
    expect(words).toBe('发送失败：模拟渠道未送达');
    // The send table's cells for the same row: its status word and the error in words.
    expect(words).toBe(`${MESSAGES.zh['send.failed']}：${deliveryErrorWords('zh', failed.error)}`);
    expect(words).not.toContain('已发出');
  });

  it('says waiting, sending and sent with the send table\'s words, and blocked or skipped with the reason', () => {
    const at = (status: string, reason: string | null = null) => stepWords('zh', { outcome: 'queued', sendId: 1 }, [{ id: 1, status, reason, error: null }]);
    expect(at('queued')).toBe(MESSAGES.zh['send.queued']);
    expect(at('sending')).toBe(MESSAGES.zh['send.sending']);
    expect(at('sent')).toBe(MESSAGES.zh['send.sent']);
    expect(at('failed')).toBe('发送失败：渠道没有给出原因');
    expect(at('blocked', 'quiet-hours')).toMatch(/^被拦截：/);
    expect(stepWords('en', { outcome: 'queued', sendId: 7 }, [failed])).toBe('failed: the simulated channel did not deliver it');
  });

  it('without its message (an older server, a step that wrote none) a queued step says it was queued, not that it went out', () => {
    expect(stepWords('zh', { outcome: 'queued' }, [])).toBe('进入发送队列');
    expect(stepWords('zh', { outcome: 'queued', sendId: 99 }, [failed])).toBe('进入发送队列');
    expect(stepWords('zh', { outcome: 'exited:exit' }, [])).toBe('离开旅程：到达结束');
  });
});
