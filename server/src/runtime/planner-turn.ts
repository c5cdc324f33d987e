import type { LeaseState, PlannerLease } from '../persistence/planner-lease.js';

/**
 * Whether this planner plans the coming tick (persistence/planner-lease.ts), saying once when it
 * starts standing by for another planner and once when it takes over: a planner that silently
 * skipped its ticks would look like one that had hung.
 */
export class PlannerTurn {
  private state: 'planning' | 'standby' | null = null;

  constructor(
    private readonly lease: PlannerLease,
    private readonly say: (line: string) => void,
  ) {}

  async take(): Promise<LeaseState> {
    const lost = this.lease.lostWhy();
    if (lost !== null) {
      // PostgreSQL ended the lease's session (and so let the lock go): another planner may have taken it.
      this.say(`lost the planner lease: its PostgreSQL connection ended (${lost}); taking it again if it is free`);
      this.state = null;
    }
    const s = await this.lease.hold();
    if (s.held) {
      if (this.state === 'standby') this.say('planning now: the other planner of this shop has stopped or lost its PostgreSQL connection');
      this.state = 'planning';
    } else {
      if (this.state !== 'standby') this.say(`another planner plans this shop (${s.holder}); standing by, and taking over when it stops`);
      this.state = 'standby';
    }
    return s;
  }

  /**
   * Why this planner must hand out no more batches in the tick under way (the lease's connection
   * ended mid-tick), or null. Checked before each batch is queued: a tick can run for minutes, and
   * the planner that takes the lease over meanwhile would plan the same journeys beside it.
   */
  readonly lostLease = (): string | null => {
    const why = this.lease.lostWhy();
    return why === null ? null : `this planner lost the planner lease in the middle of its tick (its PostgreSQL connection ended: ${why}); it queues no more batches, and the journeys left are planned by whoever holds the lease`;
  };

  /**
   * The lease for one tick by hand on a server that does not plan (REKINDLE_PLANNER=off): taken
   * only if free, said nothing about, and let go by `release()` after the tick, so the shop's
   * scheduler takes it again at its next tick.
   */
  borrow(): Promise<LeaseState> {
    return this.lease.hold();
  }

  release(): Promise<void> {
    return this.lease.release();
  }
}

/**
 * A tick asked for by hand (`POST /api/engine/tick`) while another process holds the shop's
 * planner lease: it would plan the same due journeys beside that planner.
 */
export class AnotherPlannerPlans extends Error {
  constructor(readonly holder: string) {
    super(`another planner plans this shop (${holder}): its next tick runs what is due; a tick here would plan the same journeys beside it`);
  }
}
