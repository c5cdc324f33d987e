/**
 * Group commit: requests that arrive while a write is under way are written together in the
 * next transaction, so fifty concurrent single-event requests cost one commit, not fifty.
 * If a group's transaction fails, each request of it is retried alone, so one bad request
 * never fails the others.
 *
 * The first request of a group does not start the write at once but at the end of the event
 * loop's current turn (setImmediate): every request whose bytes arrived in the same poll of the
 * sockets is parsed and validated in that turn and joins. Started at once (in the first
 * request's microtasks), the write ran before the next socket was even read, so under load each
 * group was one request and each request paid a whole transaction: BEGIN, COMMIT (the WAL
 * write), the write lock, the engine's nudge. The wait is one loop turn, not a timer.
 *
 * A group that weighs `heavyWeight` or more (`weigh`: the events API's events) tells `pressing` (GroupPressure):
 * while such groups are written back to back (batches of 1,000 events), the server's engine
 * thread holds back its turns of the write lock (shared-write-lock.ts ENGINE_DEFER_MS). Groups
 * are formed as before: splitting them (one batch a transaction, the loop turning between) was
 * tried and cost the request thread ~2 µs more CPU an event in the bench (more commits, fewer
 * index pages shared by one), with no rate gain shown.
 */
/**
 * Who is told when heavy groups are written back to back, and what makes a group heavy.
 * `pressing` is told true when a heavy group starts to be written, false once a light group is
 * written or none has been for `lingerMs` (the next batch of a feed comes a few ms after the last
 * one's answer).
 */
export interface GroupPressure<I> {
  weigh(input: I): number;
  heavyWeight: number;
  pressing(on: boolean): void;
  lingerMs?: number;
}

export class GroupCommit<I, O> {
  private queue: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private busy = false;
  private scheduled = false;
  /** Whether `pressure.pressing` was last told true. */
  private pressed = false;
  private unpress: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (inputs: I[]) => Promise<O[]>,
    private readonly maxGroup = 500,
    private readonly pressure?: GroupPressure<I>,
  ) {}

  private press(on: boolean): void {
    if (this.unpress) clearTimeout(this.unpress);
    this.unpress = null;
    if (on !== this.pressed) this.pressure?.pressing((this.pressed = on));
  }

  submit(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.busy && !this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (!this.busy) void this.run();
        });
      }
    });
  }

  private async run(): Promise<void> {
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        const group = this.queue.splice(0, this.maxGroup);
        const pressure = this.pressure;
        if (pressure) this.press(group.reduce((w, g) => w + pressure.weigh(g.input), 0) >= pressure.heavyWeight);
        try {
          const out = await this.write(group.map((g) => g.input));
          group.forEach((g, i) => g.resolve(out[i]));
        } catch (e) {
          if (group.length === 1) group[0].reject(e);
          else
            for (const g of group) {
              try {
                g.resolve((await this.write([g.input]))[0]);
              } catch (e1) {
                g.reject(e1);
              }
            }
        }
      }
    } finally {
      this.busy = false;
      if (this.pressed && !this.unpress) {
        this.unpress = setTimeout(() => this.press(false), this.pressure?.lingerMs ?? 50);
        this.unpress.unref();
      }
    }
  }
}
