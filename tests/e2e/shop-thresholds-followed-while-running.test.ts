process.env.REKINDLE_QUIET = '1';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 4 Dec 2026: a shop owner ran `rekindle analyse --write-thresholds` (docs/analysis.md)
 * while `npm start` served the designer. The CLI then counted 5 sleepers, the designer's 人群 field
 * and publish dialog 4: the server had read rules/shop.yaml once at start and kept the old
 * thresholds — for the daily entry of the sleeping-customer journey too — until a restart nobody
 * said was needed. The running server now follows the file's thresholds.
 */
const NOW = Date.parse('2026-12-04T12:00:00+08:00');
const DAY = 86_400_000;
const RULES = tempDir('rekindle-rules-live-thresholds-');
mkdirSync(join(RULES, 'segments'), { recursive: true });
writeFileSync(join(RULES, 'segments', 'sleepers.yaml'), 'name: sleepers\nconditions:\n  all:\n    - fact: lifecycleStage\n      operator: equal\n      value: sleeping\n');
const shopYaml = (silentDays: number) => `name: 山间茶舍\ntimezone: Asia/Shanghai\nlifecycle:\n  activeDays: 27\n  silentDays: ${silentDays}  # <= ${silentDays}: silent\n  sleepingDays: 426\n`;
writeFileSync(join(RULES, 'shop.yaml'), shopYaml(138));

const DATA = tempDir('rekindle-data-live-thresholds-');
const iso = (ms: number) => new Date(ms).toISOString();
writeFileSync(join(DATA, 'customers.csv'), 'externalId,name\nt100,一百天没买\nt200,两百天没买\n');
writeFileSync(
  join(DATA, 'orders.csv'),
  'externalId,customerExternalId,status,amount,createdAt,paidAt\n' +
    `o1,t100,completed,100,${iso(NOW - 100 * DAY)},${iso(NOW - 100 * DAY)}\n` +
    `o2,t200,completed,100,${iso(NOW - 200 * DAY)},${iso(NOW - 200 * DAY)}\n`,
);

describe('the running server and a changed rules/shop.yaml', () => {
  let app: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    for (const kind of ['customers', 'orders']) expect((await cli(['--db', t.target.url, '--rules', RULES, 'import', kind, join(DATA, `${kind}.csv`)])).code).toBe(0);
    app = await createTestApp({ database: t.target, rulesDir: RULES, clock: fixedClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await app?.close();
    await drop?.();
  });

  const sleepers = async () => (await app.http('analyst').get('/api/segments/sleepers/count?sample=0')).body.count;
  const stage = async (id: string) => (await app.http('analyst').get(`/api/customers/${id}`)).body.facts.lifecycleStage;

  it('counts sleepers and says a customer\'s stage by the thresholds in the file now, without a restart', async () => {
    expect(await sleepers()).toBe(1);
    expect(await stage('t100')).toBe('silent');
    // What `rekindle analyse --write-thresholds` does: silent up to 90 days, so 100 days is asleep.
    writeFileSync(join(RULES, 'shop.yaml'), shopYaml(90));
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await sleepers()).toBe(2);
    expect(await stage('t100')).toBe('sleeping');
  });

  it('keeps the last good thresholds while the file does not check, and takes the next good ones', async () => {
    writeFileSync(join(RULES, 'shop.yaml'), shopYaml(90).replace('silentDays: 90', 'silentDays: 500'));
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await sleepers()).toBe(2); // silent 500 > sleeping 426: refused, the 90 stays
    writeFileSync(join(RULES, 'shop.yaml'), shopYaml(138));
    await new Promise((r) => setTimeout(r, 1_100));
    expect(await sleepers()).toBe(1);
  });
});
