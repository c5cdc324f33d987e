import type { Principal } from './roles.js';

export type PublishDecision = 'approve' | 'reject' | 'withdraw';

/**
 * Who may decide a publish request (rules/shop.yaml `approval: {publish: true}`), or why not, in
 * words for the 403: approving and rejecting take a person signed in as admin who is not the one
 * who asked (four eyes: an API token or the requester's own account would make it one pair);
 * withdrawing, the one who asked or an admin. Null: allowed.
 */
export function whyMayNotDecide(p: Principal, requestedBy: string, decision: PublishDecision): string | null {
  if (decision === 'withdraw') {
    if (p.name === requestedBy || p.role === 'admin') return null;
    return `only ${requestedBy}, who asked, or an admin may withdraw this request`;
  }
  if (p.kind !== 'user') return 'a publish request is decided by a person signed in as admin, not by an API token';
  if (p.role !== 'admin') return 'only an admin may approve or reject a publish request';
  if (p.name === requestedBy) return `${requestedBy} asked for this publish: another admin must ${decision} it (publish approval needs two people)`;
  return null;
}
