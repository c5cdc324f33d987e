import { describe, expect, it } from '@jest/globals';
import { campaignChoices } from '../../designer/src/model/campaign-choices.js';
import { flowFieldProblems } from '../../designer/src/model/field-problems.js';
import type { DraftFlow, Problem } from '../../designer/src/model/types.js';

const flow: DraftFlow = { id: 'd11', name: '双11', caps: [{ id: 'own', max: 1, window: '1d' }, { id: 'marketing-per-day', max: 2, window: '1d' }], nodes: [{ id: 'start', type: 'entry' }] } as unknown as DraftFlow;
const problem = (p: Partial<Problem>): Problem => ({ line: 3, nodeId: null, path: '', message: '', severity: 'error', ...p });

describe('旅程设置: the journey\'s own problems beside their fields', () => {
  it('files a journey cap whose id a shop-wide cap has under that cap\'s id field, in Chinese', () => {
    const clash = problem({ path: 'caps.1.id', message: 'caps.1.id: "marketing-per-day" is already the id of the shop-wide cap caps.0 in rules/policy.yaml: give this journey\'s cap another id (the send log and the designer name a cap by its id)' });
    const shown = flowFieldProblems('zh', [clash], flow);
    expect(Object.keys(shown)).toEqual(['caps.1.id']);
    expect(shown['caps.1.id']).toEqual([expect.stringContaining('上限 ID「marketing-per-day」已被全店触达规则的第 1 条上限使用')]);
  });

  it('leaves steps\' problems, the whole journey\'s and the designer\'s own to the Problems panel', () => {
    const shown = flowFieldProblems('zh', [
      problem({ nodeId: 'start', path: 'nodes.0.trigger', message: 'x' }),
      problem({ path: 'nodes', message: 'a flow needs exactly one entry node; there is none' }),
      problem({ path: '', message: 'whole flow' }),
      problem({ path: 'nodes', message: 'local.noEntry' }),
    ], flow);
    expect(shown).toEqual({});
  });
});

describe('所属活动: the campaigns offered', () => {
  it('offers the campaigns the other journeys belong to, each once and sorted, not the journey\'s own tag alone nor blanks', () => {
    const flows = [
      { id: 'd11', campaign: 'only-mine' },
      { id: 'a', campaign: 'double11-2027' },
      { id: 'b', campaign: 'double11-2027' },
      { id: 'c', campaign: ' 618-2027 ' },
      { id: 'd', campaign: null },
      { id: 'e', campaign: '' },
      { id: 'f' },
    ];
    expect(campaignChoices(flows, 'd11')).toEqual(['618-2027', 'double11-2027']);
  });
});
