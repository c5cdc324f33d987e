import { describe, expect, it } from '@jest/globals';
import { entryWithPart, shareDetail } from '../../server/src/core/engine/model.js';
import { expandDetail, partKeys, storedDetail } from '../../server/src/persistence/journey-details.js';

/** A switch detail as switch.executor.ts builds it: each case its label and verdict, then a shared rule explanation. */
function switchDetail(explanations: Record<string, unknown>[]) {
  return shareDetail({ cases: explanations.map((x, i) => entryWithPart({ case: `case ${i}`, matched: i === explanations.length - 1 }, x)) });
}

const explanation = (rule: string, aov: number) => shareDetail({ rule, facts: { aov, lifecycleStage: 'silent' }, conditions: { kind: 'all', result: aov > 200, children: [{ kind: 'fact', fact: 'aov', operator: 'greaterThan', value: 200, factValue: aov, result: aov > 200 }] } });

describe('stored shared details (journey_details)', () => {
  it('an entry with a shared part reads exactly as logged: same JSON text, key for key', () => {
    const a = explanation('d11-only', 10);
    const b = explanation('d11-recent-high-value', 379.2);
    const detail = switchDetail([a, b]);
    const s = storedDetail(detail);
    expect(s.parts.map((p) => p.json)).toEqual([JSON.stringify(a), JSON.stringify(b)]);
    const keys = new Set<string>();
    partKeys(JSON.parse(s.json), keys);
    expect([...keys]).toEqual(s.parts.map((p) => p.key));
    const parts = new Map(s.parts.map((p) => [p.key, JSON.parse(p.json) as Record<string, unknown>]));
    expect(JSON.stringify(expandDetail(JSON.parse(s.json), parts))).toBe(JSON.stringify(detail));
  });

  it('details that repeat an explanation share its row, and equal details share one key', () => {
    const shared = explanation('d11-only', 10);
    const one = storedDetail(switchDetail([shared, explanation('c', 300)]));
    const two = storedDetail(switchDetail([shared, explanation('c', 301)]));
    expect(one.parts[0].key).toBe(two.parts[0].key);
    expect(one.key).not.toBe(two.key);
    expect(storedDetail(switchDetail([shared, explanation('c', 300)])).key).toBe(one.key);
    // The switch row holds references, not the explanations.
    expect(one.json).not.toContain('factValue');
  });

  it('writes a detail with parts as JSON.stringify writes its stored form, whatever else it holds', () => {
    const a = explanation('d11-only', 10);
    const b = explanation('c', 300);
    const entryA = entryWithPart({ case: 'A "1"', matched: false }, a);
    const detail = shareDetail({
      before: 1,
      cases: [entryA, { plain: true, gone: undefined }, undefined, entryWithPart({ case: 'B', matched: true }, b), entryA],
      skipped: undefined,
      nested: { x: [1, null] },
      '键 "q"': 'v',
    } as Record<string, unknown>);
    const s = storedDetail(detail);
    const keyOf = (p: Record<string, unknown>) => s.parts.find((x) => x.json === JSON.stringify(p))!.key;
    const storedForm = {
      before: 1,
      cases: [{ case: 'A "1"', matched: false, $part: keyOf(a) }, { plain: true }, null, { case: 'B', matched: true, $part: keyOf(b) }, { case: 'A "1"', matched: false, $part: keyOf(a) }],
      nested: { x: [1, null] },
      '键 "q"': 'v',
    };
    expect(s.json).toBe(JSON.stringify(storedForm));
    expect(s.parts.map((p) => p.json)).toEqual([a, b, a].map((p) => JSON.stringify(p)));
    // The same entry object in another detail: its text and part are reused, the detail's text is its own.
    const other = storedDetail(shareDetail({ cases: [entryA] }));
    expect(other.json).toBe(JSON.stringify({ cases: [storedForm.cases[0]] }));
    expect(other.parts[0]).toBe(s.parts[0]);
  });

  it('a detail without parts is stored as it is and read back unchanged', () => {
    const plain = shareDetail({ rule: 'r', facts: { orderCount: 0 }, conditions: { kind: 'all', result: true } });
    const s = storedDetail(plain);
    expect(s.json).toBe(JSON.stringify(plain));
    expect(s.parts).toEqual([]);
    const parsed = JSON.parse(s.json);
    expect(expandDetail(parsed, new Map())).toBe(parsed);
  });
});
