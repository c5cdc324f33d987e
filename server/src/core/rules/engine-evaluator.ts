import { Engine, Fact, type RuleResult } from 'json-rules-engine';
import type { Facts } from '../facts/derive.js';
import { OPERATORS, operatorSpec, windowValue } from './operators.js';
import type { ConditionNode } from './rule-file.js';
import type { RuleSet } from './rule-set.js';

/**
 * Evaluates named rules with json-rules-engine for one customer's facts, keeping the "why".
 *
 * One engine per rule (built once, reused for every customer and every instant): the rule set's
 * rules are its shared conditions (`engine.setCondition`), so `{condition: x}` works as written.
 * Time-relative operators never bake an instant into the engine: their value is rewritten at
 * build time to a dynamic fact (`$lastDays`, …) computed from the run's `$now` fact.
 */
export interface ConditionResult {
  /** all | any | not | fact (a leaf) | rule (a reference to another rule). */
  kind: 'all' | 'any' | 'not' | 'fact' | 'rule';
  result: boolean | null;
  /** For a reference: the referenced rule's name. */
  rule?: string;
  fact?: string;
  operator?: string;
  value?: unknown;
  /** The fact's value for this customer (null when missing). */
  factValue?: unknown;
  children?: ConditionResult[];
}

export interface Evaluation {
  rule: string;
  matched: boolean;
  at: number;
  /** The facts the rule read, with their values. */
  facts: Record<string, unknown>;
  conditions: ConditionResult;
}

export interface EvaluatorOptions {
  timezone: string;
  /** Answers kept in all (default MEMO_MAX); tests set a small one. */
  memoMax?: number;
}

const REF_MARK = '$ref:';
/**
 * Answers kept in all, and how far behind the newest instant asked about an instant's answers are kept (see memoAt).
 * The cap is for the answers of one instant: an instant with more distinct answers than the cap has its memo emptied
 * when it is reached, and every answer asked for after that is worked out again by json-rules-engine, as a new object
 * (so new decisions, and new switch details serialised again, equal in text). It was 20,000: bench/double11's entry tick
 * asks for 14,505 distinct answers at 100,000 customers, 28,968 at 300,000 (all but 322 of them asked for again, so no
 * rule of which to let go first does better than emptying) and ~2× that at 1,000,000 by the growth from 100,000 to
 * 300,000; emptied once at 300,000, the tick ran json-rules-engine 37,526 times instead of 28,968. An answer holds
 * ~1.0 KB of heap, ~1.2 KB with a flow's decision on it (measured; the switch details built on the decisions come on
 * top): 100,000 answers are ~120 MB at most (bench/README.md, twenty-third wave, `w-d11v`).
 */
const MEMO_MAX = 100_000;
const MEMO_SPAN_MS = 60_000;
const NO_CACHE = { cache: false };

/** Facts are flat; a path is only ever a plain property lookup (never an expression). */
function plainPath(value: unknown, path: string): unknown {
  let cur: unknown = value;
  for (const key of path.replace(/^\$\.?/, '').split('.').filter(Boolean)) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Conditions as json-rules-engine takes them: time-relative values → dynamic-fact references. */
function toEngineConditions(n: ConditionNode, name?: string): Record<string, unknown> {
  const out = ((): Record<string, unknown> => {
    if ('all' in n) return { all: n.all.map((c) => toEngineConditions(c)) };
    if ('any' in n) return { any: n.any.map((c) => toEngineConditions(c)) };
    if ('not' in n) return { not: toEngineConditions(n.not) };
    if ('condition' in n) return { condition: n.condition };
    const spec = operatorSpec(n.operator)!;
    const value = spec.windowFact ? { fact: spec.windowFact, params: { days: n.value } } : n.value;
    // The rule's own value is kept for the "why" (json-rules-engine keeps unknown keys).
    return { fact: n.fact, operator: n.operator, value, ruleValue: n.value };
  })();
  // A shared condition carries its rule's name, so the realised result tree still says which
  // rule a branch came from (json-rules-engine replaces the reference in place).
  if (name) out.name = REF_MARK + name;
  return out;
}

export class EngineEvaluator {
  private readonly engines = new Map<string, Engine>();
  private readonly memoMax: number;

  constructor(
    private readonly rules: RuleSet,
    private readonly opts: EvaluatorOptions,
  ) {
    this.memoMax = opts.memoMax ?? MEMO_MAX;
  }

  private engineFor(ruleName: string): Engine {
    let engine = this.engines.get(ruleName);
    if (engine) return engine;
    const rule = this.rules.require(ruleName);
    engine = new Engine([], { allowUndefinedFacts: true, pathResolver: plainPath as never });
    for (const op of OPERATORS) if (op.engine) engine.addOperator(op.name, op.engine as never);
    for (const windowFact of new Set(OPERATORS.flatMap((o) => (o.windowFact ? [o.windowFact] : [])))) {
      engine.addFact(windowFact, async (params: Record<string, unknown>, almanac) =>
        windowValue(windowFact, params.days as number, (await almanac.factValue('$now')) as number, this.opts.timezone),
      NO_CACHE);
    }
    // Only the rules this one reaches through its references: setting every rule of the set made
    // building n engines cost n² condition parses (400 rules: ~160,000 before the first verdict).
    for (const name of this.referencedRules(ruleName)) engine.setCondition(name, toEngineConditions(this.rules.require(name).conditions, name) as never);
    engine.addRule({ name: ruleName, conditions: toEngineConditions(rule.conditions) as never, event: { type: ruleName } });
    this.engines.set(ruleName, engine);
    return engine;
  }

  /** The rules `ruleName` references, directly or through other rules (read from the conditions themselves). */
  private referencedRules(ruleName: string): Set<string> {
    const found = new Set<string>();
    const visit = (n: ConditionNode): void => {
      if ('all' in n) n.all.forEach(visit);
      else if ('any' in n) n.any.forEach(visit);
      else if ('not' in n) visit(n.not);
      else if ('condition' in n && !found.has(n.condition)) {
        found.add(n.condition);
        visit(this.rules.require(n.condition).conditions);
      }
    };
    visit(this.rules.require(ruleName).conditions);
    return found;
  }

  /** Runs the rule once for one customer. `facts` are the derived facts (core/facts/derive.ts). */
  private async run(ruleName: string, facts: Facts, at: number) {
    // Facts go in as uncached Fact objects: json-rules-engine otherwise hashes a cache key for
    // every runtime fact of every run, which was most of the per-customer cost (measured ~150 → ~27 µs a customer).
    const runtime: Record<string, Fact> = { $now: new Fact('$now', at, NO_CACHE) };
    for (const k in facts) runtime[k] = new Fact(k, facts[k], NO_CACHE);
    const { results, failureResults } = await this.engineFor(ruleName).run(runtime);
    const r = results[0] ?? failureResults[0];
    return { matched: results.length > 0, ruleResult: r };
  }

  /** Only the verdict: what a segment scan needs. */
  async matches(ruleName: string, facts: Facts, at: number): Promise<boolean> {
    return (await this.run(ruleName, facts, at)).matched;
  }

  /**
   * The verdict with the "why": each condition's result and the fact values it read.
   *
   * Memoised: the answer depends only on the rule, the instant and the values of the facts the
   * rule reads (through its references too), so customers alike in those facts share one run of
   * json-rules-engine (a flow's switch asks for every customer of a batch; the engine's run,
   * which clones the rule's conditions each time, was a quarter of a Double-11 simulation).
   */
  async evaluate(ruleName: string, facts: Facts, at: number): Promise<Evaluation> {
    const out = await this.evaluateShared(ruleName, facts, at);
    return { ...out, facts: { ...out.facts } };
  }

  /**
   * The memo's answer itself, if this rule was already answered at `at` for facts alike in the
   * values it reads: synchronously, and not copied — callers must treat it as read-only. A flow's
   * switch asks eight rules for every customer of a batch and finds ~95% of them here (bench/double11);
   * a copy and an await each were garbage and microtask turns per customer and rule.
   */
  known(ruleName: string, facts: Facts, at: number): Evaluation | undefined {
    const memo = this.memo.get(at);
    return memo && this.answerIn(memo, ruleName, facts, false)?.answer;
  }

  /** As `evaluate`, but the memo's answer is handed out as it is (read-only, see `known`). */
  async evaluateShared(ruleName: string, facts: Facts, at: number): Promise<Evaluation> {
    const memo = this.memoAt(at);
    const known = this.answerIn(memo, ruleName, facts, false)?.answer;
    if (known) return known;
    const { matched, ruleResult } = await this.run(ruleName, facts, at);
    const read: Record<string, unknown> = {};
    for (const f of this.factsReadBy(ruleName)) read[f] = facts[f] ?? null;
    const conditions = explain(ruleResult.conditions as unknown as Record<string, unknown>);
    // json-rules-engine records the top node's verdict on the rule result, not on the node.
    conditions.result = matched;
    const out: Evaluation = { rule: ruleName, matched, at, facts: read, conditions };
    this.remember(memo, ruleName, facts, out);
    return out;
  }

  /**
   * The memo's place for this rule and the values of the facts it reads (through its references
   * too): equal values, equal answers. A trie with one level per fact read, walked by the values
   * themselves (numbers, strings, booleans, null, undefined as Map keys; objects by their JSON
   * text), so a lookup builds nothing: the key string this replaced (the values' texts joined)
   * was made anew for each of the eight rules a Double-11 switch asks for every customer — ~530,000
   * strings in the entry tick at 100,000 customers, ~95% of them found. Values are told apart as
   * that key told them apart (a string from a number, undefined from null; NaN and ±Infinity read
   * as null, as JSON writes them), except that an object is no longer taken for a string equal to
   * its JSON text (a Date for its ISO text): a finer split, never a wrong answer.
   */
  private answerIn(memo: InstantMemo, ruleName: string, facts: Facts, make: boolean): MemoNode | undefined {
    let node: MemoNode | undefined = memo.rules.get(ruleName);
    if (!node) {
      if (!make) return undefined;
      memo.rules.set(ruleName, (node = {}));
    }
    for (const f of this.factsReadBy(ruleName)) {
      const v = facts[f];
      const isText = v !== null && typeof v === 'object';
      // As JSON writes them (and the key this replaced read them): NaN and ±Infinity as null.
      const key = isText ? JSON.stringify(v) : typeof v === 'number' && !Number.isFinite(v) ? null : v;
      const level: Map<unknown, MemoNode> | undefined = isText ? node.texts : node.values;
      let next: MemoNode | undefined = level?.get(key);
      if (!next) {
        if (!make) return undefined;
        next = {};
        if (isText) (node.texts ??= new Map()).set(key as string, next);
        else (node.values ??= new Map()).set(key, next);
      }
      node = next;
    }
    return node;
  }

  /**
   * The memo of one instant (answers by rule and fact values). An answer is only ever asked for
   * again at its own instant, and the engine's instants move on with its clock, so the answers of
   * instants more than a minute behind the newest one asked about are let go (a tick's batches
   * share one instant; the events handled meanwhile are seconds from it; a simulation's ticks are
   * an hour apart). Kept whatever their instant, the answers of instants long gone stayed until
   * the cap (then 20,000) had piled up — in bench/double11, the switch's explanations of its one entry tick (and
   * the shared log details and texts built on them, held through weak maps) for the whole run:
   * ~60 MB at 30,000 customers that every full GC marked again.
   */
  private memoAt(at: number): InstantMemo {
    let memo = this.memo.get(at);
    if (!memo) {
      if (at > this.newest) {
        this.newest = at;
        for (const instant of this.memo.keys()) if (instant < at - MEMO_SPAN_MS) this.forget(instant);
      }
      this.memo.set(at, (memo = { rules: new Map(), size: 0 }));
    }
    return memo;
  }

  /** At most memoMax answers in all: older instants' go first, then the current one's. */
  private remember(memo: InstantMemo, ruleName: string, facts: Facts, out: Evaluation): void {
    for (const instant of this.memo.keys()) {
      if (this.memoSize < this.memoMax) break;
      if (this.memo.get(instant) !== memo) this.forget(instant);
    }
    if (this.memoSize >= this.memoMax) {
      this.memoSize -= memo.size;
      memo.rules.clear();
      memo.size = 0;
    }
    const node = this.answerIn(memo, ruleName, facts, true)!;
    if (!node.answer) {
      memo.size++;
      this.memoSize++;
    }
    node.answer = out;
  }

  private forget(instant: number): void {
    this.memoSize -= this.memo.get(instant)?.size ?? 0;
    this.memo.delete(instant);
  }

  private readonly memo = new Map<number, InstantMemo>();
  private memoSize = 0;
  private newest = -Infinity;
  private readonly reads = new Map<string, string[]>();

  /**
   * The facts a rule reads, through its references too: all its answer depends on (the memo
   * relies on it), so a caller may hand the evaluator only these facts. Read-only.
   */
  factsRead(ruleName: string): readonly string[] {
    return this.factsReadBy(ruleName);
  }

  private factsReadBy(ruleName: string): string[] {
    let r = this.reads.get(ruleName);
    if (!r) this.reads.set(ruleName, (r = this.rules.factsRead(ruleName)));
    return r;
  }
}

/** A place in an instant's memo: the answer for the values read so far, or the next fact's values. */
interface MemoNode {
  answer?: Evaluation;
  /** By the next fact's value itself (number, string, boolean, null, undefined). */
  values?: Map<unknown, MemoNode>;
  /** By the next fact's JSON text, when it is an object or array. */
  texts?: Map<string, MemoNode>;
}

/** The answers of one instant, by rule, then by the values of the facts the rule reads. */
interface InstantMemo {
  rules: Map<string, MemoNode>;
  size: number;
}

function explain(c: Record<string, unknown>): ConditionResult {
  const result = typeof c.result === 'boolean' ? c.result : null; // null: not evaluated (short-circuit)
  const name = typeof c.name === 'string' && c.name.startsWith(REF_MARK) ? c.name.slice(REF_MARK.length) : undefined;
  let node: ConditionResult;
  if (Array.isArray(c.all)) node = { kind: 'all', result, children: (c.all as Record<string, unknown>[]).map(explain) };
  else if (Array.isArray(c.any)) node = { kind: 'any', result, children: (c.any as Record<string, unknown>[]).map(explain) };
  else if (c.not) node = { kind: 'not', result, children: [explain(c.not as Record<string, unknown>)] };
  else if ('condition' in c) node = { kind: 'rule', rule: String(c.condition), result };
  else node = { kind: 'fact', result, fact: c.fact as string, operator: c.operator as string, value: c.ruleValue ?? c.value, factValue: c.factResult ?? null };
  return name ? { kind: 'rule', rule: name, result: node.result, children: [node] } : node;
}

export type { RuleResult };
