import { localDate } from '../../facts/season.js';
import type { NodeExecutor } from '../executor.js';
import { zonedInstant } from '../local-time.js';
import type { StepResult } from '../model.js';

/** Midnight (shop time zone) of the day `at` falls on, and of the next day. */
function dayBounds(at: number, timezone: string): { start: number; next: number } {
  const d = localDate(at, timezone);
  const start = zonedInstant(d.year, d.month, d.day, 0, 0, timezone);
  const n = localDate(start + 36 * 3_600_000, timezone);
  return { start, next: zonedInstant(n.year, n.month, n.day, 0, 0, timezone) };
}

/**
 * A group-size limit on the customers who reach this point — after a branch or an experiment
 * arm (entry audiences have their own `limit` on the entry node). Double 11 keeps every group
 * to 30,000 so each group's response can be analysed (seed 001):
 * - split: consecutive sub-groups of at most `max` (`<node>-1`, `<node>-2`…), in arrival order
 *   and customer-id order within a batch, so the same run always groups the same way;
 * - keep: the first `max` go on; later ones take `overflow` or leave the journey;
 * - spread: `max` per day (shop time zone); the rest wait for the next day.
 * The group is recorded on the enrollment, so its messages carry it into the send log.
 * Counts are read from the journey log at the start of each batch; ticks of one process never
 * overlap, so batches never race. (With several worker processes this needs a locked counter.)
 */
export const limitExecutor: NodeExecutor<'limit'> = {
  type: 'limit',
  async execute(node, batch, ctx) {
    const day = dayBounds(ctx.now, ctx.timezone);
    let passed = await ctx.passedLimit(node.id, node.mode === 'spread' ? day.start : 0);
    return batch.map((): StepResult => {
      if (node.mode === 'split') {
        const group = `${node.id}-${Math.floor(passed / node.max) + 1}`;
        passed++;
        return { kind: 'goto', edge: 'next', next: node.next, outcome: `group:${group}`, group, detail: { group, max: node.max } };
      }
      if (passed < node.max) {
        passed++;
        return { kind: 'goto', edge: 'next', next: node.next, outcome: `group:${node.id}`, group: node.id, detail: { group: node.id, max: node.max } };
      }
      if (node.mode === 'spread') return { kind: 'sleep', until: day.next, log: { outcome: 'deferred:group-full', detail: { max: node.max, perDay: true } } };
      if (node.overflow) return { kind: 'goto', edge: 'overflow', next: node.overflow, outcome: 'group-full', detail: { max: node.max } };
      return { kind: 'exit', reason: 'group-full', goal: false, detail: { max: node.max } };
    });
  },
};
