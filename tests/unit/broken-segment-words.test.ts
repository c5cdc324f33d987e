import { describe, expect, it } from '@jest/globals';
import { brokenAudiencesOf, brokenSegmentsByName, brokenSegmentWords } from '../../designer/src/model/broken-segments.js';
import { nodeFieldProblems, withoutBrokenAudienceRepeat } from '../../designer/src/model/field-problems.js';
import { translate } from '../../designer/src/model/i18n.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** GET /api/segments `broken` (rule-set.ts unusable()) in the designer's words: the file's line and field, and the file at fault when it is another one. */
describe('a broken audience in words', () => {
  const t = (k: string) => translate('zh', k);
  const problems = [{ source: 'rules/segments/mobile-customers.yaml', line: 7, path: 'conditions.all[0].fact', message: 'unknown fact "devic"' }];
  const own = { name: 'mobile-customers', file: 'rules/segments/mobile-customers.yaml', cause: 'its file rules/segments/mobile-customers.yaml:7 has a mistake', problems };
  const via = { name: 'mobile-sleepers-sms', file: 'rules/segments/mobile-sleepers-sms.yaml', cause: 'it uses "mobile-customers", whose file rules/segments/mobile-customers.yaml:7 has a mistake', problems };

  it('names the line and field of its own file, or the audience it uses whose file is broken', () => {
    expect(brokenSegmentWords(t, own)).toBe('「mobile-customers」的文件有错（第 7 行 conditions.all[0].fact），暂时不能用，请让开发同事修好');
    expect(brokenSegmentWords(t, via)).toBe('「mobile-sleepers-sms」用到的「mobile-customers」的文件有错（第 7 行 conditions.all[0].fact），暂时不能用，请让开发同事修好');
  });

  it('finds the broken audiences of an entry (trigger.segment), a condition (rule) and a switch (cases[].rule), each once, nothing else', () => {
    const broken = brokenSegmentsByName([own, via]);
    const names = (n: Parameters<typeof brokenAudiencesOf>[0]) => brokenAudiencesOf(n, broken).map((b) => b.name);
    expect(names({ trigger: { type: 'schedule', segment: 'mobile-sleepers-sms' } })).toEqual(['mobile-sleepers-sms']);
    expect(names({ rule: 'mobile-customers' })).toEqual(['mobile-customers']);
    expect(names({ cases: [{ rule: 'sleeping-high-value' }, { rule: 'mobile-customers' }, { rule: 'mobile-customers' }] })).toEqual(['mobile-customers']);
    expect(names({ rule: 'sleeping-high-value' })).toEqual([]);
    expect(names({})).toEqual([]);
  });

  it('says the line alone of a file that does not parse (it said "第 12 行 ?")', () => {
    const unparsed = { name: 'pre-sleep', file: 'rules/segments/pre-sleep.yaml', cause: 'its file rules/segments/pre-sleep.yaml:12 has a mistake', problems: [{ source: 'rules/segments/pre-sleep.yaml', line: 12, path: '', message: 'YAML syntax error' }] };
    expect(brokenSegmentWords(t, unparsed)).toBe('「pre-sleep」的文件第 12 行写法有误，暂时不能用，请让开发同事修好');
    expect(brokenSegmentWords(t, { ...unparsed, name: 'uses-it', cause: 'it uses "pre-sleep", whose file rules/segments/pre-sleep.yaml:12 has a mistake' })).toBe('「uses-it」用到的「pre-sleep」的文件第 12 行写法有误，暂时不能用，请让开发同事修好');
  });

  it('is said once beside the audience field: the server\'s "segment … cannot be used" is left to the picker\'s note, other problems stay', () => {
    const flow: DraftFlow = { id: 'f', name: 'f', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'mobile-customers', every: 'day', at: '10:00' }, next: 'done' }, { id: 'done', type: 'exit' }] };
    const server = { line: 6, nodeId: 'start', path: 'nodes.0.trigger.segment', message: `segment "mobile-customers" cannot be used: ${own.cause}`, severity: 'error' as const };
    const other = { ...server, message: 'unknown rule "nope"' };
    const field = nodeFieldProblems('zh', [server, other], flow, 'start')['trigger.segment'];
    expect(field).toHaveLength(2);
    const broken = brokenSegmentsByName([own]);
    expect(withoutBrokenAudienceRepeat(field, 'mobile-customers', broken).map((p) => p.brokenSegment ?? p.words)).toEqual([expect.stringContaining('nope')]);
    // Another audience chosen, or none broken: nothing is left out.
    expect(withoutBrokenAudienceRepeat(field, 'sleeping', broken)).toHaveLength(2);
    expect(withoutBrokenAudienceRepeat(field, 'mobile-customers', brokenSegmentsByName([]))).toHaveLength(2);
  });
});
