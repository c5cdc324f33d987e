import { deriveFacts, type DeriveContext } from '../facts/derive.js';
import type { StoredFacts } from '../facts/stored-facts.js';
import { EngineEvaluator } from '../rules/engine-evaluator.js';
import type { RuleSet } from '../rules/rule-set.js';
import { compileRule, NoSqlFormError, type CompiledSql } from '../rules/sql-compiler.js';
import type { SqlDialect } from '../rules/sql-dialect.js';

/**
 * Who is in a segment at an instant. A rule whose operators all have a SQL form runs as one
 * compiled query over `customer_facts` (in id-range chunks); any other rule falls back to
 * json-rules-engine per customer over the same stored facts, derived at the same instant.
 * The store is a port (persistence/segment-store.ts implements it), so this stays framework-free.
 */
export type EvaluatorChoice = 'sql' | 'engine';

export interface SegmentStore {
  dialect: SqlDialect;
  /** Runs a compiled WHERE clause; `limitIds` caps the ids returned (Infinity: all). */
  runSql(sql: CompiledSql, limitIds: number): Promise<{ count: number; ids: number[] }>;
  /** Stored fact rows in ascending customer id, a chunk at a time. */
  scanFacts(): AsyncIterable<StoredFacts[]>;
  /** Customer identity and stored facts of the given ids (sample rows). */
  describe(ids: number[]): Promise<{ id: number; externalId: string | null; name: string | null; stored: StoredFacts }[]>;
}

export interface SegmentOptions extends Omit<DeriveContext, 'at'> {
  at: number;
  /** Forced evaluator; unset: SQL when the rule has a SQL form, else json-rules-engine. */
  evaluator?: EvaluatorChoice;
  /** Return every matching customer id. */
  ids?: boolean;
  /** Sample size (default 10). */
  sample?: number;
}

export interface SampleCustomer {
  id: number;
  externalId: string | null;
  name: string | null;
  facts: Record<string, unknown>;
}

export interface SegmentResult {
  rule: string;
  at: string;
  evaluator: EvaluatorChoice;
  count: number;
  sample: SampleCustomer[];
  ids?: number[];
  elapsedMs: number;
}

const SAMPLE_FACTS = ['lifecycleStage', 'recencyDays', 'orderCount', 'aov'];

export async function runSegment(store: SegmentStore, rules: RuleSet, ruleName: string, opts: SegmentOptions, now: () => number = () => performance.now()): Promise<SegmentResult> {
  const started = now();
  rules.require(ruleName);
  const sampleSize = opts.sample ?? 10;
  const withoutSql = rules.operatorsWithoutSql(ruleName);
  if (opts.evaluator === 'sql' && withoutSql.length) throw new NoSqlFormError(withoutSql[0]);
  const evaluator: EvaluatorChoice = opts.evaluator ?? (withoutSql.length ? 'engine' : 'sql');
  const ctx: DeriveContext = { at: opts.at, timezone: opts.timezone, lifecycle: opts.lifecycle };

  let count = 0;
  let ids: number[] = [];
  if (evaluator === 'sql') {
    const sql = compileRule(rules, ruleName, { ...ctx, dialect: store.dialect });
    ({ count, ids } = await store.runSql(sql, opts.ids ? Infinity : sampleSize));
  } else {
    const engine = new EngineEvaluator(rules, { timezone: opts.timezone });
    for await (const chunk of store.scanFacts()) {
      for (const s of chunk) {
        if (await engine.matches(ruleName, deriveFacts(s, ctx), opts.at)) {
          count++;
          if (opts.ids || ids.length < sampleSize) ids.push(s.customerId);
        }
      }
    }
  }

  const shown = [...new Set([...rules.factsRead(ruleName), ...SAMPLE_FACTS])];
  const sample = (await store.describe(ids.slice(0, sampleSize))).map((c) => {
    const facts = deriveFacts(c.stored, ctx);
    return { id: c.id, externalId: c.externalId, name: c.name, facts: Object.fromEntries(shown.map((f) => [f, facts[f] ?? null])) };
  });
  return {
    rule: ruleName,
    at: new Date(opts.at).toISOString(),
    evaluator,
    count,
    sample,
    ...(opts.ids ? { ids } : {}),
    elapsedMs: Math.round((now() - started) * 10) / 10,
  };
}
