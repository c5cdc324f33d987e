import { describe, expect, it } from '@jest/globals';
import { normalizeDuration } from '../../designer/src/model/duration.js';
import { problemWords } from '../../designer/src/model/problem-words.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { checkWaitLengths } from '../../server/src/core/flow/wait-length-checks.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';

/** A wait as a marketer types it, and one no marketer means (99999天) said before it is published. */
describe('wait lengths', () => {
  it('reads Chinese numbers and months (30 days): 三天, 一个月, 1个月, 两周, 十二小时, 三百六十五天', () => {
    expect(normalizeDuration('三天')).toBe('3d');
    expect(normalizeDuration('一个月')).toBe('30d');
    expect(normalizeDuration('1个月')).toBe('30d');
    expect(normalizeDuration('两周')).toBe('14d');
    expect(normalizeDuration('十二小时')).toBe('12h');
    expect(normalizeDuration('三个小时')).toBe('3h');
    expect(normalizeDuration('三百六十五天')).toBe('365d');
    expect(normalizeDuration('二十五天')).toBe('25d');
    expect(normalizeDuration('abc')).toBeNull();
  });

  it('warns of a wait or a response window longer than a year, in the Problems panel\'s words', () => {
    const nodes = [
      { id: 'w1', type: 'wait', duration: '99999d', next: 'w2' },
      { id: 'w2', type: 'wait', duration: '365d', next: 'w3' },
      { id: 'w3', type: 'waitForEvent', events: ['order_paid'], within: '400d' },
    ];
    const found = checkWaitLengths(nodes);
    expect(found.map((p) => [p.nodeId, p.path.join('.'), p.severity])).toEqual([
      ['w1', 'nodes.0.duration', 'warning'],
      ['w3', 'nodes.2.within', 'warning'],
    ]);
    const words = problemWords('zh', { line: 0, nodeId: 'w1', path: 'nodes.0.duration', message: found[0].message, severity: 'warning' });
    expect(words).toBe('「等待时长」是 99999 天，超过 365 天：到这一步的每位顾客都要等这么久。请检查数字（是不是想写小时或更少的天数？）');
  });

  it('is one of rekindle validate\'s warnings, with its line', () => {
    const text = 'id: long\nname: long\nnodes:\n  - id: start\n    type: entry\n    trigger: { type: event, event: order_created }\n    next: w\n  - id: w\n    type: wait\n    duration: 99999d\n    next: end\n  - id: end\n    type: exit\n';
    const { problems } = validateFlowText(text, 'long.flow.yaml', ruleCatalogFromNames([]));
    expect(problems.filter((p) => /longer than 365 days/.test(p.message)).map((p) => [p.line, p.nodeId, p.severity])).toEqual([[10, 'w', 'warning']]);
  });
});
