import { hostname } from 'node:os';
import type { DataSource, QueryRunner } from 'typeorm';

/** Any constant (the migration lock's is 7_311_202_611): the key of the advisory lock the planning process holds. */
const PLANNER_LOCK_KEY = 7_311_202_612;

/** Whether this process is the shop's planner now; if not, who is (as PostgreSQL sees it). */
export type LeaseState = { held: true } | { held: false; holder: string };

/**
 * The right to plan a shop's ticks on PostgreSQL: a session-level advisory lock on a connection of
 * its own, so exactly one of the shop's planners (the server's ticker, `rekindle scheduler`) plans
 * at a time and the others stand by. PostgreSQL releases the lock when the holder's session ends
 * (the process stopped, crashed or lost its connection), and a standby takes it at its next tick.
 * Two planners used to plan side by side unnoticed: nothing was stepped twice (a worker re-reads
 * and locks each batch's rows and steps only those still due), but every due batch was queued and
 * read twice. The database's own lock, not one of ours: nothing to clean up after a crash.
 */
export class PlannerLease {
  private runner: QueryRunner | null = null;
  private held = false;
  /** Why the lease's connection ended under this process (pg_terminate_backend, PostgreSQL restarted, network); null while it lives. */
  private ended: string | null = null;

  /** `who` names this process to the others (`rekindle scheduler 4242`), with this machine's name. */
  constructor(
    private readonly ds: DataSource,
    private readonly who: string,
  ) {}

  /**
   * Takes the lease if it is free, or checks that the connection holding it is still alive (if
   * it died, PostgreSQL has released the lock: this process is not the planner until it takes it
   * again). Throws when PostgreSQL cannot be reached; the next call starts over on a new connection.
   */
  async hold(): Promise<LeaseState> {
    try {
      if (this.ended !== null) await this.drop();
      if (!this.runner) {
        this.runner = this.ds.createQueryRunner();
        const client = (await this.runner.connect()) as { once?(event: string, listener: (e?: Error) => void): unknown } | undefined;
        // The session (and with it the lock) can end between two ticks or in the middle of one:
        // told at once, so the planner stops handing out batches (lostWhy) instead of planning
        // beside the one that takes the lease over.
        const runner = this.runner;
        const lost = (e?: Error) => {
          if (this.runner === runner && this.ended === null) this.ended = e?.message || 'the connection closed';
        };
        client?.once?.('error', lost);
        client?.once?.('end', lost);
        // pg_stat_activity shows it to the planners standing by: they name the holder.
        await this.runner.query(`SELECT set_config('application_name', $1, false)`, [`${this.who} on ${hostname()}`.slice(0, 63)]);
      }
      if (this.held) {
        await this.runner.query('SELECT 1');
        return { held: true };
      }
      const [row] = await this.runner.query('SELECT pg_try_advisory_lock($1) AS ok', [PLANNER_LOCK_KEY]);
      this.held = row.ok === true;
      return this.held ? { held: true } : { held: false, holder: await this.holder() };
    } catch (e) {
      await this.drop();
      throw e;
    }
  }

  /** Why the lease this process held was lost (its connection ended), or null: held, or never held. */
  lostWhy(): string | null {
    return this.held ? this.ended : null;
  }

  /** Lets the lease go (a planner stopping): a standby takes it at its next tick instead of when the session times out. */
  async release(): Promise<void> {
    // Unlocked in its session first: ending the session frees the lock too, but only once the backend
    // has gone, a moment after the client hung up — a standby or /metrics asking at once still saw it held.
    if (this.held && this.ended === null) await this.runner?.query('SELECT pg_advisory_unlock($1)', [PLANNER_LOCK_KEY]).catch(() => undefined);
    await this.drop();
  }

  private async holder(): Promise<string> {
    return (await plannerOf((sql, params) => this.runner!.query(sql, params))) ?? 'another planner, which has just stopped';
  }

  private async drop(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    this.held = false;
    this.ended = null;
    // Ending the session releases the lock. Released with an error, pg's pool closes the connection
    // instead of lending it on (still holding the lock, and named after this planner).
    const pg = runner as (QueryRunner & { releasePostgresConnection?(err?: Error): Promise<void> }) | null;
    await (pg?.releasePostgresConnection ? pg.releasePostgresConnection(new Error('planner lease let go')) : pg?.release())?.catch(() => undefined);
  }
}

/**
 * Who holds the shop's planner lease now, as the standing-by planners name it (`rekindle scheduler
 * 4242 on web-1 from 10.0.0.5, PostgreSQL backend 8812`), or null when no process plans this shop.
 * For /metrics and readiness on any server of the shop, planner or not.
 */
export async function plannerOf(query: (sql: string, params: unknown[]) => Promise<unknown>): Promise<string | null> {
  const rows = (await query(
    `SELECT a.pid, a.application_name AS app, host(a.client_addr) AS addr
       FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.classid::bigint * 4294967296 + l.objid::bigint = $1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    [PLANNER_LOCK_KEY],
  )) as { pid: number; app: string | null; addr: string | null }[];
  const h = rows[0];
  return h ? `${h.app || 'an unnamed client'}${h.addr ? ` from ${h.addr}` : ''}, PostgreSQL backend ${h.pid}` : null;
}
