import { describe, expect, it } from '@jest/globals';
import { capWords, experimentWords, publishPreview, sendWords, versionWords, type PublishFigures } from '../../designer/src/model/publish-preview.js';
import type { DraftFlow, Problem } from '../../designer/src/model/types.js';

const NOW = Date.parse('2026-11-20T10:00:00+08:00');
const TZ = 'Asia/Shanghai';
const figures = (over: Partial<PublishFigures> = {}): PublishFigures => ({ at: NOW, audience: null, inFlight: 0, caps: [], quietHours: {}, ...over });

const reminder: DraftFlow = {
  id: 'browser-reminder',
  name: '催付提醒',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created', key: 'orderId' }, next: 'sms' },
    { id: 'sms', type: 'send', label: '催付短信', channel: 'sms', template: '您好', coupon: 'welcome-back-10', next: 'mail' },
    { id: 'mail', type: 'send', channel: 'email', template: '您好', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};
const audience = (startAt: string): DraftFlow => ({
  id: 'd11',
  name: '双十一',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'd11-audience', startAt }, limit: { max: 30000, mode: 'split' }, next: 'split' },
    { id: 'split', type: 'split', label: '短信测试', arms: [{ id: 'a', label: '满减', weight: 45, next: 'sms' }, { id: 'b', weight: 45, next: 'sms' }, { id: 'holdout', label: '对照', weight: 10, holdout: true, next: 'end' }], experiment: { responses: ['order_paid'] }, next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', template: '您好', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
});
const warning = (nodeId: string | null, message: string): Problem => ({ line: 0, nodeId, path: 'x', message, severity: 'warning' });

describe('the publish confirmation in words (model/publish-preview.ts)', () => {
  it('a first publish of an event journey: v1, who enters from now on, what it sends, no warnings, the caps that bind it', () => {
    const p = publishPreview('zh', {
      flow: reminder,
      liveVersion: null,
      changes: null,
      problems: [],
      figures: figures({ caps: [{ id: 'marketing-per-day', max: 1, window: '24h', categories: ['marketing'], source: 'policy' }, { id: 'sms-per-month', max: 2, period: 'month', channels: ['sms'], categories: ['marketing'], source: 'policy' }], quietHours: { sms: { from: '21:00', to: '09:00' } } }),
      timeZone: TZ,
    });
    expect(p.title).toBe('确认发布「催付提醒」');
    expect(p.version).toBe('第一次发布：v1');
    expect(p.changes).toEqual([]);
    expect(p.entry).toEqual(['从现在起，每个下单的顾客进入旅程', '按订单号区分旅程：同一位顾客的每笔订单各走一遍，同一笔订单不会再走第二遍']);
    // Each step's kind too: neither sets one, so both are 营销 (the file format's default).
    expect(p.sends).toBe('发送 2 个消息步骤：短信 1 个、邮件 1 个（其中 1 个附带优惠券）；营销 2 个');
    const kinds: DraftFlow = { ...reminder, nodes: reminder.nodes.map((n) => (n.id === 'mail' ? { ...n, category: 'transactional' } : n.id === 'sms' ? { ...n, category: 'marketing' } : n)) };
    expect(sendWords('zh', kinds)).toBe('发送 2 个消息步骤：短信 1 个、邮件 1 个（其中 1 个附带优惠券）；营销 1 个、交易通知 1 个');
    expect(p.warningsTitle).toBe('没有警告');
    expect(p.experiments).toEqual([]);
    expect(p.caps).toEqual(['每位顾客在 1 天内最多 1 条营销消息（店铺规则）', '每位顾客每个自然月最多 2 条短信营销消息（店铺规则）', '短信 21:00–09:00 不发送，顺延到之后（店铺规则）']);
  });

  it('links to the contact-rules page when a shop rule (a cap of rules/policy.yaml, quiet hours) binds the flow, not for the flow\'s own caps alone', () => {
    const shopRules = (over: Partial<PublishFigures>) => publishPreview('zh', { flow: reminder, liveVersion: null, changes: null, problems: [], figures: figures(over) }).shopRules;
    expect(shopRules({ caps: [{ id: 'marketing-per-day', max: 1, window: '24h', categories: ['marketing'], source: 'policy' }] })).toBe(true);
    expect(shopRules({ quietHours: { sms: { from: '21:00', to: '09:00' } } })).toBe(true);
    expect(shopRules({ caps: [{ id: 'd11-touches', max: 3, campaign: true, categories: ['marketing'], source: 'flow' }] })).toBe(false);
    expect(shopRules({})).toBe(false);
  });

  it("names a shop's own declared event by its description, and an undeclared one by its name", () => {
    const custom = (event: string): DraftFlow => ({ ...reminder, nodes: [{ id: 'start', type: 'entry', trigger: { type: 'event', event }, next: 'end' }, { id: 'end', type: 'exit' }] });
    const declared = publishPreview('zh', { flow: custom('wechat_reply'), liveVersion: null, changes: null, problems: [], figures: figures(), eventDescriptions: { wechat_reply: '客户在微信里回复了店铺的消息' } });
    expect(declared.entry[0]).toBe('从现在起，每当「客户在微信里回复了店铺的消息」，这位顾客进入旅程');
    expect(declared.sends).toBe('这个旅程不发送任何消息');
    expect(declared.caps).toEqual(['没有适用的频次上限']);
    expect(publishPreview('zh', { flow: custom('vip_signup'), liveVersion: null, changes: null, problems: [], figures: figures() }).entry[0]).toBe('从现在起，每当发生事件 vip_signup，这位顾客进入旅程');
  });

  it('a one-off audience: its size now from the server, when it enters in shop time, or that it enters immediately', () => {
    const later = publishPreview('zh', { flow: audience('2026-11-25T09:00:00+08:00'), liveVersion: null, changes: null, problems: [], figures: figures({ audience: { segment: 'd11-audience', count: 12345 } }), timeZone: TZ });
    expect(later.entry).toEqual(['一次性人群：人群「d11-audience」现在有 12,345 位顾客', '2026/11/25 09:00（店铺时间）进入，人数以那时为准', '人数上限：超出的拆成多组，每组最多 30,000 位']);
    expect(later.experiments).toEqual(['实验：短信测试，满减 45% / b 45% / 对照（不发消息） 10%']);
    // Walkthrough nine: without a card name the experiment's id, not the step id; a holdout labelled 对照组 not said twice.
    const unnamed = { ...reminder, nodes: [{ id: 'split-1', type: 'split', experiment: { id: 'winback-coupon-vs-email' }, arms: [{ id: 'a', label: '方案 A', weight: 45 }, { id: 'b', label: '方案 B', weight: 45 }, { id: 'holdout', label: '对照组', weight: 10, holdout: true }] }] } as DraftFlow;
    expect(experimentWords('zh', unnamed)).toEqual(['实验：winback-coupon-vs-email，方案 A 45% / 方案 B 45% / 对照组（不发消息） 10%']);
    // A plain split without a card name is said as its card says it, not by its id (随机分组：split-1, walk20).
    const plain = { ...reminder, nodes: [{ id: 'split-1', type: 'split', arms: [{ id: 'a', label: '方案 A', weight: 50 }, { id: 'b', label: '方案 B', weight: 50 }] }] } as DraftFlow;
    expect(experimentWords('zh', plain)).toEqual(['随机分组：A/B 分流，方案 A 50% / 方案 B 50%']);
    const past = publishPreview('zh', { flow: audience('2026-11-01T09:00:00+08:00'), liveVersion: null, changes: null, problems: [], figures: figures({ audience: { segment: 'd11-audience', count: 3 } }), timeZone: TZ });
    expect(past.entry[1]).toBe('开始时间 2026/11/01 09:00（店铺时间）已经过了：发布后立即全部进入');
    const uncounted = publishPreview('zh', { flow: audience('2026-11-25T09:00:00+08:00'), liveVersion: null, changes: null, problems: [], figures: figures({ audience: { segment: 'd11-audience', count: null } }), timeZone: TZ });
    expect(uncounted.entry[0]).toBe('一次性人群：人群「d11-audience」现在无法统计人数');
  });

  it('a live journey: vN → vN+1, who stays on vN, the change summary and the warnings with their count', () => {
    const p = publishPreview('zh', {
      flow: reminder,
      liveVersion: 2,
      changes: { added: ['mail'], removed: ['old-wait'], changed: ['sms'], settings: true },
      problems: [warning('sms', 'the tracked link would go out as a relative path'), warning(null, 'x'), { ...warning('mail', 'broken'), severity: 'error' }],
      figures: figures({ inFlight: 12 }),
    });
    expect(p.version).toBe('线上 v2 → v3；新进入的顾客走 v3，已在旅程中的 12 位顾客按 v2 走完');
    expect(p.changes).toEqual(['旅程设置有改动', '新增步骤：发送邮件', '删除步骤：old-wait', '修改步骤：催付短信']);
    expect(p.warningsTitle).toBe('2 个警告（不阻止发布，请确认）');
    expect(p.warnings).toHaveLength(2);
    expect(p.warnings[0].startsWith('催付短信：')).toBe(true);
    expect(publishPreview('zh', { flow: reminder, liveVersion: 1, changes: { added: [], removed: [], changed: [], settings: false }, problems: [], figures: figures() }).changes).toEqual(['与线上版本没有差别']);
  });

  it('numbers the version as the server will: after the newest, the same when nothing changed; a stopped journey runs again, a paused one stays paused', () => {
    const some = { added: [], removed: [], changed: ['sms'], settings: false };
    const none = { added: [], removed: [], changed: [], settings: false };
    expect(versionWords('zh', 2, 4, 'active', some, 3)).toBe('线上 v2 → v5；新进入的顾客走 v5，已在旅程中的 3 位顾客按 v2 走完');
    expect(versionWords('zh', 2, 2, 'active', none, 3)).toBe('与线上 v2 没有差别：发布后仍是 v2');
    expect(versionWords('zh', 2, 2, 'stopped', none, 0)).toBe('v2 已停止，没有改动：重新启动 v2，从现在起又有顾客进入');
    expect(versionWords('zh', 2, 2, 'stopped', some, 0)).toBe('已停止的 v2 → v3：发布后重新运行，新进入的顾客走 v3');
    expect(versionWords('zh', 2, 2, 'paused', some, 1)).toBe('线上 v2 → v3；新进入的顾客走 v3，已在旅程中的 1 位顾客按 v2 走完；旅程目前暂停中，发布后仍暂停，继续运行后才有顾客进入和前进');
    expect(versionWords('zh', null, null, 'draft', null, 0)).toBe('第一次发布：v1');
  });

  it('says a schedule entry and a flow campaign cap in words, in both languages', () => {
    const daily: DraftFlow = { id: 'pre', name: '预流失', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'pre-sleep', every: 'day', at: '10:00' }, next: 'end' }, { id: 'end', type: 'exit' }] };
    expect(publishPreview('zh', { flow: daily, liveVersion: null, changes: null, problems: [], figures: figures({ audience: { segment: 'pre-sleep', count: 7 } }) }).entry).toEqual(['每天 10:00（店铺时间）圈选一次：符合人群「pre-sleep」的顾客进入', '人群「pre-sleep」现在有 7 位顾客', '每位顾客只进入一次：以后再次符合人群也不会再进入']);
    const cap = { id: 'd11-touches', max: 3, campaign: true, categories: ['marketing'], source: 'flow' as const };
    expect(capWords('zh', cap)).toBe('每位顾客整个活动期间最多 3 条营销消息（本旅程的上限）');
    expect(capWords('en', cap)).toBe("Each customer gets at most 3 marketing messages for the whole campaign (this journey's cap)");
    expect(publishPreview('en', { flow: reminder, liveVersion: null, changes: null, problems: [], figures: figures() }).entry[0]).toBe('From now on, every customer who triggers "order placed" enters');
  });
});
