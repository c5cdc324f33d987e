import { describe, expect, it } from '@jest/globals';
import { ApiError, NoAnswer } from '../../designer/src/api-error.js';
import { retried, worthRetrying } from '../../designer/src/model/retried.js';

/** The designer's catalogue loads (the step forms' schema above all) are tried again when the server could not answer. */
describe('the designer asks again for what it cannot do without', () => {
  const failingTimes = (n: number, err: unknown) => {
    let calls = 0;
    return { load: async () => (++calls <= n ? Promise.reject(err) : 'schema'), calls: () => calls };
  };
  const slept: number[] = [];
  const sleep = async (ms: number) => void slept.push(ms);

  it('gets the answer after failed connections and 5xx, waiting longer each time', async () => {
    slept.length = 0;
    const f = failingTimes(2, new NoAnswer(new TypeError('Failed to fetch')));
    await expect(retried(f.load, { waits: [10, 20, 40], sleep })).resolves.toBe('schema');
    expect(f.calls()).toBe(3);
    expect(slept).toEqual([10, 20]);
    const g = failingTimes(1, new ApiError(503, 'Service Unavailable'));
    await expect(retried(g.load, { waits: [10], sleep })).resolves.toBe('schema');
  });

  it('gives up after its last wait, with the last failure', async () => {
    const f = failingTimes(9, new ApiError(502, 'Bad Gateway'));
    await expect(retried(f.load, { waits: [1, 1], sleep })).rejects.toThrow('Bad Gateway');
    expect(f.calls()).toBe(3);
  });

  it('does not ask again what the server refused (4xx is an answer)', async () => {
    const f = failingTimes(1, new ApiError(403, 'Forbidden'));
    await expect(retried(f.load, { waits: [1, 1], sleep })).rejects.toThrow('Forbidden');
    expect(f.calls()).toBe(1);
    expect(worthRetrying(new ApiError(401, 'x'))).toBe(false);
    expect(worthRetrying(new NoAnswer(new TypeError('Failed to fetch')))).toBe(true);
  });
});
