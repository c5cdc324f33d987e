import type { Flow } from './schema.js';

/** What an approver reads of a journey asked to go live, before opening it: who enters, how many steps, which messages. */
export interface PublishRequestSummary {
  name: string;
  /** The entry: its kind and the segment or event it enters by. */
  trigger: { type: string; segment?: string; event?: string; startAt?: string };
  steps: number;
  /** Message steps by channel (sms: 2 — two SMS steps on its paths, not two per customer). */
  messages: Record<string, number>;
}

/** A checked journey summed up for its publish request (stored with it: what was asked, not what the file says later). */
export function publishRequestSummary(flow: Flow): PublishRequestSummary {
  const entry = flow.nodes.find((n) => n.type === 'entry');
  const t = (entry && 'trigger' in entry ? entry.trigger : { type: 'unknown' }) as { type: string; segment?: string; event?: string; startAt?: string };
  const trigger: PublishRequestSummary['trigger'] = { type: t.type };
  if (typeof t.segment === 'string') trigger.segment = t.segment;
  if (typeof t.event === 'string') trigger.event = t.event;
  if (typeof t.startAt === 'string') trigger.startAt = t.startAt;
  const messages: Record<string, number> = {};
  for (const n of flow.nodes) if (n.type === 'send') messages[n.channel] = (messages[n.channel] ?? 0) + 1;
  return { name: flow.name ?? flow.id, trigger, steps: flow.nodes.length, messages };
}
