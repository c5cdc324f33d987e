import { describe, expect, it } from '@jest/globals';
import { factsReadBy, factsReadByAll } from '../../server/src/core/engine/flow-fact-needs.js';
import { flowRuleEvaluator } from '../../server/src/core/engine/flow-rules.js';
import type { FlowVersion } from '../../server/src/core/engine/model.js';
import type { RuleEvaluator } from '../../server/src/core/engine/ports.js';
import { deriveFacts } from '../../server/src/core/facts/derive.js';
import { deriveNamedFacts } from '../../server/src/core/facts/named-facts.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { checkConditions } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { decodeFacts } from '../../server/src/persistence/fact-store.js';

/**
 * A stepping batch reads only the facts its flow's nodes read (w-engine5: its messages' `{{facts.x}}`).
 * Conditions and switches read what their rules' leaves name, through the rules they reference;
 * a stratified split its stratum's facts. Anything not known statically: all facts (null).
 */
const rule = (name: string, conditions: unknown) => ({ name, source: `${name}.yaml`, ...checkConditions(conditions, `${name}.yaml`) });
const rules = RuleSet.fromDefinitions([
  rule('vip', { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 3 }, { any: [{ fact: 'aov', operator: 'greaterThan', value: 200 }, { not: { fact: 'tags', operator: 'contains', value: 'vip' } }] }] }),
  rule('asleep', { all: [{ fact: 'lifecycleStage', operator: 'equal', value: 'sleeping' }] }),
  // References, two deep: asleep-vip → vip, asleep-mobile → asleep.
  rule('asleep-mobile', { all: [{ condition: 'asleep' }, { fact: 'device', operator: 'equal', value: 'mobile' }] }),
  rule('asleep-vip', { any: [{ condition: 'vip' }, { condition: 'asleep-mobile' }] }),
  rule('lapsed', { not: { fact: 'lastOrderAt', operator: 'withinLastDays', value: 30 } }),
]);

let id = 0;
const version = (nodes: unknown[]): FlowVersion => ({
  id: ++id, flowId: `f${id}`, version: 1, hash: '', publishedAt: 0, author: 't',
  flow: FlowSchema.parse({ id: `f${id}`, name: 'f', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'everyone', startAt: '2026-11-01T00:00:00Z' }, next: (nodes[0] as { id: string }).id }, ...nodes, { id: 'done', type: 'exit' }] }),
});
const evaluatorOf = (v: FlowVersion) => flowRuleEvaluator(rules, v, 'Asia/Shanghai');
const readBy = (v: FlowVersion) => factsReadBy(v, evaluatorOf(v));
const condition = (ref: { rule?: string; conditions?: unknown }) => ({ id: 'c', type: 'condition', ...ref, yes: 'done', no: 'done' });
const split = (stratify?: string) => ({ id: 'ab', type: 'split', ...(stratify ? { stratify } : {}), arms: [{ id: 'a', weight: 50, next: 'done' }, { id: 'b', weight: 50, next: 'done' }] });

describe('the facts a flow reads, through its rules', () => {
  it("a condition reads its rule's leaves' facts, through nested all / any / not (and the policy's last order)", () => {
    expect(readBy(version([condition({ rule: 'vip' })]))).toEqual(['aov', 'lastOrderAt', 'orderCount', 'tags']);
    expect(readBy(version([condition({ rule: 'lapsed' })]))).toEqual(['lastOrderAt']);
    // Inline conditions, checked as the evaluator checks them.
    expect(readBy(version([condition({ conditions: { not: { any: [{ fact: 'province', operator: 'equal', value: '浙江' }, { fact: 'double11Count', operator: 'greaterThan', value: 0 }] } } })]))).toEqual(['double11Count', 'lastOrderAt', 'province']);
  });

  it('a rule that references other rules reads their facts too, however deep', () => {
    expect(readBy(version([condition({ rule: 'asleep-mobile' })]))).toEqual(['device', 'lastOrderAt', 'lifecycleStage']);
    expect(readBy(version([condition({ rule: 'asleep-vip' })]))).toEqual(['aov', 'device', 'lastOrderAt', 'lifecycleStage', 'orderCount', 'tags']);
    expect(readBy(version([condition({ conditions: { all: [{ condition: 'asleep' }, { fact: 'city', operator: 'equal', value: '杭州' }] } })]))).toEqual(['city', 'lastOrderAt', 'lifecycleStage']);
  });

  it("a switch reads every case's facts (named and inline), joined with its messages'", () => {
    const v = version([
      { id: 'sw', type: 'switch', cases: [{ rule: 'asleep', next: 's' }, { conditions: { all: [{ fact: 'unpaidOrderCount', operator: 'greaterThan', value: 0 }] }, next: 's' }], else: 's' },
      { id: 's', type: 'send', channel: 'email', template: '满{{facts.totalSpent}}', next: 'done' },
    ]);
    expect(readBy(v)).toEqual(['lastOrderAt', 'lifecycleStage', 'totalSpent', 'unpaidOrderCount']);
    expect(factsReadByAll([v, version([condition({ rule: 'vip' })])], evaluatorOf)).toEqual(['aov', 'lastOrderAt', 'lifecycleStage', 'orderCount', 'tags', 'totalSpent', 'unpaidOrderCount']);
  });

  it("a stratified split reads its stratum's facts (tiers and bands from the facts they are cut from); a plain split none", () => {
    expect(factsReadBy(version([split('lifecycleStage')]))).toEqual(['lastOrderAt', 'lifecycleStage']);
    expect(factsReadBy(version([split('orderTier')]))).toEqual(['lastOrderAt', 'orderCount']);
    expect(factsReadBy(version([split('aovBand')]))).toEqual(['aov', 'lastOrderAt']);
    expect(factsReadBy(version([split()]))).toEqual(['lastOrderAt']);
  });

  it('anything not known statically reads all facts: an unknown rule, conditions that do not check (unknown fact, a path), no evaluator, an evaluator that cannot say', () => {
    expect(readBy(version([condition({ rule: 'no-such-rule' })]))).toBeNull();
    expect(readBy(version([condition({ conditions: { all: [{ fact: 'nmae', operator: 'equal', value: 'x' }] } })]))).toBeNull();
    // A path into a fact (json-rules-engine's `path`) is refused by the rule checker: all facts, and the evaluation fails as before.
    expect(readBy(version([condition({ conditions: { all: [{ fact: 'tags', path: '$.0', operator: 'equal', value: 'vip' }] } })]))).toBeNull();
    expect(readBy(version([condition({ conditions: { all: [{ condition: 'no-such-rule' }] } })]))).toBeNull();
    // One unknown case makes the whole switch (and every batch with its version) read all.
    const sw = version([{ id: 'sw', type: 'switch', cases: [{ rule: 'vip', next: 'done' }, { rule: 'missing', next: 'done' }], else: 'done' }]);
    expect(readBy(sw)).toBeNull();
    expect(factsReadByAll([version([split()]), sw], evaluatorOf)).toBeNull();
    const v = version([condition({ rule: 'vip' })]);
    expect(factsReadBy(v)).toBeNull();
    const cannotSay: RuleEvaluator = { evaluate: async () => ({ matched: true, explanation: {} }) };
    expect(factsReadBy(v, cannotSay)).toBeNull();
    // Asked again with the evaluator that can: the answer is per evaluator, not the first one kept.
    expect(factsReadBy(v, evaluatorOf(v))).toEqual(['aov', 'lastOrderAt', 'orderCount', 'tags']);
  });

  it('a rule evaluated on only the facts it reads gives the same decision and explanation as on all facts', async () => {
    const at = Date.parse('2026-11-05T10:00:00+08:00');
    const ctx = { at, timezone: 'Asia/Shanghai', lifecycle: defaultShopConfig.lifecycle };
    const stored = [
      { order_count: 4, total_spent: 1200, first_order_at: at - 400 * 86_400_000, last_order_at: at - 100 * 86_400_000, unpaid_order_count: 0, last_unpaid_at: null, categories: '|鞋|', category_seasons: '', double11_years: '|2025|', double11_order_count: 1, province: '浙江', city: '杭州', device: 'mobile', tags: '|vip|', consent_sms: 1, consent_email: 1, consent_wechat: null, consent_wangwang: null, consent_push: null, p_alive: null, expected_purchases: null },
      { order_count: 1, total_spent: 99, first_order_at: at - 3 * 86_400_000, last_order_at: at - 3 * 86_400_000, unpaid_order_count: 1, last_unpaid_at: at - 86_400_000, categories: '', category_seasons: '', double11_years: '', double11_order_count: null, province: null, city: null, device: 'pc', tags: '', consent_sms: 0, consent_email: 1, consent_wechat: null, consent_wangwang: null, consent_push: null, p_alive: 0.5, expected_purchases: 1 },
    ].map((r) => decodeFacts(r));
    for (const name of ['vip', 'asleep', 'asleep-mobile', 'asleep-vip', 'lapsed']) {
      const v = version([condition({ rule: name })]);
      const names = readBy(v)!;
      for (const s of stored) {
        // Separate evaluators, so neither answer comes from the other's memo.
        const whole = await evaluatorOf(v).evaluate({ rule: name }, deriveFacts(s, ctx), at);
        const narrow = await evaluatorOf(v).evaluate({ rule: name }, deriveNamedFacts(s, ctx, names), at);
        expect({ matched: narrow.matched, explanation: narrow.explanation }).toEqual({ matched: whole.matched, explanation: whole.explanation });
      }
    }
  });
});
