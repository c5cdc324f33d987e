import { describe, expect, it } from '@jest/globals';
import { journeysUsingSegment } from '../../server/src/core/flow/journeys-using-segment.js';
import { editNeedsAdmin, whyMayNotEditLiveSegment } from '../../server/src/core/access/segment-edit-approval.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import type { Flow } from '../../server/src/core/flow/schema.js';
import type { Principal } from '../../server/src/core/access/roles.js';

const rule = (name: string, conditions: unknown, refs: string[] = []) => ({ name, conditions: conditions as never, source: `rules/segments/${name}.yaml`, references: refs.map((r) => ({ name: r, path: 'conditions', line: 1 })) });
const rules = RuleSet.fromDefinitions([
  rule('west', { all: [{ fact: 'province', operator: 'equal', value: '新疆' }] }),
  rule('west-loyal', { all: [{ condition: 'west' }] }, ['west']),
  rule('vip', { all: [{ fact: 'orderCount', operator: 'greaterThan', value: 5 }] }),
]);
const flow = (id: string, nodes: unknown[]): Flow => ({ id, name: `旅程 ${id}`, nodes } as unknown as Flow);
const entry = (segment: string) => ({ id: 'start', type: 'entry', trigger: { type: 'schedule', segment } });

describe('the live journeys a segment edit changes', () => {
  const published = [
    { flowId: 'a', status: 'active', version: { flow: flow('a', [entry('west-loyal')]) } },
    { flowId: 'b', status: 'paused', version: { flow: flow('b', [entry('vip'), { id: 'c', type: 'switch', cases: [{ rule: 'vip' }, { conditions: { any: [{ condition: 'west' }] } }] }]) } },
    { flowId: 'c', status: 'stopped', version: { flow: flow('c', [entry('west')]) } },
    { flowId: 'd', status: 'active', version: { flow: flow('d', [entry('vip'), { id: 'x', type: 'condition', rule: 'vip' }]) } },
  ];

  it('finds the entry audience and the branches that use it, through other segments too; running or paused, never stopped', () => {
    expect(journeysUsingSegment(published, rules, 'west')).toEqual([
      { flowId: 'a', name: '旅程 a', status: 'active', uses: ['entry'] },
      { flowId: 'b', name: '旅程 b', status: 'paused', uses: ['branch'] },
    ]);
    expect(journeysUsingSegment(published, rules, 'vip').map((j) => [j.flowId, j.uses])).toEqual([
      ['b', ['entry', 'branch']],
      ['d', ['entry', 'branch']],
    ]);
    expect(journeysUsingSegment(published, rules, 'west-loyal').map((j) => j.flowId)).toEqual(['a']);
  });

  it('keeps a segment live journeys use to an admin only when publish approval is on', () => {
    const as = (role: 'admin' | 'marketer'): Principal => ({ kind: 'user', name: role, userId: 1, tokenId: null, role, scopes: [], contactsVisible: true });
    const live = [{ flowId: 'a' }];
    expect(whyMayNotEditLiveSegment(as('marketer'), true, live)).toMatch(/publish approval is on .*\(a\).*only an admin/);
    expect(whyMayNotEditLiveSegment(as('admin'), true, live)).toBeNull();
    expect(whyMayNotEditLiveSegment(as('marketer'), false, live)).toBeNull();
    expect(whyMayNotEditLiveSegment(as('marketer'), true, [])).toBeNull();
  });

  it('says whoever asks that an edit takes an admin only when approval is on and a live journey uses the segment', () => {
    expect(editNeedsAdmin(true, [{ flowId: 'a' }])).toBe(true);
    expect(editNeedsAdmin(false, [{ flowId: 'a' }])).toBe(false);
    expect(editNeedsAdmin(true, [])).toBe(false);
  });
});
