import { describe, expect, it } from '@jest/globals';
import type { Flow } from '../../server/src/core/flow/schema.js';
import { asSimulatedFlow, simulatedAtOf, simulatedFlowId, withSimulations } from '../../server/src/runtime/simulated-flow.js';

const flow = {
  id: 'launch',
  name: '新品',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'fans', startAt: '2026-11-01T10:00:00+08:00' }, next: 'ab' },
    { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'done' }, { id: 'b', weight: 50, next: 'done' }] },
    { id: 'salted', type: 'split', salt: 'own', arms: [{ id: 'a', weight: 100, next: 'done' }] },
    { id: 'done', type: 'exit' },
  ],
} as unknown as Flow;

describe('the flow a simulation runs (runtime/simulated-flow.ts)', () => {
  it('has an id no real flow can have, so nothing of the live flow is counted as its own', () => {
    expect(simulatedFlowId('launch')).toBe('launch~simulated');
    expect(/^[a-z0-9][a-z0-9-]*$/.test(simulatedFlowId('launch'))).toBe(false);
    expect(asSimulatedFlow(flow).id).toBe('launch~simulated');
  });

  it("puts customers in the arms the live flow would: a split without a salt gets the live id's", () => {
    const nodes = asSimulatedFlow(flow).nodes as unknown as { id: string; salt?: string }[];
    expect(nodes.find((n) => n.id === 'ab')!.salt).toBe('launch/ab');
    expect(nodes.find((n) => n.id === 'salted')!.salt).toBe('own');
    expect((flow.nodes[1] as unknown as { salt?: string }).salt).toBeUndefined(); // the flow given is not changed
  });
});

describe("a flow's figures on a simulation's copy (runtime/simulated-flow.ts)", () => {
  const NOW = 1_000_000;
  it("are the simulation's, up to its last step, when read by its simulation id or when its last step is ahead of the clock; else live (null)", () => {
    expect(simulatedAtOf('launch', 'launch~simulated', NOW + 5, NOW)).toBe(NOW + 5);
    // A simulation that ended before the clock on its copy is still the simulation's (as the home reads it).
    expect(simulatedAtOf('launch', 'launch~simulated', NOW, NOW)).toBe(NOW);
    // Run straight into the database under the flow's own id, ahead of the clock.
    expect(simulatedAtOf('launch', 'launch', NOW + 5, NOW)).toBe(NOW + 5);
    expect(simulatedAtOf('launch', 'launch', NOW, NOW)).toBeNull();
  });

  it("lists each flow with whether its simulation is here, without the simulation's own row beside it", () => {
    const rows = [{ id: 'launch' }, { id: 'launch~simulated' }, { id: 'other' }, { id: 'orphan~simulated' }];
    expect(withSimulations(rows)).toEqual([
      { id: 'launch', simulated: true },
      { id: 'other', simulated: false },
      // Its flow is not listed (no file, never published here): kept, as the journeys home keeps it.
      { id: 'orphan~simulated', simulated: false },
    ]);
  });
});
