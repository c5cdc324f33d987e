import type { PathProblem } from '../flow/problems.js';

/**
 * A journey's own cap may not take the id of a shop-wide cap (rules/policy.yaml): the send log
 * says `capped:<id>`, the designer names a held-back message by the cap's id, and the customer
 * view explains it by id too, so two caps with one id could not be told apart anywhere. Said on
 * the journey's cap id, naming both: the journey's cap and the shop's.
 */
export function checkFlowCapIds(flow: unknown, shopCapIds: readonly string[]): PathProblem[] {
  const caps = (flow as { caps?: unknown } | null)?.caps;
  if (!Array.isArray(caps) || !shopCapIds.length) return [];
  const out: PathProblem[] = [];
  caps.forEach((c, i) => {
    const id = (c as { id?: unknown } | null)?.id;
    const at = typeof id === 'string' ? shopCapIds.indexOf(id) : -1;
    if (at >= 0) out.push({ path: ['caps', i, 'id'], nodeId: null, severity: 'error', message: `caps.${i}.id: "${id}" is already the id of the shop-wide cap caps.${at} in rules/policy.yaml: give this journey's cap another id (the send log and the designer name a cap by its id)` });
  });
  return out;
}
