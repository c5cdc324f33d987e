import { describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { readFlowFile } from '../../server/src/api/designer/flow-drafts.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { decodeRulesText, NotUtf8Error } from '../../server/src/core/text/rules-file-text.js';
import { PolicyFile } from '../../server/src/persistence/policy-file.js';
import { InvalidFlowError, loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walkthrough: a segment and a flow saved as GBK (a Windows editor in Chinese) passed
 * `rekindle validate` with 0 errors; the segment (`value: 广东`) then selected 0 customers and was
 * listed as "�㶫�ͻ�", and the flow published and sent SMS bodies of "���ã�". Files under rules/
 * are now read as strict UTF-8 (core/text/rules-file-text.ts): one that is not is an error naming
 * the file and its first bad line, says it looks like GBK/GB18030 and how to convert it, and is
 * refused by every loader (a broken segment is set aside, a flow is not published).
 */
const SEGMENT = 'name: gbk-seg\ntitle: 广东客户\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 广东\n';

const shopRules = () => {
  const d = tempDir('rekindle-not-utf8-');
  cpSync(join(process.cwd(), 'rules'), d, { recursive: true });
  return d;
};

/** The shipped payment reminder saved as GBK, and the first line holding Chinese (the first bad byte). */
const gbkFlow = (rules: string) => {
  const file = join(rules, 'flows', 'payment-reminder.flow.yaml');
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, iconv.encode(text, 'gbk'));
  return { file, line: text.split('\n').findIndex((l) => /[^\x00-\x7f]/.test(l)) + 1 };
};

describe('a file under rules/ that is not UTF-8', () => {
  it('is refused with its first bad line and, for GBK, the conversion to run; a UTF-8 BOM is read as nothing', () => {
    expect(() => decodeRulesText(iconv.encode(SEGMENT, 'gbk'), 'rules/segments/gbk-seg.yaml')).toThrow(NotUtf8Error);
    let e: NotUtf8Error | undefined;
    try {
      decodeRulesText(iconv.encode(SEGMENT, 'gbk'), 'rules/segments/gbk-seg.yaml');
    } catch (x) {
      e = x as NotUtf8Error;
    }
    expect(e?.line).toBe(2);
    expect(e?.message).toMatch(/^rules\/segments\/gbk-seg\.yaml:2: not UTF-8 text: it looks like GBK\/GB18030/);
    expect(e?.message).toContain('iconv -f gb18030 -t utf-8 rules/segments/gbk-seg.yaml');
    expect(decodeRulesText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SEGMENT)]), 'x.yaml')).toBe(SEGMENT);
  });

  it('fails rekindle validate, naming the file and line; the same rule in UTF-8 (with a BOM too) passes', async () => {
    const rules = shopRules();
    const file = join(rules, 'segments', 'gbk-seg.yaml');
    writeFileSync(file, iconv.encode(SEGMENT, 'gbk'));
    const r = await cli(['--rules', rules, 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:2: not UTF-8 text: it looks like GBK/GB18030`);
    expect(r.stdout).toContain('1 file checked: 1 error, 0 warnings');
    writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(SEGMENT)]));
    const ok = await cli(['--rules', rules, 'validate', file]);
    expect(ok.stdout).toContain('1 file checked: 0 errors, 0 warnings');
    expect(ok.code).toBe(0);
  });

  it('is a segment set aside as broken (never a rule selecting on garbled values); the others load', () => {
    const rules = shopRules();
    writeFileSync(join(rules, 'segments', 'gbk-seg.yaml'), iconv.encode(SEGMENT, 'gbk'));
    const set = RuleSet.loadDir(join(rules, 'segments'), 'rules/segments');
    expect(set.get('gbk-seg')).toBeUndefined();
    expect(set.unusable().map((u) => [u.name, u.cause])).toEqual([['gbk-seg', 'its file rules/segments/gbk-seg.yaml:2 has a mistake']]);
    expect(set.problems()).toEqual([expect.objectContaining({ source: 'rules/segments/gbk-seg.yaml', line: 2, message: expect.stringContaining('looks like GBK/GB18030') })]);
    expect(set.list().map((r) => r.name)).toContain('mobile-customers');
  });

  it('is a flow that validate fails and publishing and simulating (loadValidFlow) refuse; the designer shows the problem, not garbled steps', async () => {
    const rules = shopRules();
    const { file, line } = gbkFlow(rules);
    const r = await cli(['--rules', rules, 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`${file}:${line}: not UTF-8 text: it looks like GBK/GB18030`);
    const set = RuleSet.loadDir(join(rules, 'segments'));
    expect(() => loadValidFlow(rules, 'payment-reminder', set)).toThrow(InvalidFlowError);
    expect(() => loadValidFlow(rules, 'payment-reminder', set)).toThrow(new RegExp(`payment-reminder\\.flow\\.yaml:${line}: not UTF-8 text`));
    const view = readFlowFile(rules, 'payment-reminder');
    expect(view?.flow).toBeNull();
    expect(view?.problems).toEqual([expect.objectContaining({ line, severity: 'error', message: expect.stringContaining('iconv -f gb18030 -t utf-8 rules/flows/payment-reminder.flow.yaml') })]);
  });

  it('is a policy (its policy and its text) or block list the contact policy refuses to read', () => {
    const rules = shopRules();
    writeFileSync(join(rules, 'lists', 'gbk.txt'), iconv.encode('# 差评顾客\nc000001\n', 'gbk'));
    expect(() => new PolicyFile(rules, 'rules/policy.yaml').list('gbk')).toThrow(/rules\/lists\/gbk\.txt:1: not UTF-8 text/);
    const policy = readFileSync(join(rules, 'policy.yaml'), 'utf8');
    writeFileSync(join(rules, 'policy.yaml'), iconv.encode(`# 联系策略\n${policy}`, 'gbk'));
    expect(() => new PolicyFile(rules, 'rules/policy.yaml').policy()).toThrow(/rules\/policy\.yaml:1: not UTF-8 text/);
    // Its text too: what the designer's policy page shows and saves back (never mojibake).
    expect(() => new PolicyFile(rules, 'rules/policy.yaml').text()).toThrow(/rules\/policy\.yaml:1: not UTF-8 text/);
  });
});
