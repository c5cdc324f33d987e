import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { factDefinition, FACTS } from '../../server/src/core/facts/catalogue.js';
import { deriveFacts, type Facts } from '../../server/src/core/facts/derive.js';
import type { StoredFacts } from '../../server/src/core/facts/stored-facts.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { EngineEvaluator } from '../../server/src/core/rules/engine-evaluator.js';
import { OPERATORS } from '../../server/src/core/rules/operators.js';
import { checkConditions, type RuleDefinition } from '../../server/src/core/rules/rule-file.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { compileRule } from '../../server/src/core/rules/sql-compiler.js';
import { runSegment } from '../../server/src/core/segment/segmenter.js';
import { SqlSegmentStore } from '../../server/src/persistence/segment-store.js';
import { CATEGORIES, D11_YEARS, insertFacts, PROVINCES, prng, randomStoredFacts, TAGS } from '../../bench/segment/facts-generator.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * The compiled SQL must mean what json-rules-engine means, including for missing values
 * (null province, never bought → null recencyDays/aov, empty lists, null consent). Hundreds of
 * random rules (every operator with a SQL form, nested all/any/not, references to other rules)
 * are run both ways over a few hundred generated customers; the id sets must be identical.
 */
const AT = Date.parse('2026-11-20T09:30:00+08:00');
const SHOP = defaultShopConfig;
const CUSTOMERS = 300;
const RULES = 400;

const r = prng(20261120);
const stored: StoredFacts[] = [];
for (let i = 0; i < CUSTOMERS; i++) stored.push(randomStoredFacts(r, 1 + i * 3 + r.int(0, 2), AT));
const derived: Facts[] = stored.map((s) => deriveFacts(s, { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle }));

const SQL_OPERATORS = OPERATORS.filter((o) => o.sql);

/** A value for a fact: often one a customer really has (so equality hits), sometimes not. */
function randomScalar(fact: string): unknown {
  const def = factDefinition(fact)!;
  const seen = derived.map((d) => d[fact]).filter((v) => v !== null && v !== undefined);
  if (seen.length && r.chance(0.7)) {
    const v = r.pick(seen);
    return def.type === 'date' && r.chance(0.3) ? new Date(v as number).toISOString() : v;
  }
  switch (def.type) {
    case 'number':
      return r.pick([0, 1, 2, 24, 80, 200, 199.99, -1, r.int(0, 1000), Math.round(r.next() * 100000) / 100]);
    case 'date':
      return AT - r.int(-5, 900) * 86_400_000 - r.int(0, 86_399_999);
    case 'boolean':
      return r.chance(0.5);
    case 'enum':
      return r.pick(def.values!);
    default:
      return r.pick([...PROVINCES, '杭州', 'nowhere', '']);
  }
}

function randomListElement(): string {
  return r.pick([...CATEGORIES, ...TAGS, ...D11_YEARS, 'DRESS', 'dress|skirt', 'a', '']);
}

function randomLeaf(): Record<string, unknown> {
  for (;;) {
    const fact = r.pick(FACTS);
    const ops = SQL_OPERATORS.filter((o) => o.factTypes.includes(fact.type));
    if (!ops.length) continue;
    const op = r.pick(ops);
    let value: unknown;
    switch (op.name) {
      case 'equal':
      case 'notEqual':
        value = r.chance(0.15) ? null : randomScalar(fact.name);
        break;
      case 'in':
      case 'notIn':
      case 'inList':
        value = Array.from({ length: r.int(0, 3) }, () => randomScalar(fact.name));
        break;
      case 'between': {
        const a = randomScalar(fact.name);
        const b = randomScalar(fact.name);
        const [x, y] = [a, b].map((v) => (typeof v === 'string' ? Date.parse(v) : (v as number)));
        value = x <= y ? [a, b] : [b, a];
        break;
      }
      case 'withinLastDays':
        value = r.pick([0, 1, 7, 30, 80, 365, 1000, 2.5]);
        break;
      case 'contains':
      case 'doesNotContain':
        value = randomListElement();
        break;
      case 'containsAny':
        value = Array.from({ length: r.int(0, 3) }, randomListElement);
        break;
      default:
        value = randomScalar(fact.name);
    }
    return { fact: fact.name, operator: op.name, value };
  }
}

function randomNode(depth: number, names: string[]): Record<string, unknown> {
  const roll = r.next();
  if (names.length && roll < 0.1) return { condition: r.pick(names) };
  if (depth <= 0 || roll < 0.45) return randomLeaf();
  if (roll < 0.58) return { not: randomNode(depth - 1, names) };
  const kids = Array.from({ length: r.int(1, 4) }, () => randomNode(depth - 1, names));
  return r.chance(0.5) ? { all: kids } : { any: kids };
}

const defs: RuleDefinition[] = [];
for (let i = 0; i < RULES; i++) {
  const name = `random-${i}`;
  const earlier = defs.slice(Math.max(0, i - 30)).map((d) => d.name);
  const top = randomNode(3, earlier);
  const raw = 'all' in top || 'any' in top || 'not' in top || 'condition' in top ? top : { all: [top] };
  const { conditions, references } = checkConditions(raw, name);
  defs.push({ name, conditions, references, source: name });
}
const rules = RuleSet.fromDefinitions(defs);

/** json-rules-engine's verdicts, computed once for both dialects. */
let engineRun: Promise<Map<string, number[]>> | undefined;
function engineVerdicts(): Promise<Map<string, number[]>> {
  engineRun ??= (async () => {
    const engine = new EngineEvaluator(rules, { timezone: SHOP.timezone });
    const out = new Map<string, number[]>();
    for (const d of defs) {
      const ids: number[] = [];
      for (let i = 0; i < stored.length; i++) if (await engine.matches(d.name, derived[i], AT)) ids.push(stored[i].customerId);
      out.set(d.name, ids);
    }
    return out;
  })();
  return engineRun;
}

describe.each(DIALECTS)('segment SQL vs json-rules-engine on %s', (dialect) => {
  let db: TestDatabase;
  let engineIds: Map<string, number[]>;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    await insertFacts(db.dataSource, stored);
    engineIds = await engineVerdicts();
  });
  afterAll(async () => db?.close());

  it(`gives the same customers for ${RULES} random rules over ${CUSTOMERS} customers with missing facts`, async () => {
    // Small chunks so the id-range chunking is exercised too.
    const store = new SqlSegmentStore(db.dataSource, 97);
    const mismatches: string[] = [];
    let nonTrivial = 0;
    for (const d of defs) {
      const sql = compileRule(rules, d.name, { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, dialect: store.dialect });
      const { count, ids } = await store.runSql(sql, Infinity);
      const expected = engineIds.get(d.name)!;
      if (expected.length > 0 && expected.length < CUSTOMERS) nonTrivial++;
      if (count !== ids.length || JSON.stringify(ids) !== JSON.stringify(expected)) {
        mismatches.push(`${d.name}: sql ${ids.length} vs engine ${expected.length}\n  ${JSON.stringify(d.conditions)}\n  ${sql.where} ${JSON.stringify(sql.params)}`);
      }
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
    // The generated rules must actually split the customers, or the comparison proves little.
    expect(nonTrivial).toBeGreaterThan(RULES / 3);
  });

  it('runSegment gives the same count and sample with either evaluator', async () => {
    const store = new SqlSegmentStore(db.dataSource, 50);
    for (const name of ['random-7', 'random-101', 'random-350']) {
      const opts = { at: AT, timezone: SHOP.timezone, lifecycle: SHOP.lifecycle, ids: true };
      const sql = await runSegment(store, rules, name, { ...opts, evaluator: 'sql' });
      const eng = await runSegment(store, rules, name, { ...opts, evaluator: 'engine' });
      expect(sql.evaluator).toBe('sql');
      expect(eng.evaluator).toBe('engine');
      expect(sql.ids).toEqual(engineIds.get(name));
      expect(eng.ids).toEqual(engineIds.get(name));
      expect(sql.sample).toEqual(eng.sample);
    }
  });
});
