import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import type { StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { insertFacts } from '../../bench/segment/facts-generator.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

const AT = '2026-11-20T00:00:00+08:00';
const at = Date.parse(AT);


const base: Omit<StoredFacts, 'customerId'> = {
  orderCount: 0, totalSpent: 0, firstOrderAt: null, lastOrderAt: null, unpaidOrderCount: 0, lastUnpaidAt: null,
  categories: [], categorySeasons: [], double11Years: [], province: null, city: null, device: null, tags: [],
  consentSms: null, consentEmail: null, consentWechat: null, consentWangwang: null, consentPush: null,
};
const sleeper = (id: number, orders: number, spent: number): StoredFacts => ({ ...base, customerId: id, orderCount: orders, totalSpent: spent, lastOrderAt: at - 200 * MS_PER_DAY, firstOrderAt: at - 600 * MS_PER_DAY });

// The repository's example rules, in a folder of the test's own.
const RULES = tempDir('rekindle-rules-');
cpSync(join(process.cwd(), 'rules'), RULES, { recursive: true });

describe.each(DIALECTS)('rekindle segment on %s', (dialect) => {
  let db: string;
  let drop: () => Promise<void>;
  const r = (...args: string[]) => cli(['--db', db, '--rules', RULES, ...args]);

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    db = t.target.url;
    drop = t.drop;
    const ds = await openDatabase(t.target);
    // 3 high-value sleepers, 1 low-value sleeper, 1 active, 1 prospect.
    await insertFacts(ds, [sleeper(1, 3, 900), sleeper(2, 4, 800), sleeper(3, 5, 1500), sleeper(4, 1, 50), { ...base, customerId: 5, orderCount: 2, totalSpent: 100, lastOrderAt: at - MS_PER_DAY }, { ...base, customerId: 6 }]);
    await ds.destroy();
  });
  afterAll(async () => drop?.());

  it('counts a named rule at an instant, with a sample, in JSON', async () => {
    const { code, stdout } = await r('--json', 'segment', 'sleeping-high-value', '--at', AT);
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out).toMatchObject({ rule: 'sleeping-high-value', count: 3, evaluator: 'sql' });
    expect(out.sample.map((s: { id: number }) => s.id)).toEqual([1, 2, 3]);
    expect(out.sample[0].facts).toMatchObject({ lifecycleStage: 'sleeping', aov: 300, orderCount: 3 });
    expect(out.ids).toBeUndefined();
  });

  it('gives the same ids with either evaluator, --list prints them all, a rule referencing another works', async () => {
    const sql = JSON.parse((await r('--json', 'segment', 'sleeping-low-value', '--at', AT, '--list', '--evaluator', 'sql')).stdout);
    const eng = JSON.parse((await r('--json', 'segment', 'sleeping-low-value', '--at', AT, '--list', '--evaluator', 'engine')).stdout);
    expect(sql.ids).toEqual([4]);
    expect(eng.ids).toEqual([4]);
    // 400 days later nobody is asleep any more: --at moves the derived facts.
    const later = JSON.parse((await r('--json', 'segment', 'sleeping-high-value', '--at', '2027-12-25T00:00:00Z')).stdout);
    expect(later.count).toBe(0);
  });

  it('prints a human summary and lists rules without an argument', async () => {
    const { code, stdout } = await r('segment', 'sleeping-high-value', '--at', AT, '--sample', '2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^sleeping-high-value: 3 customers at 2026-11-20T00:00:00\+08:00 \(sql/);
    expect(stdout).toContain('#1 - ');
    expect(stdout).not.toContain('#3 ');
    const list = await r('segment');
    expect(list.stdout).toContain('sleeping-high-value');
    expect(list.stdout).toMatch(/first-order-anniversary \(engine only\)/);
    // Each rule with its title, so the list reads in the marketer's words too.
    expect(list.stdout).toMatch(/^sleeping-high-value {2}高价值沉睡客户 {2}已经沉睡/m);
  });

  it('refuses --evaluator sql for a rule without SQL form, naming the operator', async () => {
    const { code, stderr } = await r('segment', 'first-order-anniversary', '--evaluator', 'sql');
    expect(code).toBe(1);
    expect(stderr).toContain('operator anniversaryWithinDays has no SQL form');
  });

  it('evaluates a rule file given by path and reports its errors with line and path', async () => {
    const dir = tempDir('rekindle-rule-');
    writeFileSync(join(dir, 'big.yaml'), 'name: big\nconditions:\n  all:\n    - condition: sleeping-high-value\n    - fact: totalSpent\n      operator: greaterThan\n      value: 1000\n');
    const ok = JSON.parse((await r('--json', 'segment', join(dir, 'big.yaml'), '--at', AT, '--list')).stdout);
    expect(ok.ids).toEqual([3]);
    writeFileSync(join(dir, 'bad.yaml'), 'name: bad\nconditions:\n  all:\n    - fact: totalSpend\n      operator: greaterThan\n      value: 1000\n');
    const bad = await r('segment', join(dir, 'bad.yaml'));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`bad.yaml:4: conditions.all[0].fact: unknown fact "totalSpend"`);
    const unknown = await r('segment', 'no-such-rule');
    expect(unknown.stderr).toContain('unknown rule "no-such-rule"');
  });
});
