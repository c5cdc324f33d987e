import { describe, expect, it } from '@jest/globals';
import { EngineEvaluator } from '../../server/src/core/rules/engine-evaluator.js';
import { parseRuleFile } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { unmetConditions, unmetWords } from '../../server/src/core/rules/unmet-conditions.js';

/** What `rekindle explain` says held a customer out of a segment, from json-rules-engine's own verdict. */
const rule = (name: string, conditions: unknown) => parseRuleFile(JSON.stringify({ name, conditions }), `${name}.json`);
const rules = RuleSet.fromDefinitions([
  rule('big', { all: [{ fact: 'totalSpent', operator: 'greaterThanInclusive', value: 500 }] }),
  rule('quiet-big', { all: [{ fact: 'recencyDays', operator: 'greaterThan', value: 150 }, { condition: 'big' }] }),
  rule('either', { any: [{ fact: 'orderCount', operator: 'greaterThan', value: 3 }, { fact: 'city', operator: 'in', value: ['杭州', '上海'] }] }),
  rule('not-recent', { not: { fact: 'recencyDays', operator: 'lessThan', value: 30 } }),
]);
const evaluator = new EngineEvaluator(rules, { timezone: 'Asia/Shanghai' });
const why = async (rule: string, facts: Record<string, unknown>) => unmetConditions((await evaluator.evaluate(rule, facts, Date.parse('2026-12-05T02:00:00Z'))).conditions).map(unmetWords);

describe('unmetConditions', () => {
  it('is empty when the rule matched', async () => {
    expect(await why('quiet-big', { recencyDays: 200, totalSpent: 800 })).toEqual([]);
  });

  it('names the first condition of an all that failed, with the customer value, through a referenced segment', async () => {
    expect(await why('quiet-big', { recencyDays: 20, totalSpent: 800 })).toEqual(['recencyDays > 150 (theirs: 20)']);
    expect(await why('quiet-big', { recencyDays: 200, totalSpent: 398 })).toEqual(['in segment big: totalSpent ≥ 500 (theirs: 398)']);
  });

  it('names every branch of a failed any, and a missing fact as none', async () => {
    expect(await why('either', { orderCount: 1 })).toEqual(['neither orderCount > 3 (theirs: 1), nor city in ["杭州","上海"] (theirs: none)']);
  });

  it('gives the conditions as data for the designer to word', async () => {
    const verdict = await evaluator.evaluate('quiet-big', { recencyDays: 200, totalSpent: 398 }, Date.parse('2026-12-05T02:00:00Z'));
    expect(unmetConditions(verdict.conditions)).toEqual([{ kind: 'segment', segment: 'big', unmet: [{ kind: 'fact', fact: 'totalSpent', operator: 'greaterThanInclusive', value: 500, theirs: 398 }] }]);
  });

  it('says what held inside a failed not', async () => {
    expect(await why('not-recent', { recencyDays: 12 })).toEqual(['not (recencyDays < 30, theirs: 12)']);
  });
});
