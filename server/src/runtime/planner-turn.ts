import type { LeaseState, PlannerLease } from '../persistence/planner-lease.js';

/**
 * Whether this planner plans the coming tick (persistence/planner-lease.ts), saying once when it
 * starts standing by for another planner and once when it takes over: a planner that silently
 * skipped its ticks would look like one that had hung.
 */
export class PlannerTurn {
  private state: 'planning' | 'standby' | null = null;
  /** Who plans instead of this process while it stands by (null: this one plans, or has not asked yet). */
  holder: string | null = null;

  constructor(
    private readonly lease: PlannerLease,
    private readonly say: (line: string) => void,
  ) {}

  async take(): Promise<LeaseState> {
    const s = await this.lease.hold();
    if (s.held) {
      if (this.state === 'standby') this.say('planning now: the other planner of this shop has stopped');
      this.state = 'planning';
      this.holder = null;
    } else {
      if (this.state !== 'standby') this.say(`another planner plans this shop (${s.holder}); standing by, and taking over when it stops`);
      this.state = 'standby';
      this.holder = s.holder;
    }
    return s;
  }

  release(): Promise<void> {
    return this.lease.release();
  }
}
