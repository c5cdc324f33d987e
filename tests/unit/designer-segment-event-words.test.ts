import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { eventChoices } from '../../designer/src/model/event-options.js';
import { publishPreview } from '../../designer/src/model/publish-preview.js';
import { searchSegments, segmentLabel, segmentOptionText, segmentTitles, type SegmentInfo } from '../../designer/src/model/segment-words.js';
import { declaredEventWords, nodeSummary, triggerWords } from '../../designer/src/model/summary.js';
import type { DraftNode } from '../../designer/src/model/types.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';

/** The shipped segments as GET /api/segments lists them (name, title, description). */
const SHIPPED: SegmentInfo[] = RuleSet.loadDir('rules/segments')
  .list()
  .map((r) => ({ name: r.name, title: r.title ?? null, description: r.description ?? null }));
const EVENTS = [
  { name: 'order_paid', system: true, declared: false, description: null },
  { name: 'order_cancelled', system: true, declared: false, description: null },
  { name: 'click', system: true, declared: false, description: null },
  { name: 'wechat_reply', system: false, declared: true, description: '客户在微信里回复了店铺的消息' },
  { name: 'gift_card_used', system: false, declared: false, description: null },
];

describe('segments in the marketer\'s words', () => {
  it('the journeys list and the entry card name the sleeping-reactivation audience by its title, not its id', () => {
    const titles = segmentTitles(SHIPPED);
    const trigger = { type: 'schedule', segment: 'sleeping-reactivation-candidates', every: 'day', at: '09:00' };
    expect(triggerWords('zh', trigger, undefined, undefined, titles)).toBe('每天 09:00：沉睡唤醒候选客户');
    expect(nodeSummary('zh', { id: 'start', type: 'entry', trigger }, undefined, undefined, titles)).toBe('每天 09:00：沉睡唤醒候选客户');
    expect(triggerWords('zh', { type: 'audience', segment: 'd11-unpaid', startAt: '2026-11-01T10:00:00+08:00' }, 'Asia/Shanghai', undefined, titles)).toMatch(/^一次性人群：双十一·下单未付款（/);
    // A condition step that uses a segment says its title too.
    expect(nodeSummary('zh', { id: 'c', type: 'condition', rule: 'sleeping-high-value' } as DraftNode, undefined, undefined, titles)).toBe('符合人群：高价值沉睡客户');
    // Without titles (an old file, or before the list loads) the id, as before.
    expect(triggerWords('zh', trigger)).toBe('每天 09:00：sleeping-reactivation-candidates');
    expect(segmentLabel('no-title-here', titles)).toBe('no-title-here');
  });

  it('the publish confirmation names the audience by its title, as the card does', () => {
    const flow = { id: 'd11', name: '双十一', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'd11-unpaid', every: 'day', at: '09:00' }, next: 'end' }, { id: 'end', type: 'exit' }] } as never;
    const figures = { at: 0, audience: { segment: 'd11-unpaid', count: 42 }, inFlight: 0, caps: [], quietHours: {} };
    const said = publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures, segmentTitles: segmentTitles(SHIPPED) });
    expect(said.entry).toEqual(['每天 09:00（店铺时间）圈选一次：符合人群「双十一·下单未付款」的顾客进入', '人群「双十一·下单未付款」现在有 42 位顾客', '每位顾客只进入一次：以后再次符合人群也不会再进入']);
    // Without the titles, the id as before.
    expect(publishPreview('zh', { flow, liveVersion: null, changes: null, problems: [], figures }).entry[1]).toBe('人群「d11-unpaid」现在有 42 位顾客');
  });

  it('every segment a shipped flow enters by or branches on has a title', () => {
    const titles = segmentTitles(SHIPPED);
    const used = new Set<string>();
    for (const id of ['sleeping-reactivation', 'pre-sleep', 'payment-reminder', 'double11-campaign', 'new-product-launch', 'post-purchase-care']) {
      const flow = parse(readFileSync(`rules/flows/${id}.flow.yaml`, 'utf8'));
      JSON.stringify(flow, (k, v) => ((k === 'segment' || k === 'rule') && typeof v === 'string' ? (used.add(v), v) : v));
    }
    expect(used.size).toBeGreaterThan(3);
    expect([...used].filter((s) => !titles.has(s))).toEqual([]);
  });

  it('the picker says the title, and a search finds a segment by Chinese words, id or description', () => {
    const high = SHIPPED.find((s) => s.name === 'sleeping-high-value')!;
    expect(segmentOptionText(high, SHIPPED)).toBe('高价值沉睡客户');
    expect(segmentOptionText({ name: 'x', title: null, description: null })).toBe('x');
    expect(searchSegments(SHIPPED, '沉睡 高价值').map((s) => s.name)).toEqual(expect.arrayContaining(['sleeping-high-value', 'mobile-sleepers-sms']));
    expect(searchSegments(SHIPPED, '沉睡 高价值').map((s) => s.name)).not.toContain('pre-sleep');
    expect(searchSegments(SHIPPED, 'UNPAID').map((s) => s.name).sort()).toEqual(['d11-unpaid', 'unpaid-recent']);
    expect(searchSegments(SHIPPED, '催付').map((s) => s.name)).toEqual(['unpaid-recent']);
    // The chosen segment stays offered whatever is typed, so the select keeps its value.
    expect(searchSegments(SHIPPED, '催付', 'd11-lost').map((s) => s.name).sort()).toEqual(['d11-lost', 'unpaid-recent']);
    expect(searchSegments(SHIPPED, '  ')).toHaveLength(SHIPPED.length);
  });
});

describe('events and tags on cards and in the settings', () => {
  it('an event field offers the known events in the cards\' words, never a bare code the shop gave words to, and a declared one without the quotes a sentence puts around it', () => {
    const choices = eventChoices('zh', EVENTS);
    expect(choices.map((c) => c.label)).toEqual(['付款', '取消订单', '点击链接', '客户在微信里回复了店铺的消息', 'gift_card_used（店铺发来过的事件）']);
    expect(choices.map((c) => c.value)).toEqual(EVENTS.map((e) => e.name));
    expect(eventChoices('en', EVENTS).map((c) => c.label)).toEqual(['order paid', 'order cancelled', 'link clicked', '客户在微信里回复了店铺的消息', 'gift_card_used (sent by the shop)']);
  });

  it('a wait-for-response card lists its events in words, and a tag action reads 打标签「given-up」', () => {
    const declared = declaredEventWords(EVENTS);
    const wait = { id: 'answered-1', type: 'waitForEvent', within: '7d', events: ['order_paid', 'click', 'wechat_reply'] } as DraftNode;
    expect(nodeSummary('zh', wait, undefined, declared)).toBe('7 天内等待付款、点击链接或「客户在微信里回复了店铺的消息」');
    expect(nodeSummary('en', wait, undefined, declared)).toBe('Wait up to 7 days for order paid, link clicked or "客户在微信里回复了店铺的消息"');
    expect(nodeSummary('zh', { id: 't', type: 'action', action: { kind: 'addTag', tag: 'given-up' } } as DraftNode)).toBe('打标签「given-up」');
    expect(nodeSummary('zh', { id: 't', type: 'action', action: { kind: 'removeTag', tag: 'vip' } } as DraftNode)).toBe('去掉标签「vip」');
    expect(nodeSummary('en', { id: 't', type: 'action', action: { kind: 'addTag', tag: 'given-up' } } as DraftNode)).toBe('Add a tag "given-up"');
  });
});
