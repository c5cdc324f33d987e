import { describe, expect, it } from '@jest/globals';
import { GroupCommit } from '../../server/src/persistence/group-commit.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A group commit that weighs heavyWeight or more (the events API: 1,000 events) tells `pressing`,
 * so that the engine thread holds back its turns of the write lock while batches are written back
 * to back; it is told the pressure ended once a light group is written or none for lingerMs.
 * Groups themselves are formed as before.
 */
describe('GroupCommit pressing', () => {
  function recorder(lingerMs = 20) {
    const groups: number[][] = [];
    const said: boolean[] = [];
    const commits = new GroupCommit<number, number>(
      async (inputs) => {
        groups.push(inputs);
        if (inputs.includes(-1)) throw new Error('refused');
        return inputs.map((i) => i * 10);
      },
      500,
      { weigh: (w) => Math.abs(w), heavyWeight: 1000, pressing: (on) => said.push(on), lingerMs },
    );
    return { commits, groups, said };
  }

  it('says so when a heavy group is written, and not again while batches follow each other', async () => {
    const { commits, groups, said } = recorder(300);
    expect(await Promise.all([600, 600].map((w) => commits.submit(w)))).toEqual([6000, 6000]);
    expect(groups).toEqual([[600, 600]]); // one group, as before
    expect(said).toEqual([true]);
    await commits.submit(1000);
    await commits.submit(1000);
    expect(said).toEqual([true]);
    await sleep(700);
    expect(said).toEqual([true, false]);
  });

  it('ends the pressure at once when a light group is written', async () => {
    const { commits, said } = recorder(10_000);
    await commits.submit(1000);
    await commits.submit(1);
    expect(said).toEqual([true, false]);
  });

  it('never presses for light groups (single events)', async () => {
    const { commits, groups, said } = recorder();
    await Promise.all(Array.from({ length: 600 }, () => commits.submit(1)));
    expect(groups.map((g) => g.length)).toEqual([500, 100]);
    await sleep(40);
    expect(said).toEqual([]);
  });

  it('ends the pressure after a heavy group that failed, its requests retried alone', async () => {
    const { commits, groups, said } = recorder();
    const out = await Promise.allSettled([1000, -1].map((w) => commits.submit(w)));
    expect(out.map((o) => o.status)).toEqual(['fulfilled', 'rejected']);
    expect(groups).toEqual([[1000, -1], [1000], [-1]]);
    await sleep(60);
    expect(said).toEqual([true, false]);
  });
});
