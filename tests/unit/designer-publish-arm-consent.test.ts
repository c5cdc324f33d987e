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
      'A/B 分流「唤醒方式 A/B」的「邮件」组：第一步「唤醒邮件」发邮件，按现在的顾客，进入分流的 1,967 位中约 885 位分到这一组（45%），其中约 777 位（88%）没有邮件营销许可、收不到消息。这一组的实验结果主要反映「没收到消息」，看不出这条消息的效果。可在分流前加「条件判断」只让允许邮件营销的顾客进入实验，或给这一组换一个多数顾客允许的渠道',
    ]);
    expect(publishPreview('en', { flow: winBack, liveVersion: null, changes: null, problems: [], figures: figures([{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 1967, allowing: 240 }]) }).warnings[0]).toMatch(/^A\/B split "唤醒方式 A\/B", arm "邮件": .* about 885 would go to this arm \(45%\), of whom about 777 \(88%\) have no Email marketing consent/);
  });

  it("counts an arm's customers as its weight's share of those who reach the split, as the simulation does (walk20: 4,468 said for an arm of 45%)", () => {
    const warn = (split: DraftFlow['nodes'][number]) =>
      publishPreview('zh', { flow: { ...winBack, nodes: winBack.nodes.map((n) => (n.id === 'ab' ? split : n)) }, liveVersion: null, changes: null, problems: [], figures: figures([{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 4468, allowing: 613 }]) }).warnings[0];
    const ab = winBack.nodes[1];
    // 45 / 45 / 10: the email arm gets 45% of the 4,468, about 2,011, of whom 86% cannot get the email.
    expect(warn(ab)).toContain('进入分流的 4,468 位中约 2,011 位分到这一组（45%），其中约 1,735 位（86%）没有邮件营销许可');
    expect(warn(ab)).not.toContain('4,468 位中有');
    // Two arms of 1 and 3: a quarter.
    expect(warn({ ...ab, arms: [{ id: 'a', label: '短信送券', weight: 1, next: 'sms' }, { id: 'b', label: '邮件', weight: 3, next: 'mail' }] })).toContain('约 3,351 位分到这一组（75%），其中约 2,891 位（86%）');
    // Weights that say nothing: the whole split's count, said as such.
    expect(warn({ ...ab, arms: [{ id: 'a', next: 'sms' }, { id: 'b', label: '邮件', next: 'mail' }] })).toContain('进入分流的 4,468 位中有 3,855 位（86%）没有邮件营销许可');
  });

  it("says that those an arm's channel loses get the step's 备用渠道 instead, not that they 收不到消息 (walk-mkt: an email arm with SMS as its fallback)", () => {
    const withFallback = { ...winBack, nodes: winBack.nodes.map((n) => (n.id === 'mail' ? { ...n, fallback: 'sms' } : n)) };
    const warn = (arms: PublishFigures['arms'], flow: DraftFlow = withFallback) => publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures: figures(arms) }).warnings;
    // 4,319 reach the split, 3,785 of them without email consent, 3,300 of those allow SMS.
    const arm = { splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 4319, allowing: 534, fallback: 'sms', fallbackAllowing: 3300 };
    const [w] = warn([arm]);
    expect(w).toContain('其中约 1,703 位（88%）没有邮件营销许可，按这一步的「备用渠道」改发短信：约 1,485 位收到短信，约 218 位两个渠道都不允许、收不到消息');
    expect(w).toContain('这一组的实验结果主要反映短信，看不出这条邮件消息的效果');
    expect(w).not.toContain('主要反映「没收到消息」');
    // 1,485 + 218 = 1,703: the arm's two parts add up to its lost customers, each rounded apart.
    // Weights that say nothing: the whole split's figures.
    const flat = { ...withFallback, nodes: withFallback.nodes.map((n) => (n.id === 'ab' ? { ...n, arms: [{ id: 'a', next: 'sms' }, { id: 'b', label: '邮件', next: 'mail' }] } : n)) };
    expect(warn([arm], flat)[0]).toContain('进入分流的 4,319 位中有 3,785 位（88%）没有邮件营销许可，按这一步的「备用渠道」改发短信：3,300 位收到短信，485 位两个渠道都不允许');
    // English says the same.
    expect(publishPreview('en', { flow: withFallback, liveVersion: null, changes: null, problems: [], figures: figures([arm]) }).warnings[0]).toMatch(/about 1,703 \(88%\) have no Email marketing consent and get it by the step's fallback channel SMS instead: about 1,485 by SMS, about 218 allow neither/);
    // A server that does not count the fallback (no fallbackAllowing): the words as before.
    expect(warn([{ ...arm, fallbackAllowing: undefined }])[0]).toContain('没有邮件营销许可、收不到消息');
  });

  it('says nothing when most allow the channel, when nobody would reach the arm, or when it cannot be counted', () => {
    for (const arms of [[{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 1967, allowing: 1000 }], [{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: 0, allowing: 0 }], [{ splitId: 'ab', armId: 'b', sendId: 'mail', channel: 'email', reached: null, allowing: null }], undefined]) {
      const p = publishPreview('zh', { flow: winBack, liveVersion: null, changes: null, problems: [], figures: figures(arms) });
      expect([p.warningsTitle, p.warnings]).toEqual(['没有警告', []]);
    }
  });
});
