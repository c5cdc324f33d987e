process.env.REKINDLE_QUIET = '1';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * "Why did 老王 not get our SMS?" `rekindle explain` said `never entered a flow` and nothing more.
 * It now names every live journey the customer is not in, with what its entry's segment says of
 * them by their facts now: the condition that held them out with their own value, or that they are
 * in it and the next run takes them. A paused journey says so; a retired (stopped) one is not listed.
 */
const DAY = 86_400_000;
const RULES = tempDir('rekindle-rules-explain-why-not-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
mkdirSync(join(RULES, 'flows'), { recursive: true });
writeFileSync(join(RULES, 'shop.yaml'), 'name: 山间茶舍\ntimezone: Asia/Shanghai\n');
writeFileSync(
  join(RULES, 'segments', 'quiet-big-buyers.yaml'),
  'name: quiet-big-buyers\ntitle: 半年没回购的大客户\nconditions:\n  all:\n    - fact: recencyDays\n      operator: greaterThan\n      value: 150\n    - fact: totalSpent\n      operator: greaterThanInclusive\n      value: 500\n',
);
writeFileSync(join(RULES, 'segments', 'no-mobile.yaml'), 'name: no-mobile\nconditions:\n  not:\n    fact: recencyDays\n    operator: lessThan\n    value: 30\n');
const flow = (id: string, segment: string) => `id: ${id}
name: ${id}
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: ${segment}, every: day, at: '10:00' }
    next: sms
  - { id: sms, type: send, channel: sms, category: marketing, template: '【山间茶舍】{{customer.name}}，新茶到了 回T退订', next: done }
  - { id: done, type: exit }
`;
writeFileSync(join(RULES, 'flows', 'tea-sms.flow.yaml'), flow('tea-sms', 'quiet-big-buyers'));
writeFileSync(join(RULES, 'flows', 'welcome-back.flow.yaml'), flow('welcome-back', 'no-mobile'));

describe('rekindle explain, for a live journey the customer is not in', () => {
  const dir = tempDir('rekindle-explain-why-not-');
  const shop = join(dir, 'shop.sqlite');
  const run = (...args: string[]) => cli(['--db', shop, '--rules', RULES, ...args]);
  beforeAll(async () => {
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    writeFileSync(join(dir, 'customers.csv'), 'externalId,name,phone\n老王,王强,13588889999\n小李,李娜,13588880000\n');
    // 老王: 200 days quiet but 398 spent (under 500); 小李: 200 days quiet, 698 spent.
    writeFileSync(join(dir, 'orders.csv'), `externalId,customerExternalId,status,amount,createdAt,paidAt\no1,老王,completed,398,${iso(now - 200 * DAY)},${iso(now - 200 * DAY)}\no2,小李,completed,698,${iso(now - 200 * DAY)},${iso(now - 200 * DAY)}\n`);
    for (const kind of ['customers', 'orders']) expect((await run('import', kind, join(dir, `${kind}.csv`))).code).toBe(0);
    for (const id of ['tea-sms', 'welcome-back']) expect((await run('flows', 'publish', id)).code).toBe(0);
    expect((await run('flows', 'pause', 'welcome-back')).code).toBe(0);
  }, 60_000);

  it('names the condition that held the customer out, with their own value', async () => {
    const r = await run('explain', '老王');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  never entered a flow\n');
    expect(r.stdout).toContain(
      [
        "not in these live journeys (their entry segment, by the customer's facts now):",
        '  tea-sms (v1): in segment 半年没回购的大客户 (quiet-big-buyers) at the daily 10:00 run',
        '    not in the segment now: totalSpent ≥ 500 (theirs: 398)',
        '  welcome-back (v1, paused): in segment no-mobile at the daily 10:00 run',
        '    in the segment now: the next run lets them in, unless the journey\'s limits or re-entry rules hold them out',
      ].join('\n'),
    );
  });

  it('says a customer in the segment is taken by the next run, and gives it all in --json', async () => {
    const r = await run('--json', 'explain', '小李');
    expect(r.code).toBe(0);
    const notEntered = JSON.parse(r.stdout).notEntered;
    expect(notEntered).toEqual([
      { flowId: 'tea-sms', status: 'active', version: 1, entry: 'in segment 半年没回购的大客户 (quiet-big-buyers) at the daily 10:00 run', segment: 'quiet-big-buyers', inSegment: true, unmet: [], audienceAt: null, schedule: { every: 'day', at: '10:00' } },
      expect.objectContaining({ flowId: 'welcome-back', status: 'paused', inSegment: true }),
    ]);
  });

  it('leaves out a stopped journey, and says a segment gone from rules/segments/ was not checked', async () => {
    expect((await run('flows', 'stop', 'welcome-back')).code).toBe(0);
    const gone = tempDir('rekindle-rules-explain-gone-');
    mkdirSync(join(gone, 'segments'));
    mkdirSync(join(gone, 'flows'));
    writeFileSync(join(gone, 'shop.yaml'), 'name: 山间茶舍\ntimezone: Asia/Shanghai\n');
    const r = await cli(['--db', shop, '--rules', gone, 'explain', '老王']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('welcome-back');
    expect(r.stdout).toContain('  tea-sms (v1): in segment quiet-big-buyers at the daily 10:00 run\n    segment quiet-big-buyers is not under rules/segments/ any more: not checked');
  });
});
