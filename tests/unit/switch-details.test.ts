import { describe, expect, it } from '@jest/globals';
import type { BatchContext } from '../../server/src/core/engine/executor.js';
import { switchExecutor } from '../../server/src/core/engine/executors/switch.executor.js';
import { flowRuleEvaluator } from '../../server/src/core/engine/flow-rules.js';
import type { Enrollment, FlowVersion } from '../../server/src/core/engine/model.js';
import type { RuleDecision, RuleEvaluator } from '../../server/src/core/engine/ports.js';
import type { Facts } from '../../server/src/core/facts/derive.js';
import type { NodeOfType } from '../../server/src/core/flow/schema.js';
import { EngineEvaluator } from '../../server/src/core/rules/engine-evaluator.js';
import { parseRuleFile } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';

const AT = Date.parse('2026-10-27T09:00:00+08:00');
const TZ = 'Asia/Shanghai';

const rules = RuleSet.fromDefinitions(
  Object.entries({
    'high-value': { all: [{ fact: 'aov', operator: 'greaterThanInclusive', value: 200 }] },
    loyal: { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 3 }, { fact: 'lifecycleStage', operator: 'notEqual', value: 'lost' }] },
    mobile: { all: [{ fact: 'device', operator: 'equal', value: 'mobile' }] },
  }).map(([name, conditions]) => parseRuleFile(JSON.stringify({ name, conditions }), `${name}.json`)),
);

const node = {
  id: 'group',
  type: 'switch',
  cases: [
    { label: 'A high value', rule: 'high-value', next: 'a' },
    { label: 'B loyal', rule: 'loyal', next: 'b' },
    { rule: 'mobile', next: 'c' },
  ],
  else: 'rest',
} as unknown as NodeOfType<'switch'>;

const version = { id: 1, flowId: 'f', version: 1, hash: '', flow: { id: 'f', nodes: [node] }, publishedAt: 0, author: 't' } as unknown as FlowVersion;

const customers: Facts[] = [
  { aov: 250, orderCount: 1, lifecycleStage: 'active', device: 'pc' },
  { aov: 120, orderCount: 4, lifecycleStage: 'active', device: 'pc' },
  { aov: 120, orderCount: 1, lifecycleStage: 'silent', device: 'mobile' },
  { aov: 130, orderCount: 1, lifecycleStage: 'silent', device: 'mobile' },
  { aov: 130, orderCount: 5, lifecycleStage: 'lost', device: 'pc' },
  { aov: 120, orderCount: 1, lifecycleStage: 'silent', device: 'mobile' },
];

const enrollment = (customerId: number) => ({ id: customerId, customerId }) as Enrollment;

function context(evaluator: RuleEvaluator, facts: Facts[]): BatchContext {
  const byCustomer = new Map(facts.map((f, i) => [i + 1, f]));
  return { now: AT, timezone: TZ, version, rules: evaluator, facts: async () => byCustomer } as unknown as BatchContext;
}

/** The switch's detail as the log had it before: each case tried, its label and verdict, then the rule's whole explanation. */
async function detailAsBefore(f: Facts) {
  const plain = new EngineEvaluator(rules, { timezone: TZ });
  const cases: Record<string, unknown>[] = [];
  for (const c of node.cases) {
    const ev = await plain.evaluate(c.rule!, f, AT);
    cases.push({ case: c.label ?? c.rule, matched: ev.matched, rule: c.rule, facts: ev.facts, conditions: ev.conditions });
    if (ev.matched) break;
  }
  return { cases };
}

describe('switch details (shared, built once per decision)', () => {
  it('logs each customer the same detail, key for key, as the explanations built per customer did', async () => {
    const results = await switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), context(flowRuleEvaluator(rules, version, TZ), customers));
    for (const [i, f] of customers.entries()) {
      const r = results[i];
      expect(r.kind).toBe('goto');
      if (r.kind !== 'goto') continue;
      expect(JSON.stringify(r.detail)).toBe(JSON.stringify(await detailAsBefore(f)));
    }
    expect(results.map((r) => (r.kind === 'goto' ? r.next : r.kind))).toEqual(['a', 'b', 'c', 'c', 'rest', 'c']);
  });

  it('hands customers alike in every answer one detail, and details that share an answer at a case one entry for it', async () => {
    const results = await switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), context(flowRuleEvaluator(rules, version, TZ), customers));
    const detail = (i: number) => (results[i] as unknown as { detail: { cases: unknown[] } }).detail;
    expect(detail(5)).toBe(detail(2)); // the same facts for every rule read
    // Customers 3 and 4 differ in the aov the first rule read, then get the same answers: one
    // detail each, the later cases' entries shared.
    expect(detail(3)).not.toBe(detail(2));
    expect(detail(3).cases[0]).not.toBe(detail(2).cases[0]);
    expect(detail(3).cases[1]).toBe(detail(2).cases[1]);
    expect(detail(3).cases[2]).toBe(detail(2).cases[2]);
  });

  it('finds a combination of answers by the decisions\' ids: one detail within an instant, a new one at the next, equal in text', async () => {
    const evaluator = flowRuleEvaluator(rules, version, TZ);
    const run = (ctx: BatchContext) => switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), ctx);
    const detail = (r: Awaited<ReturnType<typeof run>>, i: number) => (r[i] as unknown as { detail: Record<string, unknown> }).detail;
    const first = await run(context(evaluator, customers));
    const again = await run(context(evaluator, customers));
    for (let i = 0; i < customers.length; i++) expect(detail(again, i)).toBe(detail(first, i));
    const later = await run({ ...context(evaluator, customers), now: AT + 60_000 } as BatchContext);
    for (let i = 0; i < customers.length; i++) {
      expect(detail(later, i)).not.toBe(detail(first, i));
      expect(JSON.stringify(detail(later, i))).toBe(JSON.stringify(detail(first, i)));
    }
    // Ids name decision objects: two rules' decisions never share one.
    const decisions = await Promise.all(node.cases.map((c) => evaluator.evaluate({ rule: c.rule }, customers[0], AT)));
    expect(new Set(decisions.map((d) => d.id)).size).toBe(decisions.length);
  });

  it('shares details between customers alike in every answer also when the evaluator does not number its decisions', async () => {
    const evaluator = flowRuleEvaluator(rules, version, TZ);
    const unnumbered = new WeakMap<object, RuleDecision>();
    const strip = (d: RuleDecision): RuleDecision => {
      let u = unnumbered.get(d);
      if (!u) unnumbered.set(d, (u = { matched: d.matched, explanation: d.explanation }));
      return u;
    };
    const plain: RuleEvaluator = { evaluate: async (...args) => strip(await evaluator.evaluate(...args)) };
    const results = await switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), context(plain, customers));
    const detail = (i: number) => (results[i] as unknown as { detail: { cases: unknown[] } }).detail;
    expect(detail(5)).toBe(detail(2));
    expect(detail(3)).not.toBe(detail(2));
    for (const [i, f] of customers.entries()) expect(JSON.stringify(detail(i))).toBe(JSON.stringify(await detailAsBefore(f)));
  });

  it('takes answers already known at this instant without asking the evaluator to work them out', async () => {
    const evaluator = flowRuleEvaluator(rules, version, TZ);
    const first = await switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), context(evaluator, customers));
    let asked = 0;
    const counting: RuleEvaluator = {
      known: evaluator.known!,
      evaluate: (...args) => {
        asked++;
        return evaluator.evaluate(...args);
      },
    };
    const again = await switchExecutor.execute(node, customers.map((_, i) => enrollment(i + 1)), context(counting, customers));
    expect(asked).toBe(0);
    expect(again.map((r) => JSON.stringify(r))).toEqual(first.map((r) => JSON.stringify(r)));
    // A new customer's unknown answers are worked out (once each), the known ones taken.
    await switchExecutor.execute(node, [enrollment(1)], context(counting, [{ aov: 90, orderCount: 1, lifecycleStage: 'silent', device: 'mobile' }]));
    expect(asked).toBe(1); // high-value for aov 90; loyal and mobile answered before for these values
  });
});

describe('rule evaluator memo', () => {
  const evaluator = () => new EngineEvaluator(rules, { timezone: TZ });

  it('hands out its own answer to known() and evaluateShared(), a copy to evaluate()', async () => {
    const ev = evaluator();
    const f = { aov: 250 };
    expect(ev.known('high-value', f, AT)).toBeUndefined();
    const shared = await ev.evaluateShared('high-value', f, AT);
    expect(ev.known('high-value', { aov: 250, device: 'pc' }, AT)).toBe(shared);
    expect(await ev.evaluateShared('high-value', f, AT)).toBe(shared);
    const copy = await ev.evaluate('high-value', f, AT);
    expect(copy).toEqual(shared);
    expect(copy.facts).not.toBe(shared.facts);
    expect(ev.known('high-value', f, AT + 1)).toBeUndefined();
  });

  it('tells values apart as their JSON text does', async () => {
    const ev = evaluator();
    const shared = await ev.evaluateShared('high-value', { aov: 5 }, AT);
    expect(ev.known('high-value', { aov: '5' }, AT)).toBeUndefined();
    expect(ev.known('high-value', { aov: 5.0 }, AT)).toBe(shared);
    const none = await ev.evaluateShared('high-value', { aov: null }, AT);
    // JSON writes NaN and Infinity as null: the same answer as for null, as before.
    expect(ev.known('high-value', { aov: Number.NaN }, AT)).toBe(none);
    expect(ev.known('high-value', { aov: Number.POSITIVE_INFINITY }, AT)).toBe(none);
    expect(ev.known('high-value', {}, AT)).toBeUndefined();
    const listed = await ev.evaluateShared('high-value', { aov: [1, 2] }, AT);
    expect(ev.known('high-value', { aov: [1, 2] }, AT)).toBe(listed);
    expect(ev.known('high-value', { aov: true }, AT)).toBeUndefined();
  });

  it('does not take an object for a string equal to its JSON text', async () => {
    const ev = evaluator();
    const when = new Date(AT);
    const dated = await ev.evaluateShared('high-value', { aov: when }, AT);
    expect(ev.known('high-value', { aov: new Date(AT) }, AT)).toBe(dated);
    // The memo's key was the values' JSON texts joined, and a Date's text is its ISO string's.
    expect(ev.known('high-value', { aov: when.toISOString() }, AT)).toBeUndefined();
  });

  /** Counts this evaluator's json-rules-engine runs (its memo misses). */
  const countRuns = (ev: EngineEvaluator) => {
    const counter = { runs: 0 };
    const self = ev as unknown as { run: (...a: unknown[]) => Promise<unknown> };
    const run = self.run.bind(ev);
    self.run = (...a: unknown[]) => {
      counter.runs++;
      return run(...a);
    };
    return counter;
  };
  const held = (ev: EngineEvaluator) => (ev as unknown as { memoSize: number }).memoSize;

  it('keeps an instant\'s answers past 20,000 distinct ones: asked again, the same objects, without running json-rules-engine', async () => {
    // bench/double11's entry tick asks for 28,968 distinct answers at 300,000 customers (rule C
    // reads the average order value); the memo's cap was 20,000 and emptied it within the tick.
    const ev = evaluator();
    const counter = countRuns(ev);
    const shared = { orderCount: 4, lifecycleStage: 'active' };
    const common = await ev.evaluateShared('loyal', shared, AT);
    const first = await ev.evaluateShared('high-value', { aov: 0 }, AT);
    for (let i = 1; i < 25_000; i++) await ev.evaluateShared('high-value', { aov: i }, AT);
    expect(counter.runs).toBe(25_001);
    expect(ev.known('loyal', shared, AT)).toBe(common);
    expect(ev.known('high-value', { aov: 0 }, AT)).toBe(first);
    expect(await ev.evaluateShared('high-value', { aov: 24_999 }, AT)).toBe(ev.known('high-value', { aov: 24_999 }, AT));
    expect(counter.runs).toBe(25_001);
    expect(held(ev)).toBe(25_001);
  });

  it('holds at most its cap of answers: reached, the instant is emptied, and its answers are worked out again alike in text', async () => {
    const ev = new EngineEvaluator(rules, { timezone: TZ, memoMax: 50 });
    const counter = countRuns(ev);
    const first = await ev.evaluateShared('high-value', { aov: 0 }, AT);
    for (let i = 1; i < 50; i++) await ev.evaluateShared('high-value', { aov: i }, AT);
    expect(held(ev)).toBe(50);
    expect(ev.known('high-value', { aov: 0 }, AT)).toBe(first);
    await ev.evaluateShared('high-value', { aov: 50 }, AT);
    expect(held(ev)).toBe(1);
    expect(ev.known('high-value', { aov: 0 }, AT)).toBeUndefined();
    const again = await ev.evaluateShared('high-value', { aov: 0 }, AT);
    expect(again).not.toBe(first);
    expect(JSON.stringify(again)).toBe(JSON.stringify(first));
    expect(counter.runs).toBe(52);
    for (let i = 1; i < 500; i++) await ev.evaluateShared('loyal', { orderCount: i, lifecycleStage: 'active' }, AT);
    expect(held(ev)).toBeLessThanOrEqual(50);
  });

  it('finds each rule\'s answers by the values of the facts that rule reads, in any mix of rules and instants', async () => {
    const ev = evaluator();
    const loyal = await ev.evaluateShared('loyal', { orderCount: 4, lifecycleStage: 'active', aov: 1 }, AT);
    const lost = await ev.evaluateShared('loyal', { orderCount: 4, lifecycleStage: 'lost' }, AT);
    const high = await ev.evaluateShared('high-value', { aov: 4 }, AT);
    expect(loyal.matched).toBe(true);
    expect(lost.matched).toBe(false);
    expect(ev.known('loyal', { orderCount: 4, lifecycleStage: 'active', aov: 999, device: 'pc' }, AT)).toBe(loyal);
    expect(ev.known('loyal', { orderCount: 4, lifecycleStage: 'lost' }, AT)).toBe(lost);
    expect(ev.known('loyal', { orderCount: 4 }, AT)).toBeUndefined();
    expect(ev.known('loyal', { orderCount: 5, lifecycleStage: 'active' }, AT)).toBeUndefined();
    expect(ev.known('high-value', { aov: 4, orderCount: 4 }, AT)).toBe(high);
    expect(ev.known('mobile', { aov: 4 }, AT)).toBeUndefined();
    expect(ev.known('loyal', { orderCount: 4, lifecycleStage: 'active' }, AT + 1)).toBeUndefined();
  });
});
