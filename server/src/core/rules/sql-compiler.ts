import { MS_PER_DAY, MS_PER_HOUR } from '../clock.js';
import { seasonKeysAt } from '../facts/derive.js';
import { double11Calendar } from '../facts/double11.js';
import type { LifecycleThresholds } from '../shop-config.js';
import { operatorSpec, sqlNumber, type SqlLeafContext } from './operators.js';
import type { ConditionNode, LeafCondition } from './rule-file.js';
import type { RuleSet } from './rule-set.js';
import type { SqlDialect } from './sql-dialect.js';

/**
 * Compiles a rule to ONE WHERE clause over `customer_facts f`. Time-relative facts are computed
 * in SQL from the stored timestamps exactly as core/facts/derive.ts does (integer division of
 * epoch ms truncates toward zero on both databases, like Math.trunc); the season keys of the
 * season category facts are computed here in JS from `at` and bound as parameters.
 *
 * `not` is pushed down to the leaves (De Morgan), and each operator gives an exact SQL form for
 * "engine says true" and for "engine says false", so SQL's NULL never flips a result: a missing
 * value means what json-rules-engine makes of it.
 */
export interface SqlContext {
  at: number;
  timezone: string;
  lifecycle: LifecycleThresholds;
  dialect: SqlDialect;
}

export interface CompiledSql {
  where: string;
  params: string[];
}

export class NoSqlFormError extends Error {
  constructor(readonly operator: string) {
    super(`operator ${operator} has no SQL form; use --evaluator engine (or leave the evaluator unset to fall back to it)`);
  }
}

interface FactColumn {
  expr: string;
  nullable: boolean;
  /** List facts: the "|a|b|" column and, for season facts, the "@<season key>" suffix of elements. */
  list?: { column: string; suffix?: string };
}

function factColumns(ctx: SqlContext): Record<string, FactColumn> {
  const at = sqlNumber(Math.trunc(ctx.at));
  // Arithmetic on NULL is NULL, so no CASE is needed for a missing timestamp (and none is paid for).
  // Never negative, as the engine derives it (core/facts/derive.ts): an order stamped after `at` is
  // "today". A NULL last order falls to the ELSE branch and stays NULL, which GREATEST would not keep.
  const recency = `(CASE WHEN f.last_order_at > ${at} THEN 0 ELSE (${at} - f.last_order_at) / ${MS_PER_DAY} END)`;
  const t = ctx.lifecycle;
  const keys = seasonKeysAt(ctx.at, ctx.timezone);
  const d11 = double11Calendar(ctx.at, ctx.timezone);
  const col = (expr: string, nullable = true): FactColumn => ({ expr, nullable });
  const list = (column: string, suffix?: string): FactColumn => ({ expr: column, nullable: false, list: { column, suffix } });
  return {
    recencyDays: col(`(${recency})`),
    orderCount: col('f.order_count', false),
    totalSpent: col('f.total_spent', false),
    // NULLIF: no order → NULL (PostgreSQL would raise on a division by zero, SQLite gives NULL).
    aov: col('(f.total_spent / NULLIF(f.order_count, 0))'),
    firstOrderAt: col('f.first_order_at'),
    lastOrderAt: col('f.last_order_at'),
    unpaidOrderCount: col('f.unpaid_order_count', false),
    lastUnpaidAt: col('f.last_unpaid_at'),
    hoursSinceLastUnpaid: col(`((${at} - f.last_unpaid_at) / ${MS_PER_HOUR})`),
    categories: list('f.categories'),
    categoriesLastSeason: list('f.category_seasons', `@${keys.lastSeason}`),
    categoriesSameSeasonLastYear: list('f.category_seasons', `@${keys.sameSeasonLastYear}`),
    categoriesLastSpring: list('f.category_seasons', `@${keys.last.categoriesLastSpring}`),
    categoriesLastSummer: list('f.category_seasons', `@${keys.last.categoriesLastSummer}`),
    categoriesLastAutumn: list('f.category_seasons', `@${keys.last.categoriesLastAutumn}`),
    categoriesLastWinter: list('f.category_seasons', `@${keys.last.categoriesLastWinter}`),
    double11Years: list('f.double11_years'),
    // Elements = number of separators − 1 in "|a|b|"; the empty list is ''.
    double11Count: col("(CASE WHEN f.double11_years = '' THEN 0 ELSE LENGTH(f.double11_years) - LENGTH(REPLACE(f.double11_years, '|', '')) - 1 END)", false),
    double11LastYear: col(`(CASE WHEN f.first_order_at IS NOT NULL AND f.double11_years LIKE '%|${d11.lastYear}|%' THEN ${ctx.dialect.name === 'postgres' ? 'TRUE' : '1'} ELSE ${ctx.dialect.name === 'postgres' ? 'FALSE' : '0'} END)`, false),
    double11Missed: col(`(CASE WHEN f.first_order_at IS NULL THEN NULL ELSE ${d11.past.map((p) => `(CASE WHEN f.first_order_at < ${p.endsAt} AND f.double11_years NOT LIKE '%|${p.year}|%' THEN 1 ELSE 0 END)`).join(' + ')} END)`),
    nonDouble11OrderCount: col('(f.order_count - f.double11_order_count)', false),
    province: col('f.province'),
    city: col('f.city'),
    device: col('f.device'),
    tags: list('f.tags'),
    consentSms: col('f.consent_sms'),
    consentEmail: col('f.consent_email'),
    consentWechat: col('f.consent_wechat'),
    consentWangwang: col('f.consent_wangwang'),
    consentPush: col('f.consent_push'),
    pAlive: col('f.p_alive'),
    expectedPurchases: col('f.expected_purchases'),
    daysUntilSleeping: col(`(${t.silentDays} + 1 - (${recency}))`),
    lifecycleStage: col(
      `(CASE WHEN f.last_order_at IS NULL THEN 'prospect' WHEN ${recency} <= ${t.activeDays} THEN 'active' WHEN ${recency} <= ${t.silentDays} THEN 'silent' WHEN ${recency} <= ${t.sleepingDays} THEN 'sleeping' ELSE 'lost' END)`,
      false,
    ),
  };
}

/** Compiles a named rule of the set (references are inlined). Throws NoSqlFormError. */
export function compileRule(rules: RuleSet, name: string, ctx: SqlContext): CompiledSql {
  return compileConditions(rules.expand(name), ctx);
}

export function compileConditions(root: ConditionNode, ctx: SqlContext): CompiledSql {
  const columns = factColumns(ctx);
  const params: string[] = [];
  const bind = (v: string) => {
    params.push(v);
    return ctx.dialect.placeholder(params.length);
  };

  const leaf = (l: LeafCondition, negated: boolean): string => {
    const spec = operatorSpec(l.operator);
    if (!spec?.sql) throw new NoSqlFormError(l.operator);
    const c = columns[l.fact];
    if (!c) throw new Error(`fact ${l.fact} has no column`);
    const lc: SqlLeafContext = {
      expr: c.expr,
      nullable: c.nullable,
      at: ctx.at,
      bind,
      listContains: (element) => ctx.dialect.containsText(c.list!.column, bind(`|${element}${c.list!.suffix ?? ''}|`)),
    };
    const form = spec.sql(lc, l.value);
    return `(${negated ? form.neg : form.pos})`;
  };

  const walk = (n: ConditionNode, negated: boolean): string => {
    if ('not' in n) return walk(n.not, !negated);
    if ('all' in n || 'any' in n) {
      const kids = 'all' in n ? n.all : n.any;
      // json-rules-engine: an empty `all` is true, an empty `any` is true too (prioritizeAndRun).
      if (kids.length === 0) return negated ? '(1=0)' : '(1=1)';
      const conj = ('all' in n) !== negated; // all, or a negated any (De Morgan)
      return `(${kids.map((k) => walk(k, negated)).join(conj ? ' AND ' : ' OR ')})`;
    }
    if ('condition' in n) throw new Error(`reference ${n.condition} should have been expanded`);
    return leaf(n, negated);
  };

  return { where: walk(root, false), params };
}
