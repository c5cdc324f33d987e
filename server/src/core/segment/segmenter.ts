import { shopIsoTime } from '../engine/local-time.js';
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
  /** Orders created or paid after `at`: 0 when today's stored facts are the facts at `at`. */
  ordersAfter?(at: number): Promise<number>;
  /** Fact rows as they were at `at` (stored-facts.ts storedFactsAt), ascending customer id, a chunk at a time. */
  scanFactsAt?(at: number, timezone: string): AsyncIterable<StoredFacts[]>;
}

/** `--evaluator sql` asked for at an instant the stored facts do not describe. */
export class PastFactsNeedEngineError extends Error {}

export interface SegmentOptions extends Omit<DeriveContext, 'at'> {
  at: number;
  /** Forced evaluator; unset: SQL when the rule has a SQL form, else json-rules-engine. */
  evaluator?: EvaluatorChoice;
  /** Return every matching customer id. */
  ids?: boolean;
  /** Sample size (default 10). */
  sample?: number;
  /**
   * `at` was chosen by the caller (`--at`, `?at=`): when the shop has orders after it, the facts
   * are recomputed from the orders up to `at` (json-rules-engine over them) instead of read
   * from today's stored rows, which count the later orders.
   */
  pastFacts?: boolean;
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
  /** Set when the facts were recomputed as of `at`: the orders after `at` that were left out. */
  ordersAfterAt?: number;
  elapsedMs: number;
}

const SAMPLE_FACTS = ['lifecycleStage', 'recencyDays', 'orderCount', 'aov'];

export async function runSegment(store: SegmentStore, rules: RuleSet, ruleName: string, opts: SegmentOptions, now: () => number = () => performance.now()): Promise<SegmentResult> {
  const started = now();
  rules.require(ruleName);
  const sampleSize = opts.sample ?? 10;
  const withoutSql = rules.operatorsWithoutSql(ruleName);
  if (opts.evaluator === 'sql' && withoutSql.length) throw new NoSqlFormError(withoutSql[0]);
  const ordersAfterAt = opts.pastFacts && store.ordersAfter && store.scanFactsAt ? await store.ordersAfter(opts.at) : 0;
  if (ordersAfterAt > 0 && opts.evaluator === 'sql') {
    throw new PastFactsNeedEngineError(`the SQL evaluator reads today's stored facts, and the shop has ${ordersAfterAt} order${ordersAfterAt === 1 ? '' : 's'} after ${shopIsoTime(opts.at, opts.timezone)}: leave out the evaluator (facts as of then are recomputed for json-rules-engine)`);
  }
  const evaluator: EvaluatorChoice = ordersAfterAt > 0 ? 'engine' : (opts.evaluator ?? (withoutSql.length ? 'engine' : 'sql'));
  const ctx: DeriveContext = { at: opts.at, timezone: opts.timezone, lifecycle: opts.lifecycle };

  let count = 0;
  let ids: number[] = [];
  /** Facts as of `at` of the sampled customers (their stored rows are today's). */
  const pastSample = new Map<number, StoredFacts>();
  if (ordersAfterAt > 0) {
    const engine = new EngineEvaluator(rules, { timezone: opts.timezone });
    for await (const chunk of store.scanFactsAt!(opts.at, opts.timezone)) {
      for (const s of chunk) {
        if (await engine.matches(ruleName, deriveFacts(s, ctx), opts.at)) {
          count++;
          if (opts.ids || ids.length < sampleSize) ids.push(s.customerId);
          if (pastSample.size < sampleSize) pastSample.set(s.customerId, s);
        }
      }
    }
  } else if (evaluator === 'sql') {
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
    const facts = deriveFacts(pastSample.get(c.id) ?? c.stored, ctx);
    return { id: c.id, externalId: c.externalId, name: c.name, facts: Object.fromEntries(shown.map((f) => [f, facts[f] ?? null])) };
  });
  return {
    rule: ruleName,
    at: shopIsoTime(opts.at, opts.timezone),
    evaluator,
    count,
    sample,
    ...(opts.ids ? { ids } : {}),
    ...(ordersAfterAt > 0 ? { ordersAfterAt } : {}),
    elapsedMs: Math.round((now() - started) * 10) / 10,
  };
}
