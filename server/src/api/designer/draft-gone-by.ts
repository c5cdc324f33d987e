import type { AuditLog } from '../../persistence/audit-log.js';

/**
 * Who last published a flow or discarded its draft (the audit log's newest flow-published or
 * draft-discarded for it), and when: null when the log has neither. A 409 about a draft that is
 * gone names them, so the designer can tell "you, in another tab" from someone else.
 */
export async function draftGoneBy(audit: AuditLog, id: string): Promise<{ author: string; at: number } | null> {
  const found = await Promise.all((['flow-published', 'draft-discarded'] as const).map((action) => audit.list({ action, target: `flow:${id}`, limit: 1 })));
  const newest = found.flat().sort((a, b) => b.id - a.id)[0]; // by id: the order written (some entries are stamped by the wall clock, some by the shop's)
  return newest ? { author: newest.actor, at: newest.at } : null;
}
