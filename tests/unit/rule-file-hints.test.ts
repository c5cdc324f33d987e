import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { parseCouponText } from '../../server/src/core/coupons/coupon-text.js';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { parsePolicyText } from '../../server/src/core/policy/policy-text.js';
import { parseRuleFile, RuleFileError } from '../../server/src/core/rules/rule-file.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * What a developer reads when a segment file is wrong: a misspelt fact or operator gets the nearest
 * known name ("did you mean"), `rekindle validate` names file:line: field, and a problem of the
 * file as a whole reads `file:1: missing "conditions"` (it printed `(top):` as the place).
 */
const messageOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('segment file problems as a developer reads them', () => {
  it('suggests the nearest known fact and operator, after the known list the designer reads', () => {
    const text = 'name: x\nconditions:\n  all:\n    - fact: orderCont\n      operator: greaterThen\n      value: 1\n    - fact: lifecyclestage\n      operator: equal\n      value: sleeping\n';
    const e = (() => {
      try {
        parseRuleFile(text, 'rules/segments/x.yaml');
      } catch (err) {
        return err as RuleFileError;
      }
      throw new Error('expected a RuleFileError');
    })();
    expect(e.message).toMatch(/^rules\/segments\/x\.yaml:4: conditions\.all\[0\]\.fact: unknown fact "orderCont" \(known: .*\): did you mean "orderCount"\?$/m);
    expect(e.message).toMatch(/^rules\/segments\/x\.yaml:7: conditions\.all\[1\]\.fact: unknown fact "lifecyclestage" \(known: .*\): did you mean "lifecycleStage"\?$/m);
    // Nothing close: no guess.
    expect(messageOf(() => parseRuleFile('name: x\nconditions:\n  all:\n    - fact: banana\n      operator: equal\n      value: 1\n', 'x.yaml'))).not.toContain('did you mean');
    expect(messageOf(() => parseRuleFile('name: x\nconditions:\n  all:\n    - fact: aov\n      operator: greaterThen\n      value: 1\n', 'x.yaml'))).toMatch(/unknown operator "greaterThen" \(known: .*\): did you mean "greaterThan"\?$/);
  });

  it('says a problem of the whole file without "(top)" as its place', () => {
    expect(messageOf(() => parseRuleFile('name: x\ntitle: X\n', 'rules/segments/x.yaml'))).toBe('rules/segments/x.yaml:1: missing "conditions"');
    expect(messageOf(() => parseRuleFile('- a\n- b\n', 'rules/segments/x.yaml'))).toBe('rules/segments/x.yaml:1: a rule file holds {name, title?, description?, conditions}');
    expect(messageOf(() => parsePolicyText('- a\n', 'rules/policy.yaml'))).not.toContain('(top)');
    expect(messageOf(() => parseCouponText('- a\n', 'rules/coupons.yaml'))).not.toContain('(top)');
    expect(messageOf(() => parseChannelsConfig(['a'], 'rules/channels.yaml'))).not.toContain('(top)');
  });

  it('rekindle validate prints file:line: field: problem for a segment file, with the guess', () => {
    const rules = tempDir('rekindle-hints-');
    mkdirSync(join(rules, 'segments'));
    const file = join(rules, 'segments', 'typo.yaml');
    writeFileSync(file, 'name: typo\nconditions:\n  all:\n    - fact: totalSpend\n      operator: greaterThan\n      value: 100\n');
    const lines = [...validateFiles([file], rules).values()].flat().map((p) => formatProblem('rules/segments/typo.yaml', p));
    expect(lines).toEqual([expect.stringMatching(/^rules\/segments\/typo\.yaml:4: conditions\.all\[0\]\.fact: unknown fact "totalSpend" \(known: .*\): did you mean "totalSpent"\?$/)]);
  });
});
