/**
 * The engine never reads the wall clock directly: it is handed a Clock, so tests and
 * `rekindle simulate` can run days of journey time in seconds, deterministically.
 */
export interface Clock {
  /** Current instant in epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to. */
export class VirtualClock implements Clock {
  constructor(private current: number) {}
  now(): number {
    return this.current;
  }
  set(ms: number): void {
    if (ms < this.current) throw new Error(`VirtualClock cannot go back in time (${new Date(ms).toISOString()} < ${new Date(this.current).toISOString()})`);
    this.current = ms;
  }
  advance(ms: number): void {
    this.set(this.current + ms);
  }
}

/** A clock frozen at one instant (e.g. `--at 2026-11-01T00:00:00Z`). */
export function fixedClock(ms: number): Clock {
  return { now: () => ms };
}

export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;
