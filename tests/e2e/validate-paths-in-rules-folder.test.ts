/**
 * `rekindle validate segments --rules shop-rules` looked for ./segments and said "no such file
 * or folder": a path given with --rules is now found in the rules folder when the working folder
 * has none, and a path found in neither says where it was looked for.
 */
import { describe, expect, it } from '@jest/globals';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

describe('rekindle validate <path> --rules <folder>', () => {
  const rules = join(tempDir('rekindle-validate-paths-'), 'shop-rules');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  it('checks the rules folder\'s own segments and a flow given by its path inside the rules folder', async () => {
    expect(existsSync(join(process.cwd(), 'segments'))).toBe(false); // the working folder has none
    const segments = await cli(['validate', 'segments', '--rules', rules]);
    expect(segments.stderr).toBe('');
    expect(segments.code).toBe(0);
    expect(segments.stdout).toMatch(/^\d+ files checked: 0 errors/m);
    const flow = await cli(['validate', 'flows/payment-reminder.flow.yaml', '--rules', rules, '--json']);
    expect(flow.code).toBe(0);
    // The flow, and its layout beside it (checked with it); shown absolute, as the folder is outside the working one.
    expect(JSON.parse(flow.stdout).files.map((f: { file: string }) => f.file)[0]).toBe(join(rules, 'flows/payment-reminder.flow.yaml'));
  });

  it('names where it looked for a path that is in neither', async () => {
    const r = await cli(['validate', 'segmnets', '--rules', rules]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: segmnets: no such file or folder (looked in the working folder and in ${rules})\n`);
  });
});
