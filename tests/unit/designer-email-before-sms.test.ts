import { describe, expect, it } from '@jest/globals';
import { emailBeforeSmsProblems } from '../../designer/src/model/email-before-sms.js';
import { nodeFieldProblems } from '../../designer/src/model/field-problems.js';
import { allProblems } from '../../designer/src/model/local-problems.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { checkEmailBeforeSms } from '../../server/src/core/channels/email-before-sms.js';

/**
 * Leftover of the thirtieth wave: a marketer drew 短信预热 first and 邮件预热 three days later, the
 * wrong way round for the shop's rule of thumb (email 2–3 days before the matching SMS wave, to
 * stagger channels), and the Problems panel said nothing. The designer runs the engine's rule
 * (core/channels/email-before-sms.ts) and says it in Chinese, beside the SMS step's 渠道 too.
 */
const flow = (first: 'sms' | 'email', wait = '3d', kind = 'marketing'): DraftFlow => ({
  id: 'd11',
  name: '双十一预热',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'sleeping', every: 'day', at: '09:00' }, next: 'one' },
    { id: 'one', type: 'send', label: first === 'sms' ? '短信预热' : '邮件预热', channel: first, category: kind, ...(first === 'email' ? { subject: '双十一预热' } : {}), template: '双十一预热开始 回T退订', next: 'wait' },
    { id: 'wait', type: 'wait', duration: wait, next: 'two' },
    { id: 'two', type: 'send', label: first === 'sms' ? '邮件预热' : '短信预热', channel: first === 'sms' ? 'email' : 'sms', category: 'marketing', ...(first === 'sms' ? { subject: '双十一预热' } : {}), template: '双十一预热开始 回T退订', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe('a marketing SMS before its email, in the Problems panel', () => {
  it('is a warning on the SMS step naming the email step that comes after it, in Chinese', () => {
    const problems = emailBeforeSmsProblems(flow('sms'));
    expect(problems).toEqual([{ line: 0, nodeId: 'one', path: 'channel:two', message: 'local.smsBeforeEmail', severity: 'warning' }]);
    expect(problemWords('zh', problems[0], flow('sms'))).toBe('这条营销短信比同一条路径上后面的邮件「邮件预热」先发出，顾客先收到短信：经验做法是邮件比对应的短信早 2–3 天发，错开渠道（先发邮件，再用短信提醒）。请先发「邮件预热」，2–3 天后再发这条短信');
    // Among the checks the designer runs before simulating and publishing, a warning (publish is not refused).
    expect(allProblems([], flow('sms')).filter((p) => p.message === 'local.smsBeforeEmail')).toHaveLength(1);
  });

  it('is a warning when the email goes less than 2 days before the SMS, said beside the SMS step\'s 渠道', () => {
    const [p] = emailBeforeSmsProblems(flow('email', '1d'));
    expect(p).toEqual({ line: 0, nodeId: 'two', path: 'channel:one', message: 'local.smsSoonAfterEmail', severity: 'warning' });
    expect(nodeFieldProblems('zh', allProblems([], flow('email', '1d')), flow('email', '1d'), 'two').channel?.[0]).toEqual({ severity: 'warning', words: '这条营销短信离同一条路径上前面的邮件「邮件预热」不到 2 天：经验做法是邮件比对应的短信早 2–3 天发，错开渠道（先发邮件，再用短信提醒）。请在「邮件预热」和这条短信之间等 2–3 天' });
  });

  it('is not said when the email goes 2–3 days first, or the SMS is a transactional one', () => {
    expect(emailBeforeSmsProblems(flow('email', '3d'))).toEqual([]);
    expect(emailBeforeSmsProblems(flow('email', '2d'))).toEqual([]);
    expect(emailBeforeSmsProblems(flow('sms', '3d', 'transactional'))).toEqual([]);
  });

  it('is said once in the Problems panel though the server (rekindle validate\'s rule, the same one) says it too', () => {
    const [server] = checkEmailBeforeSms(flow('sms').nodes);
    const fromServer = { line: 12, nodeId: server.nodeId, path: 'nodes.1.channel', message: server.message, severity: server.severity };
    expect(allProblems([fromServer], flow('sms')).filter((p) => p.nodeId === 'one')).toEqual([{ line: 0, nodeId: 'one', path: 'channel:two', message: 'local.smsBeforeEmail', severity: 'warning' }]);
    expect(nodeFieldProblems('zh', allProblems([fromServer], flow('sms')), flow('sms'), 'one').channel).toHaveLength(1);
  });
});
