/**
 * At most `limit` attempts per key within a sliding window (a log of attempt times per key).
 * The caller asks `retryAfterSeconds` and records only attempts it lets through, so a refused
 * attempt is not counted and a caller who waits Retry-After always gets through.
 * Memory is bounded: keys whose attempts have all expired are swept, and past `maxKeys` the
 * oldest keys are forgotten first.
 */
export class AttemptLimiter {
  private readonly hits = new Map<string, number[]>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxKeys = 100_000,
  ) {}

  /** Seconds until `key` may try again: 0 when an attempt now is allowed. Counts nothing. */
  retryAfterSeconds(key: string): number {
    const now = this.now();
    const live = this.live(key, now);
    return live.length < this.limit ? 0 : Math.max(1, Math.ceil((live[0] + this.windowMs - now) / 1000));
  }

  /** Counts an attempt by `key`. */
  record(key: string): void {
    const now = this.now();
    this.sweep(now);
    const live = this.live(key, now);
    live.push(now);
    this.hits.delete(key); // re-inserted last: Map order is then least recently used first
    this.hits.set(key, live);
    while (this.hits.size > this.maxKeys) this.hits.delete(this.hits.keys().next().value as string);
  }

  /** Forgets `key`'s attempts (e.g. a successful sign-in clears that account's failures). */
  forget(key: string): void {
    this.hits.delete(key);
  }

  private live(key: string, now: number): number[] {
    return (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    for (const [k, ts] of this.hits) if (ts[ts.length - 1] <= now - this.windowMs) this.hits.delete(k);
  }
}
