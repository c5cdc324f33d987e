/**
 * `rekindle simulate` printed "kept out at entry: reentry-never 3285786" in a shop of 20,000: a raw
 * reason key, every flow of the copy together, and a number that counts refusals at each hourly
 * run, not customers. Now: per flow, each reason in words, and what the number counts.
 */
import { describe, expect, it } from '@jest/globals';
import { formatLimits } from '../../server/src/cli/commands/simulate.js';
import { entryRefusalWords } from '../../server/src/core/engine/entry-refusal-words.js';
import type { SimulationSummary } from '../../server/src/core/engine/simulation.js';

const summary = (s: Partial<SimulationSummary>): SimulationSummary => ({ ticks: 385, eventsReplayed: 0, enrolled: 0, steps: 0, queued: 0, refused: {}, refusedByFlow: {}, groups: {}, deferredEntries: 0, ...s });

describe('what simulate says of the customers kept out at entry', () => {
  it('says each reason in words per flow, with what the number counts (refusals at each run of a schedule, not customers)', () => {
    const lines = formatLimits(
      summary({
        refused: { 'reentry-never': 3285786, 'event-too-old': 12 },
        refusedByFlow: {
          'sleeping-reactivation': { runs: 384, trigger: 'schedule:sleeping-reactivation-candidates', refused: { 'reentry-never': 3285786 } },
          'payment-reminder': { runs: 40, trigger: 'event:order_created', refused: { 'event-too-old': 12, 'reentry-after-30d': 3 } },
        },
      }),
    );
    expect(lines).toEqual([
      'kept out at entry of sleeping-reactivation (refusals over 384 entry run(s): the segment is checked again at every run, so a customer kept out at each run counts once a run):',
      '  3,285,786 had been in this journey before, and it lets nobody in twice (re-entry: never)',
      'kept out at entry of payment-reminder (refusals, one per order_created event):',
      "  12 came with an event older than the trigger's maxAge",
      '  3 had entered within the last 30 days (re-entry only after 30 days)',
    ]);
    expect(lines.join('\n')).not.toMatch(/reentry-never|event-too-old/);
  });

  it('names a flow simulated under its simulation id by its name', () => {
    const lines = formatLimits(summary({ refusedByFlow: { 'double11-campaign~simulated': { runs: 1, trigger: 'audience:d11', refused: { 'group-full': 5 } } } }));
    expect(lines[0]).toMatch(/^kept out at entry of double11-campaign \(refusals over 1 entry run/);
    expect(lines[1]).toBe("  5 found the entry's group-size limit full");
  });

  it('has words for every reason the entry policy gives', () => {
    for (const r of ['reentry-never', 'already-in-journey', 'group-full', 'event-too-old', 'reentry-after-7d']) expect(entryRefusalWords(r)).not.toContain(r);
  });
});
