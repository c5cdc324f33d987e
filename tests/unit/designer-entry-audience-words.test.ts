import { describe, expect, it } from '@jest/globals';
import { fieldsInOrder } from '../../designer/src/model/field-order.js';
import { fieldLabel } from '../../designer/src/model/fields.js';
import { translate } from '../../designer/src/model/i18n.js';
import { suppressionWords } from '../../designer/src/model/policy-words.js';
import { canStartFrom, segmentRuleWords } from '../../designer/src/model/segment-rule-words.js';
import { segmentOptionHint, segmentOptionText, segmentTitles, type SegmentInfo } from '../../designer/src/model/segment-words.js';
import { stepChoices } from '../../designer/src/model/step-choices.js';
import type { DraftNode } from '../../designer/src/model/types.js';

/**
 * A marketer's walkthrough of the entry step and the contact rules: a saved audience showed by its
 * name alone (what it selects could not be seen), and ids stood where words belong (结束（exit-1）,
 * every segment option's id, the policy page's cap and list ids, Double-11's cap by `d11-touches`).
 */
const saved: SegmentInfo = {
  name: 'audience-20261206-1538',
  title: '沉睡半年以上的老客',
  description: null,
  conditions: { all: [{ fact: 'recencyDays', operator: 'greaterThanInclusive', value: 180 }, { fact: 'orderCount', operator: 'greaterThanInclusive', value: 2 }] },
};
const high: SegmentInfo = { name: 'sleeping-high-value', title: '高价值沉睡客户', description: '已经沉睡，客单价 200 元以上', conditions: {} };

describe('a chosen audience is said by its conditions in words', () => {
  it('says a saved audience the way the customer page says a condition', () => {
    expect(segmentRuleWords('zh', saved.conditions)).toBe('距上次购买天数 ≥ 180 天，且 订单数 ≥ 2');
    expect(segmentRuleWords('en', saved.conditions)).toBe('Days since last order ≥ 180 days, and Number of orders ≥ 2');
  });

  it('brackets a group inside a group, names a used audience by its title, and says a not', () => {
    const titles = segmentTitles([high]);
    const rule = {
      all: [
        { condition: 'sleeping-high-value' },
        { any: [{ fact: 'city', operator: 'in', value: ['杭州', '上海'] }, { fact: 'orderCount', operator: 'greaterThan', value: 3 }] },
        { not: { fact: 'tags', operator: 'contains', value: 'vip' } },
      ],
    };
    expect(segmentRuleWords('zh', rule, titles)).toBe('在人群「高价值沉睡客户」里，且 （城市 是其中之一 杭州、上海，或 订单数 > 3），且 不满足「标签 包含 vip」');
    expect(segmentRuleWords('zh', { any: [{ fact: 'orderCount', operator: 'equal', value: 1 }] })).toBe('订单数 = 1');
    expect(segmentRuleWords('zh', { all: [] })).toBe('（没有条件）');
  });

  it('calls it 人群 on the entry step, never 受众 or 分群, and says how to change a saved one', () => {
    const keys = ['audience.build', 'audience.title', 'audience.name', 'audience.save', 'audience.saved', 'audience.copy', 'segment.search', 'segment.rule', 'segment.howToChange', 'segment.howToChangeBuild', 'err.segmentExists'];
    const words = keys.map((k) => translate('zh', k)).join('\n');
    expect(words).not.toMatch(/受众|分群/);
    expect(translate('zh', 'audience.build')).toBe('就地新建人群');
    expect(translate('zh', 'audience.save')).toBe('保存为人群');
    expect(translate('zh', 'segment.howToChange')).toContain('为起点新建');
    expect(translate('zh', 'segment.howToChangeBuild')).toContain('就地新建人群');
  });

  it('offers a saved audience as the start of a new one only when the builder can show its rule', () => {
    expect(canStartFrom(saved)).toBe(true);
    expect(canStartFrom({ ...saved, conditions: { all: [{ condition: 'sleeping-high-value' }] } })).toBe(false);
    expect(canStartFrom(undefined)).toBe(false);
  });

  it('says a saved audience by its name, not its file', () => {
    expect(translate('zh', 'audience.saved').replace('{name}', saved.title!)).toBe('已保存为人群「沉睡半年以上的老客」');
  });
});

describe('choices say words, the id only where two read the same', () => {
  it('offers segments by title; the id only for two with one title, and in the tooltip', () => {
    const twin: SegmentInfo = { name: 'sleeping-high-value-2', title: '高价值沉睡客户', description: null };
    expect(segmentOptionText(saved, [saved, high])).toBe('沉睡半年以上的老客');
    expect(segmentOptionText(high, [saved, high, twin])).toBe('高价值沉睡客户（sleeping-high-value）');
    expect(segmentOptionText({ name: 'x', title: null, description: null })).toBe('x');
    expect(segmentOptionHint(high)).toBe('已经沉睡，客单价 200 元以上\nrules/segments: sleeping-high-value');
  });

  it("offers a step's 连接 by its name; two 结束 steps are told apart by their ids", () => {
    const nodes = [
      { id: 'send-1', type: 'send', channel: 'sms' },
      { id: 'wait-1', type: 'wait', duration: '3d', label: '等三天再问' },
      { id: 'exit-1', type: 'exit' },
      { id: 'exit-2', type: 'exit' },
    ] as unknown as DraftNode[];
    expect(stepChoices('zh', nodes).map((c) => c.label)).toEqual(['发送短信', '等三天再问', '结束（exit-1）', '结束（exit-2）']);
    expect(stepChoices('zh', nodes.slice(0, 3)).map((c) => c.label)).toEqual(['发送短信', '等三天再问', '结束']);
    expect(stepChoices('zh', nodes)[0]).toEqual({ value: 'send-1', label: '发送短信', hint: 'send-1' });
  });
});

describe('the contact rules say caps, lists and block rules in words', () => {
  it('names block rules by their titles and keeps files to the tooltip', () => {
    const lines = suppressionWords('zh', { lists: ['do-not-contact'], segments: ['sleeping-high-value'] }, segmentTitles([high]));
    expect(lines[1].words).not.toContain('rules/lists/');
    expect(lines[2].names).toEqual([{ text: '高价值沉睡客户', hint: 'rules/segments: sleeping-high-value' }]);
  });

  it("shows a journey's cap 说明 first and its 代号 last, labelled as a code", () => {
    const keys = ['id', 'description', 'max', 'window', 'period', 'campaign', 'channels', 'categories'];
    expect(fieldsInOrder('caps', keys.map((k) => [k, null] as [string, null])).map(([k]) => k)).toEqual(['description', 'max', 'window', 'period', 'campaign', 'channels', 'categories', 'id']);
    expect(fieldsInOrder('', keys.map((k) => [k, null] as [string, null])).map(([k]) => k)).toEqual(keys);
    expect(fieldLabel('zh', 'caps.id')).toBe('上限代号');
  });
});
