import { describe, expect, it } from '@jest/globals';
import { AttemptLimiter } from '../../server/src/core/access/attempt-limiter.js';

describe('AttemptLimiter (sign-in rate limit)', () => {
  it('allows `limit` attempts in the window, then says how long until the oldest falls out', () => {
    let now = 1_000_000;
    const l = new AttemptLimiter(3, 60_000, () => now);
    for (let i = 0; i < 3; i++) {
      expect(l.retryAfterSeconds('a')).toBe(0);
      l.record('a');
      now += 10_000;
    }
    // Attempts at 0 s, 10 s, 20 s; now 30 s: the first leaves the window at 60 s.
    expect(l.retryAfterSeconds('a')).toBe(30);
    expect(l.retryAfterSeconds('b')).toBe(0);
    now += 30_000;
    expect(l.retryAfterSeconds('a')).toBe(0);
  });

  it('forget clears a key, and memory stays bounded by maxKeys', () => {
    const l = new AttemptLimiter(1, 60_000, () => 0, 2);
    l.record('a');
    expect(l.retryAfterSeconds('a')).toBe(60);
    l.forget('a');
    expect(l.retryAfterSeconds('a')).toBe(0);
    l.record('a');
    l.record('b');
    l.record('c'); // 'a' is the least recently used: forgotten
    expect(l.retryAfterSeconds('a')).toBe(0);
    expect(l.retryAfterSeconds('c')).toBe(60);
  });
});
