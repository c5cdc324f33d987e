import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A developer's typo in a name on the command line or in a flow file gets the nearest name there
 * is, after the list of known names ("did you mean"), as a misspelt fact or event already did:
 * a segment rule (`rekindle segment`), a flow (`simulate`, `flows publish`, `report`) and a
 * segment named by a flow node (`validate`).
 */
describe('rekindle names the nearest known name of a misspelt one', () => {
  const rules = join(tempDir('rekindle-name-hints-'), 'rules');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  const db = join(tempDir('rekindle-name-hints-db-'), 'shop.sqlite');
  beforeAll(async () => {
    expect((await cli(['--db', db, '--rules', rules, 'seed', '--customers', '30'])).code).toBe(0);
  });

  it('a segment rule, a flow to simulate or report on', async () => {
    const seg = await cli(['--db', db, '--rules', rules, 'segment', 'sleepng-high-value']);
    expect([seg.code, seg.stderr]).toEqual([1, expect.stringMatching(/unknown rule "sleepng-high-value" \(rules: .*\): did you mean "sleeping-high-value"\?/)]);
    const sim = await cli(['--rules', rules, 'simulate', 'double11-campain', '--db', join(tempDir('rekindle-name-hints-sim-'), 'sim.sqlite'), '--days', '1']);
    expect([sim.code, sim.stderr]).toEqual([1, expect.stringMatching(/no flow file .*double11-campain\.flow\.yaml \(flows: .*\): did you mean "double11-campaign"\?/)]);
    const rep = await cli(['--db', db, '--rules', rules, 'report', 'double11-campain']);
    expect([rep.code, rep.stderr]).toEqual([1, expect.stringMatching(/nor is "double11-campain" a flow \(flows in rules\/flows\/: .*\): did you mean "double11-campaign"\?/)]);
    // Nothing near: the list alone.
    expect((await cli(['--db', db, '--rules', rules, 'segment', 'zzz'])).stderr).not.toContain('did you mean');
  });

  it('a segment named by a flow node, in rekindle validate', async () => {
    const file = join(rules, 'flows', 'pre-sleep.flow.yaml');
    const text = readFileSync(file, 'utf8');
    const name = text.match(/segment: ([a-z0-9-]+)/)![1];
    writeFileSync(file, text.replace(`segment: ${name}`, `segment: ${name.slice(0, -1)}`));
    const r = await cli(['--rules', rules, 'validate', file]);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toMatch(new RegExp(`unknown rule "${name.slice(0, -1)}" .*: did you mean "${name}"\\?`));
  });
});
