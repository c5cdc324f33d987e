import { describe, expect, it } from '@jest/globals';
import { ReaderGate } from '../../server/src/runtime/reader-gate.js';

describe('the reader gate between the SQL reader thread and the WAL checkpointer', () => {
  it('tells the checkpointer whether any reader thread is alive to hold back', () => {
    const gate = new ReaderGate();
    expect(gate.hasReaders()).toBe(false);
    gate.readerStarted();
    expect(gate.hasReaders()).toBe(true);
    gate.readerGone();
    expect(gate.hasReaders()).toBe(false);
  });

  it('forgets the query of a reader thread terminated in its middle once the last reader is gone', () => {
    const gate = new ReaderGate();
    gate.readerStarted();
    gate.readerStarted();
    gate.enter(); // one thread's query under way…
    gate.readerGone(); // …another thread exits: the query may be the survivor's, so it still counts
    let t = performance.now();
    expect(gate.hold(30)).toBe(false);
    expect(performance.now() - t).toBeGreaterThanOrEqual(25);
    gate.release();
    gate.readerGone(); // the last one: terminated without leaving its query
    t = performance.now();
    expect(gate.hold(1_000)).toBe(true);
    expect(performance.now() - t).toBeLessThan(100);
    gate.release();
  });
});
