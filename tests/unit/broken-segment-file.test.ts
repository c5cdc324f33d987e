import { describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { ruleCatalogOfSet } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { BrokenRuleError, RuleSet } from '../../server/src/core/rules/rule-set.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * One segment file with a mistake (walked on 2 Dec 2026: `fact: devic` in mobile-customers.yaml)
 * made the whole folder fail to load: every segment count, simulation and publish of the shop
 * failed on that file, and `rekindle validate` said the rules using it were "unknown". Now the
 * file's problem is said once (file, line, field), what does not use it works, and what does
 * names the broken file as the cause.
 */
const shopRules = () => {
  const d = tempDir('rekindle-broken-seg-');
  cpSync(join(process.cwd(), 'rules'), d, { recursive: true });
  const f = join(d, 'segments', 'mobile-customers.yaml');
  writeFileSync(f, readFileSync(f, 'utf8').replace('fact: device', 'fact: devic'));
  return d;
};

describe('a broken segment file', () => {
  it('leaves the other segments usable and names itself, once, as the cause of what uses it', () => {
    const set = RuleSet.loadDir(join(shopRules(), 'segments'), 'rules/segments');
    // Said once, with its line and field.
    expect(set.problems()).toEqual([expect.objectContaining({ source: 'rules/segments/mobile-customers.yaml', line: 7, path: 'conditions.all[0].fact', message: expect.stringContaining('unknown fact "devic"') })]);
    // What does not use it works.
    expect(set.factsRead('sleeping-high-value')).toContain('lifecycleStage');
    expect(set.list().map((r) => r.name)).toContain('d11-audience');
    expect(set.list().map((r) => r.name)).not.toContain('mobile-customers');
    // What uses it (directly or through another rule) names the file.
    expect(() => set.require('mobile-sleepers-sms')).toThrow(BrokenRuleError);
    expect(() => set.expand('mobile-sleepers-sms')).toThrow(/^segment "mobile-sleepers-sms" cannot be used: it uses "mobile-customers", whose file rules\/segments\/mobile-customers\.yaml:7 has a mistake:\nrules\/segments\/mobile-customers\.yaml:7: conditions\.all\[0\]\.fact: unknown fact "devic"/);
    expect(set.unusable().map((u) => [u.name, u.cause])).toEqual([
      ['mobile-customers', 'its file rules/segments/mobile-customers.yaml:7 has a mistake'],
      ['mobile-sleepers-sms', 'it uses "mobile-customers", whose file rules/segments/mobile-customers.yaml:7 has a mistake'],
    ]);
    // A new audience (the designer's 就地新建受众) that does not use it can be checked; one that does is told why not.
    expect(set.inline({ all: [{ condition: 'sleeping-high-value' }] }).name).toBe('$inline');
    expect(() => set.inline({ all: [{ condition: 'mobile-customers' }] })).toThrow(/references rule "mobile-customers", which cannot be used: its file rules\/segments\/mobile-customers\.yaml:7 has a mistake/);
  });

  it('makes a flow that uses it name the file (not "unknown rule"), and leaves other flows valid', () => {
    const d = shopRules();
    const catalog = ruleCatalogOfSet(RuleSet.loadDir(join(d, 'segments'), 'rules/segments'));
    const d11 = validateFlowText(readFileSync(join(d, 'flows', 'double11-campaign.flow.yaml'), 'utf8'), 'rules/flows/double11-campaign.flow.yaml', catalog);
    const errors = d11.problems.filter((p) => p.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ nodeId: 'is-mobile', message: 'segment "mobile-customers" cannot be used: its file rules/segments/mobile-customers.yaml:7 has a mistake' })]);
    const reactivation = validateFlowText(readFileSync(join(d, 'flows', 'sleeping-reactivation.flow.yaml'), 'utf8'), 'rules/flows/sleeping-reactivation.flow.yaml', catalog);
    expect(reactivation.problems.filter((p) => p.severity === 'error')).toEqual([]);
    // The designer says it in Chinese, naming the file.
    expect(serverProblemWords(errors[0])).toBe('人群规则「mobile-customers」现在用不了：它的文件 rules/segments/mobile-customers.yaml:7 有错误。请先修好那个文件（rekindle validate 会指出是哪一项），或换一个人群规则');
  });

  it('is reported once by rekindle validate; the segment using it names it instead of "unknown rule"', () => {
    const d = shopRules();
    const results = validateFiles([join(d, 'segments', 'mobile-customers.yaml'), join(d, 'segments', 'mobile-sleepers-sms.yaml'), join(d, 'segments', 'd11-audience.yaml'), join(d, 'flows', 'double11-campaign.flow.yaml')], d);
    const all = [...results.values()].flat().filter((p) => p.severity === 'error');
    expect(all.filter((p) => p.message.includes('unknown fact "devic"'))).toHaveLength(1);
    expect(all.some((p) => /unknown rule/.test(p.message))).toBe(false);
    expect(results.get(join(d, 'segments', 'mobile-sleepers-sms.yaml'))).toEqual([expect.objectContaining({ line: 9, message: expect.stringContaining(`references rule "mobile-customers", which cannot be used: its file ${join(d, 'segments', 'mobile-customers.yaml')}:7 has a mistake`) })]);
    expect(results.get(join(d, 'segments', 'd11-audience.yaml'))).toEqual([]);
  });

  it('keeps the last working definition in a running server (the engine goes on) while other files are read anew', () => {
    const d = tempDir('rekindle-broken-keep-');
    writeFileSync(join(d, 'a.yaml'), 'name: a\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThan\n      value: 1\n');
    const before = RuleSet.loadDir(d);
    writeFileSync(join(d, 'a.yaml'), 'name: a\nconditions:\n  all:\n    - fact: orderCnt\n      operator: greaterThan\n      value: 1\n');
    writeFileSync(join(d, 'b.yaml'), 'name: b\nconditions:\n  all:\n    - condition: a\n');
    const now = RuleSet.loadDir(d).keepingFrom(before);
    expect(now.factsRead('b')).toEqual(['orderCount']);
  });
});
