import type { Channel } from '../data/model.js';
import { CapSchema, type Cap, type ContactPolicy, type QuietHours } from './schema.js';

/** A cap that limits some send of a flow, and where it is written (rules/policy.yaml or the flow's own `caps`). */
export type ApplicableCap = Cap & { source: 'policy' | 'flow' };

/** The parts of a flow (possibly an unfinished draft) that decide which caps bind it. */
export interface FlowSends {
  campaign?: unknown;
  caps?: unknown;
  nodes: { type?: unknown; channel?: unknown; fallback?: unknown; category?: unknown }[];
}

/**
 * The caps and quiet hours that would hold back a message of this flow: a cap counts (and caps)
 * only its channels and categories, so a shop-wide SMS cap says nothing to an email-only journey
 * and a marketing cap nothing to a transactional one. A fallback channel can send too, so it
 * counts. Campaign caps bind only a flow tagged with a campaign. Flow caps the draft has not got
 * right yet are left out: the flow's checks flag them, and such a flow cannot be published.
 * What the publish confirmation shows under "频次上限" (designer/src/model/publish-preview.ts).
 */
export function capsForFlow(policy: ContactPolicy, flow: FlowSends): { caps: ApplicableCap[]; quietHours: Partial<Record<Channel, QuietHours>> } {
  const channels = new Set<string>();
  const categories = new Set<string>();
  for (const n of flow.nodes) {
    if (n.type !== 'send') continue;
    if (typeof n.channel === 'string') channels.add(n.channel);
    if (typeof n.fallback === 'string') channels.add(n.fallback);
    categories.add(typeof n.category === 'string' ? n.category : 'marketing');
  }
  const own = (Array.isArray(flow.caps) ? flow.caps : []).flatMap((c) => {
    const parsed = CapSchema.safeParse(c);
    return parsed.success ? [parsed.data] : [];
  });
  const binds = (c: Cap) =>
    (!c.channels || c.channels.some((ch) => channels.has(ch))) && c.categories.some((cat) => categories.has(cat)) && (!c.campaign || typeof flow.campaign === 'string');
  const caps: ApplicableCap[] = [...policy.caps.filter(binds).map((c) => ({ ...c, source: 'policy' as const })), ...own.filter(binds).map((c) => ({ ...c, source: 'flow' as const }))];
  const quietHours: Partial<Record<Channel, QuietHours>> = {};
  for (const [ch, q] of Object.entries(policy.quietHours) as [Channel, QuietHours][]) if (channels.has(ch) && q.categories.some((cat) => categories.has(cat))) quietHours[ch] = q;
  return { caps, quietHours };
}
