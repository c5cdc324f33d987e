/**
 * Runs async work one piece at a time, in call order (a promise-chain lock within one process).
 * The runtime puts the event intake's consumption and the in-process stepping of a batch behind
 * one: see engine-runtime.ts for why.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(work: () => Promise<T>): Promise<T> {
    const result = this.tail.then(work, work);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
