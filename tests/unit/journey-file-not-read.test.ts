import { describe, expect, it } from '@jest/globals';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { validateFiles } from '../../server/src/cli/commands/validate.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 3 Dec 2026: a journey kept in git as rules/flows/pre-sleep-2.flow.json (the server reads
 * only *.flow.yaml) was checked by `rekindle validate` as a segment rule — five errors such as
 * `nodes: unexpected key "nodes" (a rule file holds name, title, description, conditions)` and
 * `missing "conditions"`, and a broken one got the YAML parser's "Flow sequence in block
 * collection must be sufficiently indented". Now it is one error saying the file is not read
 * and the name it needs.
 */
const shopRules = () => {
  const d = tempDir('rekindle-unread-journey-');
  cpSync(join(process.cwd(), 'rules'), d, { recursive: true });
  return d;
};

describe('a journey file in rules/flows/ not named *.flow.yaml', () => {
  it('is one error naming the file name it needs, not a segment rule check', () => {
    const d = shopRules();
    const json = join(d, 'flows', 'pre-sleep-2.flow.json');
    const flow = parse(readFileSync(join(d, 'flows', 'pre-sleep.flow.yaml'), 'utf8')) as Record<string, unknown>;
    writeFileSync(json, JSON.stringify({ ...flow, id: 'pre-sleep-2' }, null, 2));
    const broken = join(d, 'flows', 'broken.json');
    writeFileSync(broken, '{"id":"x","nodes":[{"id":"a",}\n');
    const results = validateFiles([json, broken], d);
    expect(results.get(json)).toEqual([
      expect.objectContaining({ line: 1, nodeId: null, severity: 'error', message: expect.stringMatching(/^not read: journeys are read only from files named \*\.flow\.yaml .*rename it to pre-sleep-2\.flow\.yaml \(a flow file is YAML, and YAML reads JSON as it is\)$/) }),
    ]);
    expect(results.get(broken)).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining('rename it to broken.flow.yaml') })]);
    expect([...results.values()].flat().some((p) => /rule file|conditions|Flow sequence/.test(p.message))).toBe(false);
  });

  it('leaves the shipped flows and layouts as they were: no such error', () => {
    const d = shopRules();
    const files = ['pre-sleep.flow.yaml', 'payment-reminder.flow.yaml', 'payment-reminder.layout.yaml'].map((f) => join(d, 'flows', f));
    const problems = [...validateFiles(files, d).values()].flat();
    expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
  });
});
