import { describe, expect, it } from '@jest/globals';
import { stepName } from '../../designer/src/model/step-name.js';
import { nodeSummary } from '../../designer/src/model/summary.js';

/**
 * An imported flow file with a channel the designer does not know ("fax") named its unnamed send
 * step "发送fax" on the card and in every problem (发送fax：请为「渠道」选择一个选项).
 */
describe('an unnamed send step’s name', () => {
  it('a known channel in words', () => {
    expect(stepName('zh', { id: 's', type: 'send', channel: 'sms' })).toBe('发送短信');
    expect(stepName('en', { id: 's', type: 'send', channel: 'email' })).toBe('Send Email');
  });
  it('an unknown channel is not shown as its code: 发送消息', () => {
    expect(stepName('zh', { id: 's', type: 'send', channel: 'fax' })).toBe('发送消息');
    expect(stepName('zh', { id: 's', type: 'send', channel: 'toString' })).toBe('发送消息');
    expect(stepName('zh', { id: 's', type: 'send' })).toBe('发送消息');
  });
});

describe('a send card’s line with a channel the designer does not know', () => {
  it('says 未选渠道, not the code', () => {
    expect(nodeSummary('zh', { id: 's', type: 'send', channel: 'fax', template: '你好' })).toBe('未选渠道：你好');
    expect(nodeSummary('zh', { id: 's', type: 'send', channel: 'sms', template: '你好' })).toBe('短信：你好');
  });
});
