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
 * Which of `tables` have statistics older than the autovacuum rule allows, or grew by more than a
 * tenth (in pages) since they were last analysed, and how many changed rows make the first of them
 * stale again. The size test does not depend on the statistics collector: a backend reports its
 * inserts up to a second after its commit, and a bulk insert just committed must count.
 */
async function tableStaleness(ds: DataSource, tables: readonly string[]): Promise<{ stale: string[]; changesAllowed: number }> {
  if (ds.options.type !== 'postgres' || tables.length === 0) return { stale: [], changesAllowed: Infinity };
  const rows: { relname: string; changed: string | null; tuples: string; relpages: string; pages: string }[] = await ds.query(
    `SELECT c.relname, s.n_mod_since_analyze AS changed, GREATEST(c.reltuples, 0) AS tuples, c.relpages,
            pg_relation_size(c.oid) / current_setting('block_size')::int AS pages
       FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
      WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema()) AND c.relkind = 'r' AND c.relname = ANY($1::text[])`,
    [[...tables]],
  );
  const stale = rows
    .filter((r) => {
      const pages = Number(r.pages);
      const grew = pages > ANALYZE_PAGES + (1 + ANALYZE_SCALE) * Number(r.relpages);
      const changed = Number(r.changed ?? 0) > ANALYZE_THRESHOLD + ANALYZE_SCALE * Number(r.tuples);
      return grew || changed;
    })
    .map((r) => r.relname);
  // The row counts are those before any ANALYZE the caller runs: smaller, so the allowance errs
  // early. (Not 0 after an ANALYZE: a role that does not own the tables cannot analyse them, and
  // every call would then read the catalog and try again; the recheck interval bounds it instead.)
  const changesAllowed = Math.min(...rows.map((r) => ANALYZE_THRESHOLD + ANALYZE_SCALE * Number(r.tuples)));
  return { stale, changesAllowed };
}

/**
 * The staleness check and ANALYZE of what it found, best effort: it runs after work that is
 * already committed (an import, an enrolment, a tick's start), and statistics only make later
 * plans better, so a failure (a statement or lock timeout, a cancel, a concurrent ANALYZE or
 * VACUUM holding the lock) must not fail that work; null then, and the next call tries again.
 */
async function analyzeStale(ds: DataSource, tables: readonly string[]): Promise<{ stale: string[]; changesAllowed: number } | null> {
  try {
    const found = await tableStaleness(ds, tables);
    if (found.stale.length > 0) await ds.query(`ANALYZE ${found.stale.map((t) => `"${t}"`).join(', ')}`);
    return found;
  } catch {
    return null;
  }
}

/** ANALYZE of the tables among `tables` whose statistics are stale (PostgreSQL; a no-op on SQLite). Returns the tables analysed. */
export async function analyzeIfStale(ds: DataSource, tables: readonly string[]): Promise<string[]> {
  return (await analyzeStale(ds, tables))?.stale ?? [];
}

/** However few rows this process wrote, the check runs again after this long (others write too). */
export const ANALYZE_RECHECK_MS = 1000;

interface Pace {
  /** Rows this process wrote to the table set since the last check. */
  written: number;
  /** Rows that could make one of the tables stale, as of the last check. */
  allowed: number;
  checkedAt: number;
}
const paces = new WeakMap<DataSource, Map<string, Pace>>();

/**
 * `analyzeIfStale` for a path that writes a few rows many times a second: event intake enrols
 * each batch of inbox events, and on PostgreSQL every enrolment read the catalog before it
 * returned. Here the catalog is read only once this process's own writes since the last check
 * could on their own make a table stale (autovacuum's rule, from the row counts the last check
 * saw), or `ANALYZE_RECHECK_MS` after it — for other processes' writes, changes counted before
 * that check, and a table this role may not ANALYZE (skipped with a warning: retried at that
 * pace). So a bulk enrolment is analysed as before (its rows pass the allowance at once) and a
 * stream of small ones costs a counter. Missing
 * a check costs nothing lasting: statistics only make later plans better, and the start of each
 * stepping tick checks the stepping tables anyway (JourneyStore.duePlan). `elapsed` is a monotonic
 * millisecond reading, injectable for tests: it paces maintenance on real time, not engine logic.
 */
export async function analyzeAfterWrites(
  ds: DataSource,
  tables: readonly string[],
  rowsWritten: number,
  elapsed: () => number = () => performance.now(),
): Promise<string[]> {
  if (ds.options.type !== 'postgres' || tables.length === 0) return [];
  let byTables = paces.get(ds);
  if (!byTables) paces.set(ds, (byTables = new Map()));
  const key = [...tables].sort().join(',');
  const now = elapsed();
  const pace = byTables.get(key);
  if (pace) {
    pace.written += rowsWritten;
    if (pace.written <= pace.allowed && now - pace.checkedAt < ANALYZE_RECHECK_MS) return [];
  }
  const found = await analyzeStale(ds, tables);
  if (found) byTables.set(key, { written: 0, allowed: found.changesAllowed, checkedAt: now });
  else byTables.delete(key); // failed: the next call checks again
  return found?.stale ?? [];
}

/** The tables a stepping batch reads by key (their plans must follow the tables' sizes). */
export const STEPPING_TABLES = ['enrollments', 'sends', 'split_assignments', 'journey_steps', 'customers', 'customer_facts', 'customer_events'] as const;
