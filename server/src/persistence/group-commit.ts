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
 * Groups are also bounded by weight (`maxWeight`, the events of the requests with `weigh`): a
 * group takes requests while it weighs less, so a request as heavy as the bound is a group of its
 * own, and after a group that reached the bound the event loop turns once before the next. Why:
 * a write runs synchronously (statementTransaction), and while it runs the thread reads no
 * socket, answers no request and hands no body to the events parser thread. Four batches of
 * 1,000 events written as one group held the loop ~50 ms; the bodies that arrived meanwhile were
 * read and parsed only after it, while the thread waited for them, and each batch's answer waited
 * for the other three. Written one at a time with a loop turn between, the next bodies are read
 * and parsed while a batch is written, and each batch is answered as soon as it is committed.
 * Light groups (single events) are formed as before, with no turn between them.
 */
export class GroupCommit<I, O> {
  private queue: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private busy = false;
  private scheduled = false;
  /** Whether `pressing` was last told true. */
  private pressed = false;
  private unpress: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (inputs: I[]) => Promise<O[]>,
    private readonly maxGroup = 500,
    /** A group takes inputs while their weights add up to less than `maxWeight` (at least one input). */
    private readonly weigh: (input: I) => number = () => 0,
    private readonly maxWeight = Infinity,
    /**
     * Told true when a heavy group starts to be written, false once only light groups are written or
     * none has been for `lingerMs` (the next batch of a feed comes a few ms after the last one's answer).
     */
    private readonly pressing?: (on: boolean) => void,
    private readonly lingerMs = 50,
  ) {}

  private press(on: boolean): void {
    if (this.unpress) clearTimeout(this.unpress);
    this.unpress = null;
    if (on !== this.pressed) this.pressing?.((this.pressed = on));
  }

  /** The next group: the queue's first inputs, at most maxGroup, while they weigh less than maxWeight. Whether it reached maxWeight. */
  private nextGroup(): { group: GroupCommit<I, O>['queue']; heavy: boolean } {
    let n = 0;
    let weight = 0;
    while (n < this.queue.length && n < this.maxGroup && weight < this.maxWeight) weight += this.weigh(this.queue[n++].input);
    return { group: this.queue.splice(0, n), heavy: weight >= this.maxWeight };
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
        const { group, heavy } = this.nextGroup();
        if (this.pressing) this.press(heavy);
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
        // After a heavy group, a turn of the event loop: sockets read, bodies handed to the parser
        // thread and answers sent before the next write (see the class comment).
        if (heavy && this.queue.length > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      this.busy = false;
      if (this.pressed && !this.unpress) {
        this.unpress = setTimeout(() => this.press(false), this.lingerMs);
        this.unpress.unref();
      }
    }
  }
}
