import type { ConditionResult } from './engine-evaluator.js';

/** How each operator reads between a fact and the rule's value ("recencyDays ≥ 180"). */
const OPERATOR_WORDS: Record<string, string> = {
  equal: '=',
  notEqual: '≠',
  lessThan: '<',
  lessThanInclusive: '≤',
  greaterThan: '>',
  greaterThanInclusive: '≥',
  in: 'in',
  notIn: 'not in',
  inList: 'in list',
  between: 'between',
  withinLastDays: 'within the last days:',
  anniversaryWithinDays: 'anniversary within days:',
  contains: 'contains',
  doesNotContain: 'does not contain',
  containsAny: 'contains any of',
};

const text = (v: unknown): string => (v === null || v === undefined ? 'none' : typeof v === 'string' ? v : JSON.stringify(v));

/**
 * Why a customer is not in a segment, in words: the conditions of its rule that held them out, each
 * with the customer's own value — "recencyDays ≥ 180 (theirs: 45)". `rekindle explain` prints it for
 * a live journey the customer is not in, so "why did this customer not get the message" is answered
 * by the rule's figures, not only "never entered". Only what decided the verdict: json-rules-engine
 * stops an `all` at its first failing condition (the ones after it are not evaluated: not named), an
 * `any` fails only when every branch did (all named, joined by "nor"). A condition that names another
 * segment says which, with what held the customer out of that one. Empty when the rule matched.
 */
export function unmetConditions(c: ConditionResult): string[] {
  if (c.result !== false) return [];
  switch (c.kind) {
    case 'fact':
      return [`${c.fact} ${OPERATOR_WORDS[c.operator ?? ''] ?? c.operator} ${text(c.value)} (theirs: ${text(c.factValue)})`];
    case 'all':
      return (c.children ?? []).flatMap(unmetConditions);
    case 'any': {
      const each = (c.children ?? []).map((k) => unmetConditions(k).join('; ')).filter(Boolean);
      return each.length ? [each.length === 1 ? each[0] : `neither ${each.join(', nor ')}`] : [];
    }
    case 'not':
      // The inner condition held, which the rule asks not to: said as what it is.
      return [`not (${heldWords(c.children?.[0])})`];
    case 'rule': {
      const inner = (c.children ?? []).flatMap(unmetConditions);
      return [`in segment ${c.rule}${inner.length ? `: ${inner.join('; ')}` : ''}`];
    }
  }
}

/** A condition that held, in words (the inside of a failed `not`). */
function heldWords(c: ConditionResult | undefined): string {
  if (!c) return '?';
  if (c.kind === 'fact') return `${c.fact} ${OPERATOR_WORDS[c.operator ?? ''] ?? c.operator} ${text(c.value)}, theirs: ${text(c.factValue)}`;
  if (c.kind === 'rule') return `in segment ${c.rule}`;
  const held = (c.children ?? []).filter((k) => k.result === true).map(heldWords);
  return held.join(c.kind === 'any' ? ' or ' : ' and ');
}
