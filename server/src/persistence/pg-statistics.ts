import type { DataSource } from 'typeorm';

/**
 * Planner statistics of PostgreSQL tables that the product itself fills in bulk.
 *
 * Without statistics (a table never analysed, or analysed while it was empty) PostgreSQL guesses:
 * `flow_id = $1` is taken for 0.5% of the enrollments, so a batch's re-read of 1,000 enrollments by
 * id went through the flow's index and read EVERY enrollment of the campaign, a batch after batch
 * (bench/workers: PostgreSQL's CPU a step grew with the table, 48 → 182 µs from 20,000 to 500,000
 * enrollments). Autovacuum analyses a table about a minute after 10% of it changed, if it runs at
 * all (servers with `autovacuum = off` exist, e.g. CI), and a campaign enrolled in bulk starts
 * stepping at once. So the places that write in bulk (the shop writer, enrollment, the start of a
 * stepping tick) call `analyzeIfStale`: the same rule as autovacuum's (50 rows + 10% changed since
 * the last ANALYZE), applied right away. ANALYZE samples 30,000 rows whatever the size (tens of
 * ms), takes a lock that blocks neither reads nor writes, and is skipped with a warning (not an
 * error) for a role that does not own the table. SQLite: nothing to do (its planner does not use
 * row-count statistics for these statements).
 */

const ANALYZE_THRESHOLD = 50;
const ANALYZE_SCALE = 0.1;
/** Pages a table may grow by before the size test counts (small tables are planned well enough). */
const ANALYZE_PAGES = 8;

/**
 * Tables whose statistics are older than the autovacuum rule allows, or that grew by more than a
 * tenth (in pages) since they were last analysed. The size test does not depend on the statistics
 * collector: a backend reports its inserts up to a second after its commit, and a bulk insert just
 * committed must count.
 */
export async function staleTables(ds: DataSource, tables: readonly string[]): Promise<string[]> {
  if (ds.options.type !== 'postgres' || tables.length === 0) return [];
  const rows: { relname: string; changed: string | null; tuples: string; relpages: string; pages: string }[] = await ds.query(
    `SELECT c.relname, s.n_mod_since_analyze AS changed, GREATEST(c.reltuples, 0) AS tuples, c.relpages,
            pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
       FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r' AND c.relname = ANY($1::text[])`,
    [[...tables]],
  );
  return rows
    .filter((r) => {
      const pages = Number(r.pages);
      const grew = pages > ANALYZE_PAGES + (1 + ANALYZE_SCALE) * Number(r.relpages);
      const changed = Number(r.changed ?? 0) > ANALYZE_THRESHOLD + ANALYZE_SCALE * Number(r.tuples);
      return grew || changed;
    })
    .map((r) => r.relname);
}

/**
 * ANALYZE of the tables among `tables` whose statistics are stale (PostgreSQL; a no-op on SQLite).
 * Best effort: it runs after work that is already committed (an import, an enrolment, a tick's
 * start), and statistics only make later plans better, so a failure (a statement or lock timeout,
 * a cancel, a concurrent ANALYZE or VACUUM holding the lock) must not fail that work; the next
 * call finds the tables still stale and tries again. Returns the tables analysed.
 */
export async function analyzeIfStale(ds: DataSource, tables: readonly string[]): Promise<string[]> {
  try {
    const stale = await staleTables(ds, tables);
    if (stale.length > 0) await ds.query(`ANALYZE ${stale.map((t) => `"${t}"`).join(', ')}`);
    return stale;
  } catch {
    return [];
  }
}

/** The tables a stepping batch reads by key (their plans must follow the tables' sizes). */
export const STEPPING_TABLES = ['enrollments', 'sends', 'split_assignments', 'journey_steps', 'customers', 'customer_facts', 'customer_events'] as const;
