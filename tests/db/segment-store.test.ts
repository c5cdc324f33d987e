import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { checkConditions } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { compileRule } from '../../server/src/core/rules/sql-compiler.js';
import { runSegment } from '../../server/src/core/segment/segmenter.js';
import { SqlSegmentStore } from '../../server/src/persistence/segment-store.js';
import { insertFacts, prng, randomStoredFacts } from '../../bench/segment/facts-generator.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const AT = Date.parse('2026-11-20T09:30:00+08:00');
const SHOP = defaultShopConfig;

function ruleSet(conditions: unknown) {
  const { conditions: c, references } = checkConditions(conditions, 'test');
  return RuleSet.fromDefinitions([{ name: 'r', conditions: c, references, source: 'test' }]);
}

describe.each(DIALECTS)('segment store on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const r = prng(7);
    await insertFacts(db.dataSource, Array.from({ length: 400 }, (_, i) => randomStoredFacts(r, i + 1, AT)));
    await db.dataSource.query(`INSERT INTO customers (external_id, name, tags, consent, attributes, created_at, updated_at) VALUES ('C-0001', '王小明', '', '{}', '{}', 0, 0)`);
  });
  afterAll(async () => db?.close());

  it('lets other work run between chunks of a long scan (the event loop is not held)', async () => {
    const rules = ruleSet({ all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 0 }] });
    const store = new SqlSegmentStore(db.dataSource, 10); // 40 chunks
    const sql = compileRule(rules, 'r', { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, dialect: store.dialect });
    let ticks = 0;
    let scanning = true;
    const tick = () => {
      if (!scanning) return;
      ticks++;
      setImmediate(tick);
    };
    setImmediate(tick);
    const result = await store.runSql(sql, Infinity);
    scanning = false;
    expect(result.count).toBe(400);
    expect(ticks).toBeGreaterThanOrEqual(20);
  });

  it('falls back to json-rules-engine for an operator without SQL form and shows the sample with names', async () => {
    const rules = ruleSet({ any: [{ fact: 'firstOrderAt', operator: 'anniversaryWithinDays', value: 60 }, { fact: 'orderCount', operator: 'equal', value: 0 }] });
    const store = new SqlSegmentStore(db.dataSource);
    const result = await runSegment(store, rules, 'r', { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, sample: 3 });
    expect(result.evaluator).toBe('engine');
    expect(result.count).toBeGreaterThan(0);
    expect(result.sample).toHaveLength(3);
    expect(result.sample[0]).toMatchObject({ id: expect.any(Number), facts: expect.objectContaining({ firstOrderAt: null, orderCount: 0 }) }); // the rule's facts are shown
    await expect(runSegment(store, rules, 'r', { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, evaluator: 'sql' })).rejects.toThrow(/operator anniversaryWithinDays has no SQL form/);
    const all = await runSegment(store, ruleSet({ all: [] }), 'r', { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, sample: 1 });
    expect(all).toMatchObject({ evaluator: 'sql', count: 400, sample: [{ id: 1, externalId: 'C-0001', name: '王小明' }] });
  });
});
