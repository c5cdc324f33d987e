import { describe, expect, it } from '@jest/globals';
import { changeLines } from '../../designer/src/model/change-words.js';
import { nodeChanges } from '../../designer/src/model/diff.js';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** Walkthrough nine's payment reminder edited live: 2 h → 1 h, and a daily win-back switched to hourly. */
const live: DraftFlow = {
  id: 'reminder',
  name: '催付',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'unpaid', every: 'day', at: '09:00' }, next: 'wait' },
    { id: 'wait', type: 'wait', duration: '2h', next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', category: 'transactional', template: '您的订单还没付款', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};
const edit = (f: (n: Record<string, unknown>) => Record<string, unknown>, id: string, flow = live): DraftFlow => ({ ...flow, nodes: flow.nodes.map((n) => (n.id === id ? (f({ ...n }) as never) : n)) });
const changesOf = (draft: DraftFlow) => publishPreview('zh', { flow: draft, liveVersion: 1, changes: nodeChanges(live, draft), liveFlow: live, problems: [], figures: { at: 0, audience: null, inFlight: 0, caps: [], quietHours: {} } }).changes;

describe('the change list says what changed in a step, not only which step', () => {
  it('says a wait\'s new length, a schedule\'s new frequency and a send\'s new channel and kind in the inspector\'s words', () => {
    expect(changesOf(edit((n) => ({ ...n, duration: '1d' }), 'wait'))).toEqual(['修改步骤：等待 1 天（等待时长 2 小时 → 1 天）']);
    expect(changesOf(edit((n) => ({ ...n, trigger: { ...(n.trigger as object), every: 'hour', at: '09:15' } }), 'start'))).toEqual(['修改步骤：入口（频率 每天 → 每小时；时间 09:00 → 09:15）']);
    expect(changesOf(edit((n) => ({ ...n, channel: 'wangwang', category: 'marketing' }), 'sms'))).toEqual(['修改步骤：发送旺旺（渠道 短信 → 旺旺；消息类别 交易通知 → 营销）']);
  });

  it('says a long text changed without quoting it, a new next step by its name, and the journey settings field by field', () => {
    expect(changesOf(edit((n) => ({ ...n, template: '亲，您的订单还在等您付款，点这里完成付款吧' }), 'sms'))).toEqual(['修改步骤：发送短信（消息内容已修改）']);
    expect(changesOf(edit((n) => ({ ...n, next: 'end' }), 'wait'))).toEqual(['修改步骤：等待 2 小时（下一步 发送短信 → 结束）']);
    expect(changesOf({ ...live, name: '催付提醒' })).toEqual(['旅程设置有改动（名称 催付 → 催付提醒）']);
  });

  it('says only the step when the live version is not at hand (the change list as it was)', () => {
    const draft = edit((n) => ({ ...n, duration: '1d' }), 'wait');
    expect(publishPreview('zh', { flow: draft, liveVersion: 1, changes: nodeChanges(live, draft), problems: [], figures: { at: 0, audience: null, inFlight: 0, caps: [], quietHours: {} } }).changes).toEqual(['修改步骤：等待 1 天']);
  });

  it("names a step without a card name in words on 对比线上版本 too, a removed one as the live version had it (walk-mkt: 修改步骤：wait-1)", () => {
    // The live wait has no label: its card says 等待 2 小时. Lengthened to 1 天, and the 短信 step removed.
    const draft: DraftFlow = { ...live, nodes: live.nodes.filter((n) => n.id !== 'sms').map((n) => (n.id === 'wait' ? { ...n, duration: '1d', next: 'end' } : n)) };
    const lines = changeLines('zh', live, draft, nodeChanges(live, draft));
    expect(lines.map((l) => l.text)).toEqual(['删除步骤：发送短信', '修改步骤：等待 1 天（等待时长 2 小时 → 1 天；下一步 发送短信 → 结束）']);
    expect(lines.map((l) => [l.kind, l.id])).toEqual([['removed', 'sms'], ['changed', 'wait']]);
    expect(changeLines('en', live, draft, nodeChanges(live, draft))[0].text).toBe('Step removed: Send SMS');
    // The publish dialog says the same lines.
    expect(changesOf(draft)).toEqual(lines.map((l) => l.text));
  });
});
