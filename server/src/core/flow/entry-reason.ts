import type { Flow } from './schema.js';

/**
 * Why a journey of `flow` let its customer in, in words: the entry's trigger and the segment it
 * checks, by its title when the segment has one — "in segment 沉睡唤醒候选客户
 * (sleeping-reactivation-candidates) at the daily 10:00 run". `rekindle explain` prints it on the
 * entry step, so a shop answering "why did I get this SMS" can say which rule the customer met
 * (the step alone said "entered"). Null when the version has no entry (never for a published flow).
 */
export function entryReason(flow: Pick<Flow, 'nodes'>, titleOf: (segment: string) => string | null): string | null {
  const entry = flow.nodes.find((n) => n.type === 'entry');
  if (!entry || entry.type !== 'entry') return null;
  const t = entry.trigger;
  const segment = (name: string) => {
    const title = titleOf(name);
    return title ? `${title} (${name})` : name;
  };
  if (t.type === 'schedule') return `in segment ${segment(t.segment)} at the ${t.every === 'hour' ? 'hourly' : `daily ${t.at}`} run`;
  if (t.type === 'audience') return `in the one-off audience ${segment(t.segment)} at its start`;
  return `on event ${t.event}${t.segment ? `, being in segment ${segment(t.segment)}` : ''}`;
}
