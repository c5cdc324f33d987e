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
 * Counts live in a counter row per node (and day, for spread), read and locked by the batch and
 * moved on in its commit: worker processes stepping the same node at once wait for each other
 * instead of both handing out the last place.
 */
export const limitExecutor: NodeExecutor<'limit'> = {
  type: 'limit',
  async execute(node, batch, ctx) {
    const day = dayBounds(ctx.now, ctx.timezone);
    const windowStart = node.mode === 'spread' ? day.start : 0;
    const before = await ctx.limitCount(node.id, windowStart);
    let passed = before;
    // Everyone let into the same group gets the same answer: one result (and one log detail) per
    // group of the batch, not an object, two strings and a detail per enrollment.
    let kept: { n: number; result: StepResult } | null = null;
    const into = (n: number, group: string): StepResult => {
      if (kept?.n !== n) kept = { n, result: { kind: 'goto', edge: 'next', next: node.next, outcome: `group:${group}`, group, detail: { group, max: node.max } } };
      return kept.result;
    };
    const results = batch.map((): StepResult => {
      if (node.mode === 'split') {
        const n = Math.floor(passed / node.max) + 1;
        passed++;
        return kept?.n === n ? kept.result : into(n, `${node.id}-${n}`);
      }
      if (passed < node.max) {
        passed++;
        return kept?.n === 0 ? kept.result : into(0, node.id);
      }
      if (node.mode === 'spread') return { kind: 'sleep', until: day.next, log: { outcome: 'deferred:group-full', detail: { max: node.max, perDay: true } } };
      if (node.overflow) return { kind: 'goto', edge: 'overflow', next: node.overflow, outcome: 'group-full', detail: { max: node.max } };
      return { kind: 'exit', reason: 'group-full', goal: false, detail: { max: node.max } };
    });
    if (passed > before) ctx.addToLimit(node.id, windowStart, passed - before);
    return results;
  },
};
