/**
 * jest loads test files as ES modules through node:vm, which Node 20 still calls experimental and
 * warns about once per worker — at whatever moment the first module is linked. A test that captures
 * stderr (the in-process `cli` helper does) then saw "VM Modules is an experimental feature" as the
 * CLI's own output and failed at random. `npm test` and `npm run test:jest` switch that warning off.
 */
import { describe, expect, it, jest } from '@jest/globals';

describe('the test harness', () => {
  it('prints no ExperimentalWarning into a test that captures stderr', async () => {
    let stderr = '';
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    try {
      process.emitWarning('a harness probe', 'ExperimentalWarning');
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      err.mockRestore();
    }
    expect(stderr).toBe('');
  });
});
