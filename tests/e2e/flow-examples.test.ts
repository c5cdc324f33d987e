import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { run } from '../../server/src/cli/main.js';
import { parseFlowFile, parseLayoutFile, serializeFlow, serializeLayout } from '../../server/src/core/flow/flow-file.js';

const RULES = fileURLToPath(new URL('../../rules', import.meta.url));
const FLOWS = join(RULES, 'flows');

async function rekindle(...args: string[]) {
  let stdout = '';
  let stderr = '';
  jest.spyOn(process.stdout, 'write').mockImplementation((s) => ((stdout += String(s)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((s) => ((stderr += String(s)), true));
  const code = await run(['node', 'rekindle', ...args]);
  jest.restoreAllMocks();
  return { code, stdout, stderr };
}

describe('the worked examples in rules/flows/', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it('has the journeys of the articles (five of issue 1, and the day-80 pre-sleep journey)', () => {
    const flows = readdirSync(FLOWS).filter((f) => f.endsWith('.flow.yaml')).sort();
    expect(flows).toEqual([
      'double11-campaign.flow.yaml',
      'new-product-launch.flow.yaml',
      'payment-reminder.flow.yaml',
      'post-purchase-care.flow.yaml',
      'pre-sleep.flow.yaml',
      'sleeping-reactivation.flow.yaml',
    ]);
  });

  it('`rekindle validate` over the whole rules folder (flows, layouts, segments) finds nothing but the Double 11 campaign\'s past dates and the relative links', async () => {
    // As of after the campaign (Oct–Nov 2027): its dates are past, warned about (date-checks.ts), never an error.
    const r = await rekindle('validate', '--rules', RULES, '--at', '2027-11-30 10:00', '--json');
    const out = JSON.parse(r.stdout);
    // rules/channels.yaml leaves publicBaseUrl for the shop to set: its sends' links are warned about too.
    const relative = (p: { message: string }) => /tracked link would go out as a relative path/.test(p.message);
    const withProblems = out.files.map((f: { file: string; problems: { severity: string; message: string }[] }) => ({ file: f.file, problems: f.problems.filter((p) => !relative(p)) })).filter((f: { problems: unknown[] }) => f.problems.length);
    // (The new product's launch, April 2027, is past by then too.)
    expect(withProblems.map((f: { file: string }) => f.file.replace(/.*rules\//, ''))).toEqual(['flows/double11-campaign.flow.yaml', 'flows/new-product-launch.flow.yaml']);
    for (const f of withProblems) expect(f.problems.every((p: { severity: string; message: string }) => p.severity === 'warning' && / is already past \(now /.test(p.message))).toBe(true);
    expect(out.files.some((f: { problems: { message: string }[] }) => f.problems.some(relative))).toBe(true);
    expect(out.errors).toBe(0);
    expect(r.code).toBe(0);
    expect(out.files.map((f: { file: string }) => f.file)).toEqual(expect.arrayContaining([expect.stringMatching(/payment-reminder\.layout\.yaml$/), expect.stringMatching(/segments\/d11-lost\.yaml$/)]));
  });

  it.each(readdirSync(FLOWS).filter((f) => f.endsWith('.yaml')))('%s is in canonical form (the designer would not rewrite it)', (name) => {
    const text = readFileSync(join(FLOWS, name), 'utf8');
    if (name.endsWith('.flow.yaml')) expect(serializeFlow(parseFlowFile(text, name).flow!)).toBe(text);
    else expect(serializeLayout(parseLayoutFile(text, name).layout!)).toBe(text);
  });
});
