/**
 * The few places where SQLite and PostgreSQL differ for compiled segment SQL. Everything else
 * (integer division of BIGINT epoch ms, CASE, IN, BETWEEN, TRUE/FALSE) is written once.
 */
export interface SqlDialect {
  name: 'sqlite' | 'postgres';
  /** Placeholder of the n-th (1-based) bound parameter. */
  placeholder(n: number): string;
  /**
   * True if `needle` occurs in `haystack`, case-sensitively and without wildcards. LIKE would
   * need escaping of % and _ in marketers' values, and SQLite's LIKE ignores ASCII case where
   * json-rules-engine does not.
   */
  containsText(haystack: string, needle: string): string;
}

export const SQLITE: SqlDialect = {
  name: 'sqlite',
  placeholder: () => '?',
  containsText: (h, n) => `instr(${h}, ${n}) > 0`,
};

export const POSTGRES: SqlDialect = {
  name: 'postgres',
  placeholder: (n) => `$${n}`,
  containsText: (h, n) => `strpos(${h}, ${n}) > 0`,
};
