process.env.REKINDLE_QUIET = '1';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `rekindle validate --live`: the journeys running in a database checked against the rules folder
 * about to be deployed. A developer renames a segment in git; the flow file is fixed with it, but the
 * published version still names the old one and would stop letting anyone in (the server only warns
 * in its log). Files alone cannot see it; --live names the journey, its version, the step and the
 * rule, and fails like any other error.
 */
const RULES = tempDir('rekindle-rules-validate-live-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
mkdirSync(join(RULES, 'flows'), { recursive: true });
writeFileSync(join(RULES, 'shop.yaml'), 'name: 山间茶舍\ntimezone: Asia/Shanghai\n');
const segment = (name: string) => `name: ${name}\nconditions:\n  all:\n    - fact: recencyDays\n      operator: greaterThan\n      value: 150\n`;
const flow = (seg: string) => `id: tea-sms
name: 老茶客短信
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: ${seg}, every: day, at: '10:00' }
    next: sms
  - { id: sms, type: send, channel: sms, category: marketing, template: '【山间茶舍】{{customer.name}}，新茶到了 回T退订', next: done }
  - { id: done, type: exit }
`;

describe('rekindle validate --live', () => {
  const dir = tempDir('rekindle-validate-live-');
  const shop = join(dir, 'shop.sqlite');
  beforeAll(async () => {
    writeFileSync(join(RULES, 'segments', 'quiet-buyers.yaml'), segment('quiet-buyers'));
    writeFileSync(join(RULES, 'flows', 'tea-sms.flow.yaml'), flow('quiet-buyers'));
    writeFileSync(join(dir, 'customers.csv'), 'externalId,name\nc1,张敏\n');
    expect((await cli(['--db', shop, '--rules', RULES, 'import', 'customers', join(dir, 'customers.csv')])).code).toBe(0);
    expect((await cli(['--db', shop, '--rules', RULES, 'flows', 'publish', 'tea-sms'])).code).toBe(0);
  }, 60_000);

  it('passes while the live version finds what it names', async () => {
    const r = await cli(['--db', shop, '--rules', RULES, 'validate', '--live']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/files, 1 live journey checked: 0 errors/);
  });

  it('names the live journey, version and step whose segment was renamed in the files, and fails', async () => {
    // The rename as a pull request makes it: the file and the flow file move on; v1 still runs.
    const next = tempDir('rekindle-rules-validate-live-next-');
    cpSync(RULES, next, { recursive: true });
    rmSync(join(next, 'segments', 'quiet-buyers.yaml'));
    writeFileSync(join(next, 'segments', 'quiet-tea-buyers.yaml'), segment('quiet-tea-buyers'));
    writeFileSync(join(next, 'flows', 'tea-sms.flow.yaml'), flow('quiet-tea-buyers'));
    // The files alone are fine.
    expect((await cli(['--rules', next, 'validate'])).code).toBe(0);
    const r = await cli(['--db', shop, '--rules', next, 'validate', '--live']);
    expect(r.code).not.toBe(0);
    expect(r.stdout).toContain('live journey tea-sms v1 node start: unknown rule "quiet-buyers" (no rules/segments/quiet-buyers.yaml; known: quiet-tea-buyers): did you mean "quiet-tea-buyers"?');
    expect(r.stdout).toContain('put back under rules/ what it names, or publish a version that does not name it');
    expect(r.stderr).toContain('validation failed: 1 error');
    const json = await cli(['--json', '--db', shop, '--rules', next, 'validate', '--live']);
    expect(JSON.parse(json.stdout).live).toEqual([{ flowId: 'tea-sms', version: 1, status: 'active', problems: [{ nodeId: 'start', path: 'nodes.0.trigger.segment', message: expect.stringContaining('unknown rule "quiet-buyers"') }] }]);
  });

  it('refuses a database that is not there, naming --db', async () => {
    const r = await cli(['--db', join(dir, 'nope.sqlite'), '--rules', RULES, 'validate', '--live']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--db');
    expect(r.stderr).toContain('nope.sqlite: no database there');
  });
});
