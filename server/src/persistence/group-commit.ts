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
 */
export class GroupCommit<I, O> {
  private queue: { input: I; resolve(o: O): void; reject(e: unknown): void }[] = [];
  private busy = false;
  private scheduled = false;

  constructor(
    private readonly write: (inputs: I[]) => Promise<O[]>,
    private readonly maxGroup = 500,
  ) {}

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
    }
  }
}
