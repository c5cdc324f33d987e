import { parseDuration } from '../../flow/duration.js';
import type { NodeOfType } from '../../flow/schema.js';
import type { NodeExecutor } from '../executor.js';
import { nextLocalTime } from '../local-time.js';

/** When a wait entered at `since` ends. Pure: a restart recomputes the same instant. */
export function waitUntil(node: NodeOfType<'wait'>, since: number, timezone: string): number {
  if (node.duration) return since + parseDuration(node.duration);
  if (node.untilTime) return nextLocalTime(since, node.untilTime, timezone);
  return Date.parse(node.untilDate!);
}

export const waitExecutor: NodeExecutor<'wait'> = {
  type: 'wait',
  async execute(node, batch, ctx) {
    return batch.map((e) => {
      const until = waitUntil(node, e.nodeEnteredAt, ctx.timezone);
      return ctx.now >= until ? { kind: 'goto', edge: 'next', next: node.next, outcome: 'waited' } : { kind: 'sleep', until };
    });
  },
};
