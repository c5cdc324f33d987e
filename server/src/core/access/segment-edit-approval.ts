import type { Principal } from './roles.js';

/**
 * Why a caller may not change a segment in place, in words for the 403, or null when they may.
 * A segment a live journey uses changes that journey's behaviour from its next run, with no
 * publish. With publish approval on (rules/shop.yaml `approval: {publish: true}`) a marketer's
 * publish waits for an admin; letting the marketer change who enters a live journey through its
 * segment would go around that. So the edit then takes an admin — the role whose approval puts a
 * journey live. A segment no live journey uses, or a shop without approval, needs a marketer (the
 * route's own rule).
 */
export function whyMayNotEditLiveSegment(p: Principal, approvalRequired: boolean, liveJourneys: readonly { flowId: string }[]): string | null {
  if (!editNeedsAdmin(approvalRequired, liveJourneys) || p.role === 'admin') return null;
  const names = liveJourneys.map((j) => j.flowId).join(', ');
  return `publish approval is on (rules/shop.yaml approval.publish) and live journeys use this segment (${names}): changing it changes them without a publish, so only an admin may change it`;
}

/**
 * Whether changing a segment takes an admin (publish approval on and a live journey uses it),
 * whoever asks: GET /api/segments says it per segment (`editNeedsAdmin`), so the designer can tell a
 * marketer before they start an edit the PUT would refuse, instead of after they confirm it.
 */
export function editNeedsAdmin(approvalRequired: boolean, liveJourneys: readonly unknown[]): boolean {
  return approvalRequired && liveJourneys.length > 0;
}
