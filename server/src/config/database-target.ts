/**
 * Which database an address names, without opening it: a pure module, so the settings side
 * (config/server-secret.ts: the secret file beside a SQLite shop) reads an address as the
 * persistence side does (persistence/data-source.ts re-exports these) without loading TypeORM.
 */

export type Dialect = 'sqlite' | 'postgres';

export interface DatabaseTarget {
  /** `postgres://…` for PostgreSQL; otherwise a SQLite file path (or `:memory:`). */
  url: string;
}

export function dialectOf(target: DatabaseTarget): Dialect {
  return /^postgres(ql)?:\/\//.test(target.url) ? 'postgres' : 'sqlite';
}

/**
 * The SQLite file of `target` (`sqlite://x`, `sqlite:x` and `x` all name the file `x`), or null for
 * PostgreSQL and `:memory:`. The one place that reads the file out of an address.
 */
export function sqliteFileOf(target: DatabaseTarget): string | null {
  if (dialectOf(target) !== 'sqlite') return null;
  const file = target.url.replace(/^sqlite:(\/\/)?/, '');
  return file === ':memory:' ? null : file;
}
