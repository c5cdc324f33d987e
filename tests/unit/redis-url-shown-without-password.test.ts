import { describe, expect, it } from '@jest/globals';
import { safeUrl } from '../../server/src/workers/queue-settings.js';

/**
 * The Redis address as the worker and scheduler print it (start-up line, "Redis at … (retrying)"):
 * without user and password. Cut at the first @, `redis://:p@ss@host` printed "redis://ss@host".
 */
describe('a Redis URL as the worker and scheduler print it', () => {
  it('drops the user and password, also one holding a raw @ or /', () => {
    expect(safeUrl('redis://feed:hunter2@127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(safeUrl('redis://:p@ss@127.0.0.1:6390')).toBe('redis://127.0.0.1:6390');
    expect(safeUrl('rediss://user:pa/ss@cache.internal:6380/2')).toBe('rediss://cache.internal:6380/2');
  });

  it('leaves an address without credentials as it is', () => {
    expect(safeUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
    expect(safeUrl('redis://cache:6379/1')).toBe('redis://cache:6379/1');
  });
});
