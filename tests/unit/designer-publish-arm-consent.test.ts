import { describe, expect, it } from '@jest/globals';
import { publishPreview, type PublishFigures } from '../../designer/src/model/publish-preview.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** Walkthrough nine's win-back test: an email arm most of whose customers never allowed email. */
const winBack: DraftFlow = {
  id: 'win-back',
  name: '沉睡客户唤醒',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'sleeping', every: 'day', at: '09:00' }, next: 'ab' },
    { id: 'ab', type: 'split', label: '唤醒方式 A/B', arms: [{ id: 'a', label: '短信送券', weight: 45, next: 'sms' }, { id: 'b', label: '邮件', weight: 45, next: 'mail' }, { id: 'h', label: '对照组', weight: 10, holdout: true, next: 'end' }], next: undefined },
    { id: 'sms', type: 'send', channel: 'sms', template: '回来看看', next: 'end' },
    { id: 'mail', type: 'send', channel: 'email', label: '唤醒邮件', subject: 's', template: '回来看看', next: 'end' },
    { id: 'end', type: 'exit' },
  ],
};
const figures = (arms: PublishFigures['arms']): PublishFigures => ({ at: 0, audience: { segment: 'sleeping', count: 1967 }, inFlight: 0, caps: [], quietHours: {}, arms });

describe('the publish confirmation and A/B arms customers cannot get', () => {
  it('warns, in Chinese and naming the arm, when most of those who would reach an arm cannot get its first message for want of consent', () => {
    const p = publishPreview('zh', { flow: winBack, liveVersion: null, changes: null, problems: [], figures: figures([{ splitId: 'ab', armId: 'a', sendId: 'sms', channel: 'sms', reached: 1967, allowing: 1900 }, { splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 1967, allowing: 240 }]) });
    expect(p.warningsTitle).toBe('1 个警告（不阻止发布，请确认）');
    expect(p.warnings).toEqual([
      'A/B 分流「唤醒方式 A/B」的「邮件」组：第一步「唤醒邮件」发邮件，按现在的顾客，会到达这一步的 1,967 位中有 1,727 位（88%）没有邮件营销许可、收不到消息。这一组的实验结果主要反映「没收到消息」，看不出这条消息的效果。可在分流前加「条件判断」只让允许邮件营销的顾客进入实验，或给这一组换一个多数顾客允许的渠道',
    ]);
    expect(publishPreview('en', { flow: winBack, liveVersion: null, changes: null, problems: [], figures: figures([{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 1967, allowing: 240 }]) }).warnings[0]).toMatch(/^A\/B split "唤醒方式 A\/B", arm "邮件": .* 1,727 \(88%\) have no Email marketing consent/);
  });

  it('says nothing when most allow the channel, when nobody would reach the arm, or when it cannot be counted', () => {
    for (const arms of [[{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 1967, allowing: 1000 }], [{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 0, allowing: 0 }], [{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: null, allowing: null }], undefined]) {
      const p = publishPreview('zh', { flow: winBack, liveVersion: null, changes: null, problems: [], figures: figures(arms) });
      expect([p.warningsTitle, p.warnings]).toEqual(['没有警告', []]);
    }
  });
});
