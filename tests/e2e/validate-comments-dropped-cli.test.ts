import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walkthrough (developer in git): a hand-written journey kept its reviewer's notes as YAML
 * comments; the first publish from the designer rewrote the file in canonical form and `git diff`
 * showed them gone, with nothing having said so before. docs/flows.md says the canonical writer
 * keeps no comments; `rekindle validate` now says it of the file while the notes can still move
 * into `description`.
 */
describe('rekindle validate warns that comments in a flow file are dropped by the next designer publish', () => {
  const flow = [
    '# yaml-language-server: $schema=../schema/flow.schema.json',
    '# reviewed by the developer: keep this journey small',
    'id: care-note',
    "name: '关怀 #1'",
    'description: |-',
    '  # not a comment: the first line of the description',
    'nodes:',
    '  - id: start',
    '    type: entry',
    '    trigger: { type: event, event: order_paid, key: orderId, maxAge: 1d }',
    '    next: done   # straight to the end',
    '  # the end step',
    '  - id: done',
    '    type: exit',
    '',
  ].join('\n');

  it('once a file, on the first comment line, naming the others; the schema line, a # in a text and the shipped flows are not comments to warn of', async () => {
    const rules = tempDir('rekindle-validate-comments-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const file = join(rules, 'flows', 'care-note.flow.yaml');
    writeFileSync(file, flow);
    const r = await cli(['--rules', rules, 'validate', file]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${file}:2: warning: 3 comment lines (here and on lines 11, 12) will be dropped the next time this flow is published from the designer`);
    expect(r.stdout).toMatch(/1 file checked: 0 errors, 1 warning\n$/);
    const shipped = JSON.parse((await cli(['--rules', rules, '--json', 'validate', join(rules, 'flows')])).stdout) as { files: { file: string; problems: { message: string }[] }[] };
    const warned = shipped.files.filter((f) => f.problems.some((p) => p.message.includes('will be dropped the next time'))).map((f) => f.file);
    expect(warned).toEqual([file]);
  });
});
