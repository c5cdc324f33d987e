import { MS_PER_DAY } from '../clock.js';
import type { FactDefinition, FactType } from '../facts/catalogue.js';
import { localDate } from '../facts/season.js';

/**
 * The operators a rule may use. Each one says which fact types it applies to, how a rule's
 * value is checked (and normalised: ISO dates become epoch ms), what json-rules-engine does
 * with it, and, when it has one, its SQL form. The SQL form must mean exactly what the engine
 * means, including for missing values (a null fact); the differential test pins that.
 *
 * SQL forms come in pairs: `pos` is true exactly where the engine says true, `neg` exactly where
 * the engine says false. Either may also yield NULL where it is not true (a WHERE clause treats
 * NULL as false). `not` is pushed down to the leaves so SQL's three-valued NOT never appears.
 */

export type ValueCheck = { ok: true; value: unknown } | { ok: false; message: string };

/** What a SQL form needs: the fact's column expression and a way to bind string parameters. */
export interface SqlLeafContext {
  /** Column expression of the fact, e.g. `f.order_count` or a CASE for a derived fact. */
  expr: string;
  nullable: boolean;
  /** Evaluation instant (epoch ms), for time-relative operators. */
  at: number;
  /** Binds a string and returns its placeholder. */
  bind(value: string): string;
  /** `true` if the list column contains the element (list facts only), portable and case-sensitive. */
  listContains(element: string): string;
}

export interface SqlForm {
  pos: string;
  neg: string;
}

export interface OperatorSpec {
  name: string;
  description: string;
  factTypes: readonly FactType[];
  /** Checks the rule's value against the fact; returns the normalised value or a message. */
  check(value: unknown, fact: FactDefinition): ValueCheck;
  /**
   * Custom operators only: the json-rules-engine callback. Built-in operators (equal, in, …) are
   * json-rules-engine's own, so the engine meaning is the library's, not a copy of it.
   */
  engine?: (factValue: unknown, value: unknown) => boolean;
  /** Time-relative operators read the evaluation instant: their value is rewritten at load to
   *  `{fact: <this>, params: {days}}`, a dynamic fact computed from the run's `$now`. */
  windowFact?: string;
  sql?: (c: SqlLeafContext, value: unknown) => SqlForm;
}

const ok = (value: unknown): ValueCheck => ({ ok: true, value });
const fail = (message: string): ValueCheck => ({ ok: false, message });

const SCALAR: FactType[] = ['number', 'string', 'enum', 'boolean', 'date'];
const ORDERED: FactType[] = ['number', 'date'];

const TRUE = '(1=1)';
const FALSE = '(1=0)';

/** Numbers are inlined (they are checked to be finite): PostgreSQL would type a bound
 *  parameter compared with an integer column as integer and refuse 2.5. */
export function sqlNumber(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return n < 0 ? `(${n})` : String(n);
}

/** A scalar value of the fact's type; dates accept ISO text or epoch ms and become epoch ms. */
function scalarValue(v: unknown, fact: FactDefinition): ValueCheck {
  switch (fact.type) {
    case 'number':
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) > MAX_NUMBER) return fail(`expected a number between -${MAX_NUMBER} and ${MAX_NUMBER} for ${fact.name}, got ${v}`);
      return typeof v === 'number' && Number.isFinite(v) ? ok(v) : fail(`expected a number for ${fact.name}, got ${short(v)}`);
    case 'date': {
      if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 8.64e15) return ok(v);
      if (typeof v === 'string' && Number.isFinite(Date.parse(v))) return ok(Date.parse(v));
      return fail(`expected a date (ISO-8601 text or epoch ms) for ${fact.name}, got ${JSON.stringify(v)}`);
    }
    case 'boolean':
      return typeof v === 'boolean' ? ok(v) : fail(`expected true or false for ${fact.name}, got ${JSON.stringify(v)}`);
    case 'enum':
      return typeof v === 'string' && fact.values!.includes(v)
        ? ok(v)
        : fail(`expected one of ${fact.values!.join(', ')} for ${fact.name}, got ${JSON.stringify(v)}`);
    case 'string':
      return typeof v === 'string' ? ok(v) : fail(`expected text for ${fact.name}, got ${JSON.stringify(v)}`);
    default:
      return fail(`${fact.name} is a ${fact.type} fact`);
  }
}

function scalarOrNull(v: unknown, fact: FactDefinition): ValueCheck {
  return v === null ? ok(null) : scalarValue(v, fact);
}

/** An `in` list longer than this belongs in a block list or a segment of its own. */
export const MAX_LIST_VALUES = 1000;
/** Larger magnitudes mean nothing for a shop's facts and overflow SQL and date arithmetic. */
export const MAX_NUMBER = 1e12;
export const MAX_DAYS = 36_500;

const tooLong = (v: unknown[], fact: FactDefinition) =>
  v.length > MAX_LIST_VALUES ? fail(`at most ${MAX_LIST_VALUES.toLocaleString('en')} values for ${fact.name}, got ${v.length.toLocaleString('en')} (keep long id lists in rules/lists/ or a segment)`) : null;
const short = (v: unknown) => (JSON.stringify(v) ?? String(v)).slice(0, 80);

function scalarArray(v: unknown, fact: FactDefinition): ValueCheck {
  if (!Array.isArray(v)) return fail(`expected a list of values for ${fact.name}, got ${short(v)}`);
  const long = tooLong(v, fact);
  if (long) return long;
  const out: unknown[] = [];
  for (const [i, x] of v.entries()) {
    const r = scalarValue(x, fact);
    if (!r.ok) return fail(`[${i}]: ${r.message}`);
    out.push(r.value);
  }
  return ok(out);
}

function stringElement(v: unknown, fact: FactDefinition): ValueCheck {
  if (typeof v === 'string') return ok(v);
  // Double-11 years are text ("2025"); a marketer will naturally write 2025.
  if (typeof v === 'number' && Number.isInteger(v)) return ok(String(v));
  return fail(`expected a text element of ${fact.name}, got ${JSON.stringify(v)}`);
}

function stringArray(v: unknown, fact: FactDefinition): ValueCheck {
  if (!Array.isArray(v)) return fail(`expected a list of values for ${fact.name}, got ${short(v)}`);
  const long = tooLong(v, fact);
  if (long) return long;
  const out: string[] = [];
  for (const [i, x] of v.entries()) {
    const r = stringElement(x, fact);
    if (!r.ok) return fail(`[${i}]: ${r.message}`);
    out.push(r.value as string);
  }
  return ok(out);
}

function nonNegativeDays(v: unknown, fact: FactDefinition): ValueCheck {
  return typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_DAYS ? ok(v) : fail(`expected a number of days from 0 to ${MAX_DAYS.toLocaleString('en')} for ${fact.name}, got ${short(v)}`);
}

/** Bind a scalar: strings as parameters, numbers and booleans inlined (better-sqlite3 cannot bind booleans). */
function lit(c: SqlLeafContext, v: unknown): string {
  if (typeof v === 'number') return sqlNumber(v);
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  return c.bind(String(v));
}

const orNull = (c: SqlLeafContext, s: string) => (c.nullable ? `(${c.expr} IS NULL OR ${s})` : s);

function equalSql(c: SqlLeafContext, v: unknown): SqlForm {
  if (v === null) return { pos: `${c.expr} IS NULL`, neg: `${c.expr} IS NOT NULL` };
  const l = lit(c, v);
  return { pos: `${c.expr} = ${l}`, neg: orNull(c, `${c.expr} <> ${l}`) };
}

function inSql(c: SqlLeafContext, v: unknown): SqlForm {
  const xs = v as unknown[];
  if (xs.length === 0) return { pos: FALSE, neg: TRUE };
  const list = xs.map((x) => lit(c, x)).join(', ');
  return { pos: `${c.expr} IN (${list})`, neg: orNull(c, `${c.expr} NOT IN (${list})`) };
}

/** Engine: a number validator rejects null, so a comparison with a missing value is false. */
function compareSql(op: string, negOp: string) {
  return (c: SqlLeafContext, v: unknown): SqlForm => ({
    pos: `${c.expr} ${op} ${sqlNumber(v as number)}`,
    neg: orNull(c, `${c.expr} ${negOp} ${sqlNumber(v as number)}`),
  });
}

function rangeSql(c: SqlLeafContext, lo: number, hi: number): SqlForm {
  return {
    pos: `${c.expr} BETWEEN ${sqlNumber(lo)} AND ${sqlNumber(hi)}`,
    neg: orNull(c, `(${c.expr} < ${sqlNumber(lo)} OR ${c.expr} > ${sqlNumber(hi)})`),
  };
}

/** The list separator cannot be inside a stored element (columns.ts), so such a value never matches. */
function containsSql(c: SqlLeafContext, element: string): string {
  return element.includes('|') ? FALSE : c.listContains(element);
}

function containsAnySql(c: SqlLeafContext, v: unknown): SqlForm {
  const xs = (v as string[]).filter((x) => !x.includes('|'));
  if (xs.length === 0) return { pos: FALSE, neg: TRUE };
  const parts = xs.map((x) => c.listContains(x));
  return { pos: `(${parts.join(' OR ')})`, neg: `(${parts.map((p) => `NOT ${p}`).join(' AND ')})` };
}

/**
 * The SQL of an operator that means "not <op>" in the engine: its true and false forms swap.
 * Both forms are written out by the positive operator so a missing fact keeps the engine's
 * meaning on either side (SQL's NULL never flips a result).
 */
const negated =
  (sql: (c: SqlLeafContext, v: unknown) => SqlForm) =>
  (c: SqlLeafContext, v: unknown) => {
    const e = sql(c, v);
    return { pos: e.neg, neg: e.pos };
  };

const isNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export const OPERATORS: readonly OperatorSpec[] = [
  { name: 'equal', description: 'The fact equals the value (null: the fact is missing).', factTypes: SCALAR, check: scalarOrNull, sql: equalSql },
  {
    name: 'notEqual',
    description: 'The fact differs from the value; a missing fact differs from every value.',
    factTypes: SCALAR,
    check: scalarOrNull,
    sql: negated(equalSql),
  },
  { name: 'in', description: 'The fact is one of the listed values (a missing fact is in no list).', factTypes: SCALAR, check: scalarArray, sql: inSql },
  {
    name: 'notIn',
    description: 'The fact is none of the listed values; true for a missing fact.',
    factTypes: SCALAR,
    check: scalarArray,
    sql: negated(inSql),
  },
  {
    name: 'inList',
    description: "The fact is one of the listed values (the value must be a list). Same meaning as 'in'; a missing fact is in no list.",
    factTypes: SCALAR,
    check: scalarArray,
    engine: (a, b) => a !== null && a !== undefined && (b as unknown[]).includes(a),
    sql: inSql,
  },
  { name: 'lessThan', description: 'The number/date is below the value; false when missing.', factTypes: ORDERED, check: scalarValue, sql: compareSql('<', '>=') },
  { name: 'lessThanInclusive', description: 'The number/date is at most the value; false when missing.', factTypes: ORDERED, check: scalarValue, sql: compareSql('<=', '>') },
  { name: 'greaterThan', description: 'The number/date is above the value; false when missing.', factTypes: ORDERED, check: scalarValue, sql: compareSql('>', '<=') },
  { name: 'greaterThanInclusive', description: 'The number/date is at least the value; false when missing.', factTypes: ORDERED, check: scalarValue, sql: compareSql('>=', '<') },
  {
    name: 'between',
    description: 'The number/date lies in [low, high], both inclusive; false when missing.',
    factTypes: ORDERED,
    check: (v, fact) => {
      if (!Array.isArray(v) || v.length !== 2) return fail(`expected [low, high] for ${fact.name}, got ${JSON.stringify(v)}`);
      const lo = scalarValue(v[0], fact);
      if (!lo.ok) return fail(`[0]: ${lo.message}`);
      const hi = scalarValue(v[1], fact);
      if (!hi.ok) return fail(`[1]: ${hi.message}`);
      if ((lo.value as number) > (hi.value as number)) return fail(`low ${JSON.stringify(v[0])} is above high ${JSON.stringify(v[1])}`);
      return ok([lo.value, hi.value]);
    },
    engine: (a, b) => isNumber(a) && a >= (b as number[])[0] && a <= (b as number[])[1],
    sql: (c, v) => rangeSql(c, (v as number[])[0], (v as number[])[1]),
  },
  {
    name: 'withinLastDays',
    description: 'The date lies within the last N days before the evaluation instant (at − N days ≤ date ≤ at); false when missing.',
    factTypes: ['date'],
    check: nonNegativeDays,
    windowFact: '$lastDays',
    // The value arrives resolved by the `$lastDays` dynamic fact: [at − N days, at].
    engine: (a, w) => isNumber(a) && a >= (w as number[])[0] && a <= (w as number[])[1],
    sql: (c, v) => rangeSql(c, c.at - (v as number) * MS_PER_DAY, c.at),
  },
  {
    name: 'anniversaryWithinDays',
    description:
      "The date's anniversary (month and day in the shop's time zone) falls today or within the next N days; false when missing. No SQL form: evaluated by json-rules-engine.",
    factTypes: ['date'],
    check: (v, fact) => {
      const r = nonNegativeDays(v, fact);
      return r.ok && (r.value as number) > 366 ? fail(`at most 366 days for ${fact.name}`) : r;
    },
    windowFact: '$anniversaryWindow',
    engine: (a, w) => {
      if (!isNumber(a)) return false;
      const { days, at, timezone } = w as { days: number; at: number; timezone: string };
      const d = localDate(a, timezone);
      for (let i = 0; i <= days; i++) {
        const x = localDate(at + i * MS_PER_DAY, timezone);
        if (x.month === d.month && x.day === d.day) return true;
      }
      return false;
    },
  },
  {
    name: 'contains',
    description: 'The list fact holds the element.',
    factTypes: ['list'],
    check: stringElement,
    sql: (c, v) => {
      const p = containsSql(c, v as string);
      return { pos: p, neg: `NOT ${p}` };
    },
  },
  {
    name: 'doesNotContain',
    description: 'The list fact does not hold the element.',
    factTypes: ['list'],
    check: stringElement,
    sql: (c, v) => {
      const p = containsSql(c, v as string);
      return { pos: `NOT ${p}`, neg: p };
    },
  },
  {
    name: 'containsAny',
    description: 'The list fact shares at least one element with the listed values.',
    factTypes: ['list'],
    check: stringArray,
    engine: (a, b) => Array.isArray(a) && (b as string[]).some((x) => a.includes(x)),
    sql: containsAnySql,
  },
];

const BY_NAME = new Map(OPERATORS.map((o) => [o.name, o]));

export function operatorSpec(name: string): OperatorSpec | undefined {
  return BY_NAME.get(name);
}

/** Value of the dynamic fact a time-relative operator reads (see engine-evaluator.ts). */
export function windowValue(windowFact: string, days: number, at: number, timezone: string): unknown {
  if (windowFact === '$lastDays') return [at - days * MS_PER_DAY, at];
  if (windowFact === '$anniversaryWindow') return { days, at, timezone };
  throw new Error(`unknown window fact ${windowFact}`);
}
