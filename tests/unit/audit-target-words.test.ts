import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { auditTargetFilter as targetFilter } from '../../server/src/core/access/audit-filter.js';
import { targetText } from '../../server/src/cli/commands/audit.js';
import { flowNamesNow } from '../../server/src/runtime/flow-names.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `rekindle audit` names a flow as the operator knows it (its id and name), never as the file the
 * designer saved, and --target takes a flow by its id or its file as well as flow:<id>.
 */
describe('audit targets as an operator names them', () => {
  const rules = tempDir('rekindle-audit-targets-');
  mkdirSync(join(rules, 'flows'), { recursive: true });
  writeFileSync(join(rules, 'flows', 'double11-campaign.flow.yaml'), 'id: double11-campaign\nname: 双十一大促\nnodes: []\n');
  writeFileSync(join(rules, 'flows', 'broken.flow.yaml'), 'id: [unclosed\n');

  const entry = (target: string, detail: Record<string, unknown> = {}) => ({ target, detail });

  it("names a flow target by its id and the name recorded with the entry, not the flow's name now", () => {
    const names = flowNamesNow(rules);
    // Published as 双十一预热, renamed 双十一大促 since: the entry says what went live then.
    expect(targetText(entry('flow:double11-campaign', { name: '双十一预热', version: 1 }), names)).toBe('flow double11-campaign (双十一预热)');
    expect(targetText(entry('flow:gone', { name: '已删除的旅程' }), names)).toBe('flow gone (已删除的旅程)');
  });

  it("names an older entry (no name recorded) by the flow's name now, saying so; a flow without a readable file by its id", () => {
    const names = flowNamesNow(rules);
    expect(targetText(entry('flow:double11-campaign'), names)).toBe('flow double11-campaign (双十一大促, its name now)');
    expect(targetText(entry('flow:broken'), names)).toBe('flow broken');
    expect(targetText(entry('flow:gone'), names)).toBe('flow gone');
  });

  it('names a segment saved from the designer by its id, not its file; other targets as stored', () => {
    expect(targetText(entry('rules/segments/audience-20261201-0749.yaml', { name: '高价值' }), new Map())).toBe('segment audience-20261201-0749');
    expect(targetText(entry('user:admin'), new Map())).toBe('user:admin');
    expect(targetText(entry('rules/policy.yaml'), new Map())).toBe('rules/policy.yaml');
  });

  it('filters --target by a flow id, its file or flow:<id> alike, and a segment by segment:<id>', () => {
    const ids = ['double11-campaign'];
    expect(targetFilter('double11-campaign', ids)).toBe('flow:double11-campaign');
    expect(targetFilter('rules/flows/double11-campaign.flow.yaml', ids)).toBe('flow:double11-campaign');
    expect(targetFilter('flow:double11-campaign', ids)).toBe('flow:double11-campaign');
    expect(targetFilter('segment:vip', ids)).toBe('rules/segments/vip.yaml');
    expect(targetFilter('user:admin', ids)).toBe('user:admin');
    expect(targetFilter('not-a-flow', ids)).toBe('not-a-flow');
  });
});
