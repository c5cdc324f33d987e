import { describe, expect, it } from '@jest/globals';
import { campaignChoices } from '../../designer/src/model/campaign-choices.js';
import { edgeFieldOf, flowFieldProblems, nodeFieldProblems, problemsAt } from '../../designer/src/model/field-problems.js';
import type { DraftFlow, Problem } from '../../designer/src/model/types.js';

const flow: DraftFlow = { id: 'd11', name: '双11', caps: [{ id: 'own', max: 1, window: '1d' }, { id: 'marketing-per-day', max: 2, window: '1d' }], nodes: [{ id: 'start', type: 'entry' }] } as unknown as DraftFlow;
const problem = (p: Partial<Problem>): Problem => ({ line: 3, nodeId: null, path: '', message: '', severity: 'error', ...p });

describe('旅程设置: the journey\'s own problems beside their fields', () => {
  it('files a journey cap whose id a shop-wide cap has under that cap\'s id field, in Chinese', () => {
    const clash = problem({ path: 'caps.1.id', message: 'caps.1.id: "marketing-per-day" is already the id of the shop-wide cap caps.0 in rules/policy.yaml: give this journey\'s cap another id (the send log and the designer name a cap by its id)' });
    const shown = flowFieldProblems('zh', [clash], flow);
    expect(Object.keys(shown)).toEqual(['caps.1.id']);
    expect(shown['caps.1.id']).toEqual([{ words: expect.stringContaining('上限 ID「marketing-per-day」已被全店触达规则的第 1 条上限使用'), severity: 'error' }]);
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

describe('a step\'s form: the step\'s problems beside their fields', () => {
  const steps: DraftFlow = {
    id: 'f',
    name: 'f',
    nodes: [
      { id: 'start', type: 'entry' },
      { id: 'wait-1', type: 'wait', duration: '2x' },
      { id: 'send-1', type: 'send', channel: 'sms' },
      { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 60 }, { id: 'b', weight: 55 }] },
    ],
  } as unknown as DraftFlow;

  it('files the server\'s problems of one step by the field within the step (not its index in the file), in Chinese, errors and warnings apart', () => {
    const all = [
      problem({ nodeId: 'wait-1', path: 'nodes.1.duration', message: 'duration: a duration such as 30m, 2h, 3d or 1d12h' }),
      problem({ nodeId: 'send-1', path: 'nodes.2.template', message: 'missing required "template"' }),
      problem({ nodeId: 'send-1', path: 'nodes.2.link', message: 'the tracked link would go out as a relative path (/r/…) that customers cannot open: set publicBaseUrl in rules/channels.yaml (e.g. https://crm.shop.example.com)', severity: 'warning' }),
      // The check ran before a step above was removed: the index is stale, the id is not.
      problem({ nodeId: 'send-1', path: 'nodes.5.next', message: 'edge "next" points to missing node "gone"' }),
    ];
    expect(Object.keys(nodeFieldProblems('zh', all, steps, 'wait-1'))).toEqual(['duration']);
    const send = nodeFieldProblems('zh', all, steps, 'send-1');
    expect(Object.keys(send).sort()).toEqual(['link', 'next', 'template']);
    expect(send.template).toEqual([{ words: expect.stringContaining('消息内容'), severity: 'error' }]);
    expect(send.link[0].severity).toBe('warning');
    expect(send.template[0].words).not.toMatch(/required/);
  });

  it('files the designer\'s own checks by their field (a zero wait, arm shares that do not add up), and leaves a problem of the step as a whole to the panel', () => {
    const all = [
      problem({ nodeId: 'wait-1', path: 'duration', message: 'local.zeroWait' }),
      problem({ nodeId: 'ab', path: 'arms:115', message: 'local.weights' }),
      problem({ nodeId: 'ab', path: 'nodes.3', message: 'node is not reachable from the entry' }),
    ];
    expect(nodeFieldProblems('zh', all, steps, 'wait-1')).toEqual({ duration: [{ words: expect.stringContaining('0'), severity: 'error' }] });
    const ab = nodeFieldProblems('zh', all, steps, 'ab');
    expect(Object.keys(ab)).toEqual(['arms']);
    expect(ab.arms[0].words).toContain('115%');
  });

  it('says a value inside a one-widget field under that field, and leaves sub-fields\' problems to them', () => {
    const byField = { 'trigger.match.orderId': [{ words: 'x', severity: 'error' as const }], 'trigger.event': [{ words: 'y', severity: 'error' as const }] };
    expect(problemsAt(byField, 'trigger.match', true)).toEqual([{ words: 'x', severity: 'error' }]);
    expect(problemsAt(byField, 'trigger', false)).toEqual([]);
    expect(problemsAt(byField, 'trigger.event', true)).toEqual([{ words: 'y', severity: 'error' }]);
  });

  it('finds an output\'s value for its 连接 select: a case\'s and an arm\'s by index', () => {
    expect(edgeFieldOf({}, 'next')).toBe('next');
    expect(edgeFieldOf({}, 'case-2')).toBe('cases.2.next');
    expect(edgeFieldOf({ arms: [{ id: 'a' }, { id: 'b' }] }, 'arm-b')).toBe('arms.1.next');
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
