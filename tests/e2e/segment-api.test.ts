import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { insertFacts, prng, randomStoredFacts } from '../../bench/segment/facts-generator.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const AT = Date.parse('2026-11-20T00:00:00+08:00');
const RULES = tempDir('rekindle-rules-');
cpSync(join(process.cwd(), 'rules'), RULES, { recursive: true });

describe.each(DIALECTS)('segments API on %s', (dialect) => {
  let db: TestDatabase;
  let app: INestApplication;
  let api: TestApp;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const r = prng(3);
    await insertFacts(db.dataSource, Array.from({ length: 250 }, (_, i) => randomStoredFacts(r, i + 1, AT)));
    api = await createTestApp({ database: db.target, rulesDir: RULES, clock: fixedClock(AT), schedulers: false });
    app = api.app;
  });
  afterAll(async () => {
    await api?.close();
    await db?.close();
  });
  const http = () => api.http();

  it('serves the fact catalogue and the operators for the rule builder', async () => {
    const res = await http().get('/api/facts').expect(200);
    expect(res.body.facts).toContainEqual(expect.objectContaining({ name: 'lifecycleStage', type: 'enum', values: ['prospect', 'active', 'silent', 'sleeping', 'lost'], example: 'sleeping' }));
    expect(res.body.operators).toContainEqual(expect.objectContaining({ name: 'withinLastDays', factTypes: ['date'], sql: true }));
  });

  it('lists the rules and counts one, the same with either evaluator', async () => {
    const list = await http().get('/api/segments').expect(200);
    expect(list.body.rules).toContainEqual(expect.objectContaining({ name: 'mobile-sleepers-sms', references: ['sleeping-high-value', 'mobile-customers'], sql: true }));
    const sql = await http().get('/api/segments/mobile-customers/count?ids=true&evaluator=sql').expect(200);
    const eng = await http().get('/api/segments/mobile-customers/count?ids=true&evaluator=engine').expect(200);
    expect(sql.body.count).toBeGreaterThan(10);
    expect(sql.body.ids).toEqual(eng.body.ids);
    expect(sql.body.sample).toHaveLength(10);
    // In the shop's time zone with its offset, as the reports say it.
    expect(sql.body.at).toBe('2026-11-20T00:00:00+08:00');
    const earlier = await http().get('/api/segments/pre-sleep/count?at=2026-10-01').expect(200);
    // A date alone is the shop's midnight (Asia/Shanghai), not UTC's.
    expect(earlier.body.at).toBe('2026-10-01T00:00:00+08:00');
    await http().get('/api/segments/nope/count').expect(404);
    await http().get('/api/segments/mobile-customers/count?at=yesterday').expect(400);
  });

  it('previews an inline rule (live count) and names the place of a mistake', async () => {
    const res = await http()
      .post('/api/segments/preview')
      .send({ conditions: { all: [{ condition: 'mobile-customers' }, { fact: 'consentSms', operator: 'equal', value: true }] }, sample: 3 })
      .expect(200);
    expect(res.body).toMatchObject({ count: expect.any(Number), evaluator: 'sql' });
    expect(res.body.sample.length).toBeLessThanOrEqual(3);
    const bad = await http().post('/api/segments/preview').send({ conditions: { any: [{ fact: 'aov', operator: 'between', value: [300, 100] }] } }).expect(400);
    expect(bad.body.message).toContain('conditions.any[0].value');
    expect(bad.body.problems[0]).toMatchObject({ path: 'conditions.any[0].value' });
  });
});
