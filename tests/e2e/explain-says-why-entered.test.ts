process.env.REKINDLE_QUIET = '1';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 4 Dec 2026: a customer asked the tea shop why she got its SMS. `rekindle explain` said
 * `start  entered`, then the split and the sends: nothing of the rule she had met. The entry step
 * now says why — the segment (by its title) and the run that drew it, or the event.
 */
const DAY = 86_400_000;
const RULES = tempDir('rekindle-rules-explain-why-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
mkdirSync(join(RULES, 'flows'), { recursive: true });
writeFileSync(join(RULES, 'shop.yaml'), 'name: 山间茶舍\ntimezone: Asia/Shanghai\n');
writeFileSync(join(RULES, 'segments', 'quiet-buyers.yaml'), 'name: quiet-buyers\ntitle: 半年没回购的老茶客\nconditions:\n  all:\n    - fact: recencyDays\n      operator: greaterThan\n      value: 150\n');
writeFileSync(
  join(RULES, 'flows', 'tea-sms.flow.yaml'),
  `id: tea-sms
name: 老茶客短信
nodes:
  - id: start
    type: entry
    trigger: { type: schedule, segment: quiet-buyers, every: day, at: '10:00' }
    next: sms
  - { id: sms, type: send, channel: sms, category: marketing, template: '【山间茶舍】{{customer.name}}，新茶到了 回T退订', next: done }
  - { id: done, type: exit }
`,
);

describe('rekindle explain', () => {
  it('says on the entry step which segment let the customer in, by its title, and at which run', async () => {
    const dir = tempDir('rekindle-explain-why-');
    const shop = join(dir, 'shop.sqlite');
    const iso = (ms: number) => new Date(ms).toISOString();
    const now = Date.now();
    writeFileSync(join(dir, 'customers.csv'), 'externalId,name,phone,consent_sms\n宝妈张,张敏,13588889999,是\n');
    writeFileSync(join(dir, 'orders.csv'), `externalId,customerExternalId,status,amount,createdAt,paidAt\no1,宝妈张,completed,398,${iso(now - 200 * DAY)},${iso(now - 200 * DAY)}\n`);
    for (const kind of ['customers', 'orders']) expect((await cli(['--db', shop, '--rules', RULES, 'import', kind, join(dir, `${kind}.csv`)])).code).toBe(0);
    const sim = join(dir, 'sim.sqlite');
    const from = new Date(now + DAY).toISOString().slice(0, 10);
    expect((await cli(['--db', sim, '--rules', RULES, 'simulate', 'tea-sms', '--copy-of', shop, '--from', from, '--days', '2', '--baseline-rate', '0'])).code).toBe(0); // no organic order in the copy's days: she stays 150+ days quiet whatever the hour the test runs
    const r = await cli(['--db', sim, '--rules', RULES, 'explain', '宝妈张']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/start +entered — in segment 半年没回购的老茶客 \(quiet-buyers\) at the daily 10:00 run\n/);
    // Which channels she may be sent marketing on, as they are today (named as now: none are kept per moment).
    expect(r.stdout.split('\n')[1]).toBe('  marketing consent now: sms yes, email not given, wechat not given, wangwang not given, push not given');
  }, 60_000);
});
