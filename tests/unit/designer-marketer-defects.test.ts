import { describe, expect, it } from '@jest/globals';
import { audienceErrorWords, conditionPlace } from '../../designer/src/model/audience-error-words.js';
import { capName, capNames } from '../../designer/src/model/cap-words.js';
import { armLabel, countLineWords } from '../../designer/src/model/count-line-words.js';
import { fieldLabel } from '../../designer/src/model/fields.js';
import { translate } from '../../designer/src/model/i18n.js';
import { eventKeyChoices } from '../../designer/src/model/journey-key-words.js';
import { fallbackChoices, hiddenFields, limitModeWords } from '../../designer/src/model/node-fields.js';
import { capWords } from '../../designer/src/model/publish-preview.js';
import { outcomeWords, reasonWords } from '../../designer/src/model/reason-words.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { simulationWords } from '../../designer/src/model/sim-summary.js';
import { windowNote } from '../../designer/src/model/sim-window.js';
import type { DraftFlow } from '../../designer/src/model/types.js';
import { CapSchema } from '../../server/src/core/policy/schema.js';
import { SendNodeSchema } from '../../server/src/core/flow/schema.js';

/**
 * The marketer's walk-through of the designer (Chinese UI), defect by defect: each case pins what
 * the designer now says or offers where it said a cap's id, an arm's id, offered a field that
 * does nothing for the step, or answered in English.
 */
const t = (k: string) => translate('zh', k);
const D11_TOUCHES = { id: 'd11-touches', max: 3, categories: ['marketing'], campaign: true };

describe('1. a contact cap is named by what it limits, not its id', () => {
  it('a cap may carry a description in the policy / flow file', () => {
    expect(CapSchema.parse({ ...D11_TOUCHES, description: '双十一每人最多 3 次营销触达' }).description).toBe('双十一每人最多 3 次营销触达');
    expect(fieldLabel('zh', 'caps.description')).toBe('说明');
  });
  it('its description when it has one, else a Chinese sentence from its numbers', () => {
    expect(capName('zh', { ...D11_TOUCHES, description: '双十一每人最多 3 次营销触达' })).toBe('双十一每人最多 3 次营销触达');
    expect(capName('zh', D11_TOUCHES)).toBe('每位顾客整个活动期间最多 3 条营销消息');
    expect(capName('zh', { id: 'sms-30d', max: 3, window: '30d', channels: ['sms'] })).toBe('每位顾客在 30 天内最多 3 条短信营销消息');
  });
  it('a card held back by a cap (live view, simulation) says 被限频 with the cap in words, not d11-touches', () => {
    const caps = capNames('zh', [D11_TOUCHES], [{ id: 'marketing-per-day', max: 1, window: '24h', description: '每天最多一条营销消息' }]);
    expect(countLineWords('zh', 'blocked:capped:capped:d11-touches', t, undefined, caps)).toBe('拦截：触达上限已满：每位顾客整个活动期间最多 3 条营销消息');
    expect(countLineWords('zh', 'blocked:capped:capped:d11-touches', t, undefined, caps)).not.toContain('d11-touches');
    // The capped branch's outcome ("capped:" + the send's reason).
    expect(outcomeWords('zh', 'capped:capped:marketing-per-day', undefined, undefined, { caps })).toBe('被限频：触达上限已满：每天最多一条营销消息');
    expect(reasonWords('zh', 'fallback:capped:marketing-per-day', caps)).toBe('改用备用渠道：触达上限已满：每天最多一条营销消息');
  });
  it('the simulation summary names the cap in words', () => {
    const r = { days: 16, summary: {}, report: { enrollments: { active: 0, completed: 0, exited: 5 }, nodes: [], sends: [{ channel: 'sms', status: 'capped', reason: 'capped:d11-touches', count: 4 }] }, funnel: null };
    const lines = simulationWords('zh', r, undefined, undefined, capNames('zh', [D11_TOUCHES]));
    expect(lines).toContain('4 条未发出：触达上限已满：每位顾客整个活动期间最多 3 条营销消息');
  });
  it('the publish dialog says the description first, the numbers after', () => {
    expect(capWords('zh', { ...D11_TOUCHES, description: '双十一每人最多 3 次营销触达', source: 'flow' })).toBe('双十一每人最多 3 次营销触达：每位顾客整个活动期间最多 3 条营销消息（本旅程的上限）');
  });
});

describe('2. an A/B split card counts arms by their labels', () => {
  const split = { id: 'ab', type: 'split' as const, arms: [{ id: 'a', label: '方案 A', weight: 50 }, { id: 'hold', label: '对照组', weight: 50 }] };
  it('分到「方案 A」组, not 分到「a」组', () => {
    expect(countLineWords('zh', 'arm:a', t, split)).toBe('分到「方案 A」组');
    expect(countLineWords('zh', 'arm:hold', t, split)).toBe('分到「对照组」组');
    // An arm without a label (or gone from the draft) keeps its id.
    expect(armLabel(split, 'b')).toBe('b');
  });
});

describe('3. the journey key is picked from the trigger event\'s properties', () => {
  it('an order event offers 订单号 (orderId)', () => {
    expect(eventKeyChoices('zh', 'order_created')).toEqual([['orderId', '订单号']]);
    expect(eventKeyChoices('zh', 'coupon_redeemed')).toEqual([['code', '券码'], ['orderId', '订单号']]);
  });
  it('a declared event offers the fields rules/shop.yaml gives it', () => {
    expect(eventKeyChoices('zh', 'wechat_reply', [{ name: 'wechat_reply', fields: { threadId: 'string', text: 'string' } }])).toEqual([['threadId', 'threadId'], ['text', 'text']]);
  });
});

describe('4. a send step\'s fallback channel is another channel', () => {
  it('the list leaves out the step\'s own channel', () => {
    expect(fallbackChoices({ channel: 'sms' }, ['sms', 'email', 'wechat', 'wangwang', 'push'])).toEqual(['email', 'wechat', 'wangwang', 'push']);
  });
  it('the flow checks refuse the same channel, said in Chinese', () => {
    const send = { id: 's', type: 'send', channel: 'sms', template: '您好', next: 'done' };
    expect(SendNodeSchema.safeParse({ ...send, fallback: 'email' }).success).toBe(true);
    const r = SendNodeSchema.safeParse({ ...send, fallback: 'sms' });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0];
    expect(issue.path).toEqual(['fallback']);
    expect(serverProblemWords({ line: 0, nodeId: 's', path: 'nodes.0.fallback', message: issue.message, severity: 'error' })).toBe('「备用渠道」不能和这一步的渠道相同：请选另一个渠道，或不选');
  });
});

describe('5. 邮件标题 only on an email step', () => {
  it('hidden on SMS, WeChat…, shown on email', () => {
    const base = new Set(['id']);
    expect(hiddenFields({ id: 's', type: 'send', channel: 'sms' }, base).has('subject')).toBe(true);
    expect(hiddenFields({ id: 's', type: 'send', channel: 'wechat' }, base).has('subject')).toBe(true);
    expect(hiddenFields({ id: 's', type: 'send', channel: 'email' }, base).has('subject')).toBe(false);
    expect(hiddenFields({ id: 's', type: 'send', channel: 'email' }, base).has('id')).toBe(true);
  });
});

describe('6. a group limit in 拆成多组 shows what the mode does, not 超出上限', () => {
  it('超出上限 is not a field of the form (an edge, listed under 连接 only for 只取前面的)', () => {
    expect(hiddenFields({ id: 'cap', type: 'limit', max: 30000, mode: 'split' }, new Set()).has('overflow')).toBe(true);
  });
  it('says what each mode does', () => {
    expect(limitModeWords('zh', { max: 30000, mode: 'split' })).toBe('每 30,000 位顾客分成一组，全部走「下一步」，没有人超出上限；每组单独统计，方便按组比较');
    expect(limitModeWords('zh', { max: 30000 })).toBe(limitModeWords('zh', { max: 30000, mode: 'split' }));
    expect(limitModeWords('zh', { max: 500, mode: 'keep' })).toContain('之后来的走「超出上限」分支');
    expect(limitModeWords('zh', { max: 500, mode: 'spread' })).toContain('每天最多 500 位顾客');
  });
});

describe('7. 新人群 says the server\'s rule errors in Chinese, naming the condition and field', () => {
  const refused = (message: string, problems: { path: string; message: string }[] = []) => Object.assign(new Error(message), { status: 422, problems });
  it('names the condition of the builder and its part', () => {
    expect(conditionPlace('conditions.all[0].value')).toBe('第 1 条条件的「值」');
    expect(conditionPlace('conditions.any[1].all[0].fact')).toBe('第 2 条条件（「全部满足」组里的第 1 条）的「指标」');
  });
  it('a value, a fact, an operator, a range', () => {
    const say = (path: string, message: string) => audienceErrorWords('zh', refused(`rules/segments/x.yaml:7: ${path}: ${message}`, [{ path, message }]));
    expect(say('conditions.all[0].value', 'expected a number for orderCount, got "abc"')).toBe('第 1 条条件的「值」：「订单数」的值应是一个数字');
    expect(say('conditions.all[0].fact', 'unknown fact "noSuchFact" (known: recencyDays, orderCount)')).toBe('第 1 条条件的「指标」：不认识的指标「noSuchFact」：请在条件构建器里从列表中选一个指标');
    expect(say('conditions.any[0].operator', 'unknown operator "withinLast" (known: equal)')).toMatch(/^第 1 条条件的「比较方式」：不认识的比较方式「withinLast」/);
    expect(say('conditions.all[0].value', 'expected [low, high] for orderCount, got 5')).toBe('第 1 条条件的「值」：「订单数」需要两个值：下限和上限');
  });
  it('a file name the server refuses', () => {
    const message = 'expected lower-case letters, digits and dashes (at most 64), got "Bad Name"';
    expect(audienceErrorWords('zh', refused(`(request body): id: ${message}`, [{ path: 'id', message }]))).toBe('文件名只能用小写字母、数字和「-」（最多 64 个字符）：请改一下「文件名」');
  });
  it('a missing name; never the English message', () => {
    expect(audienceErrorWords('zh', refused('name: give the audience a name'))).toBe('请填写人群名称');
    expect(audienceErrorWords('zh', refused('x', [{ path: 'conditions.all[0].value', message: 'expected a number for orderCount, got "abc"' }]))).not.toMatch(/expected/);
  });
});

describe('8. the simulation covers the longest path, and says so', () => {
  const NOW = Date.parse('2026-11-30T12:00:00+08:00');
  it('a short note: the longest path\'s waits added up, plus a day', () => {
    const flow: DraftFlow = {
      id: 'f',
      name: 'F',
      nodes: [
        { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'w1' },
        { id: 'w1', type: 'wait', duration: '10d', next: 'w2' },
        { id: 'w2', type: 'waitForEvent', events: ['order_paid'], within: '5d', responded: 'done', timedOut: 'done' },
        { id: 'done', type: 'exit' },
      ],
    };
    expect(windowNote('zh', flow, NOW)).toBe('最近 7 天进入的顾客，再往后模拟 16 天：旅程最长的一条路径（等待合计）约 15 天，再多 1 天，让最后进入的顾客也走完');
    const short = { ...flow, nodes: flow.nodes.map((n) => (n.id === 'w1' ? { ...n, duration: '2h' } : n.id === 'w2' ? { ...n, within: '1h' } : n)) };
    expect(windowNote('zh', short, NOW)).toBe('最近 7 天进入的顾客，再往后模拟 2 天：旅程最长的一条路径（等待合计）不到 1 天，再多 1 天，让最后进入的顾客也走完');
  });
});
