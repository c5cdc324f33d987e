import type { ConditionResult } from './engine-evaluator.js';

/** A condition on one fact, with the customer's own value (`theirs`: null when they have none). */
export interface FactCondition {
  kind: 'fact';
  fact: string;
  operator: string;
  value: unknown;
  theirs: unknown;
}

/**
 * What held a customer out of a segment: a fact condition that failed; a referenced segment they are
 * not in, with what held them out of it; an `any` whose every branch failed (each branch's own);
 * a `not` whose inner conditions held (those that held).
 */
export type Unmet =
  | FactCondition
  | { kind: 'segment'; segment: string; unmet: Unmet[] }
  | { kind: 'any'; branches: Unmet[][] }
  | { kind: 'not'; held: (FactCondition | { kind: 'segment'; segment: string })[] };

/**
 * Why a customer is not in a segment, from json-rules-engine's own verdict (EngineEvaluator's
 * ConditionResult): the conditions of its rule that held them out, each with the customer's own
 * value. Only what decided the verdict: json-rules-engine stops an `all` at its first failing
 * condition (the ones after it are not evaluated: not named); an `any` fails only when every branch
 * did (all named). Empty when the rule matched. Words: `unmetWords` (the CLI), the designer's own.
 */
export function unmetConditions(c: ConditionResult): Unmet[] {
  if (c.result !== false) return [];
  switch (c.kind) {
    case 'fact':
      return [factCondition(c)];
    case 'all':
      return (c.children ?? []).flatMap(unmetConditions);
    case 'any': {
      const branches = (c.children ?? []).map(unmetConditions).filter((b) => b.length > 0);
      return branches.length === 0 ? [] : branches.length === 1 ? branches[0] : [{ kind: 'any', branches }];
    }
    case 'not':
      return [{ kind: 'not', held: held(c.children?.[0]) }];
    case 'rule':
      return [{ kind: 'segment', segment: c.rule ?? '?', unmet: (c.children ?? []).flatMap(unmetConditions) }];
  }
}

function factCondition(c: ConditionResult): FactCondition {
  return { kind: 'fact', fact: c.fact ?? '?', operator: c.operator ?? '?', value: c.value ?? null, theirs: c.factValue ?? null };
}

/** The conditions that held inside a failed `not`. */
function held(c: ConditionResult | undefined): (FactCondition | { kind: 'segment'; segment: string })[] {
  if (!c || c.result !== true) return [];
  if (c.kind === 'fact') return [factCondition(c)];
  if (c.kind === 'rule') return [{ kind: 'segment', segment: c.rule ?? '?' }];
  return (c.children ?? []).flatMap(held);
}

/** How each operator reads between a fact and the rule's value ("recencyDays > 150"). */
export const OPERATOR_SYMBOLS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
};

const text = (v: unknown): string => (v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));
const condition = (f: FactCondition) => `${f.fact} ${OPERATOR_SYMBOLS[f.operator] ?? f.operator} ${text(f.value)}`;

/** One unmet condition in English words: "totalSpent ≥ 500 (theirs: 398)" (`rekindle explain`). */
export function unmetWords(u: Unmet): string {
  switch (u.kind) {
    case 'fact':
      return `${condition(u)} (theirs: ${text(u.theirs)})`;
    case 'segment':
      return `in segment ${u.segment}${u.unmet.length ? `: ${u.unmet.map(unmetWords).join('; ')}` : ''}`;
    case 'any':
      return `neither ${u.branches.map((b) => b.map(unmetWords).join('; ')).join(', nor ')}`;
    case 'not':
      return `not (${u.held.map((h) => (h.kind === 'segment' ? `in segment ${h.segment}` : `${condition(h)}, theirs: ${text(h.theirs)}`)).join(' and ')})`;
  }
}
