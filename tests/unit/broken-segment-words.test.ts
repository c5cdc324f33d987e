import { describe, expect, it } from '@jest/globals';
import { brokenAudiencesOf, brokenSegmentsByName, brokenSegmentWords } from '../../designer/src/model/broken-segments.js';
import { translate } from '../../designer/src/model/i18n.js';

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
});
