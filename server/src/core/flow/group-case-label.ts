/**
 * The words for a group-size limit group in the send log. The stored group is the limit node's id
 * (`cap-every-year`, or `cap-every-year-1` for the first part of a split); an analyst reads the
 * case the switch gave ("A2 每年双十一都买"). That is the label of the switch case leading to the
 * limit node, else the limit node's own label.
 */
interface FlowShape {
  nodes?: { id: string; type?: string; label?: string; cases?: { label?: string; next?: string }[] }[];
}

// An export names the group of every send row (1.5M rows for Double 11 at 1M customers) against a
// handful of flows and groups: the answer is kept per flow object and group, so the nodes are
// scanned once per pair, not once per row.
const labels = new WeakMap<FlowShape, Map<string, string | null>>();

export function groupCaseLabel(flow: FlowShape, group: string | null): string | null {
  if (!group) return null;
  let known = labels.get(flow);
  if (!known) labels.set(flow, (known = new Map()));
  const hit = known.get(group);
  if (hit !== undefined) return hit;
  const label = labelOf(flow, group);
  known.set(group, label);
  return label;
}

function labelOf(flow: FlowShape, group: string): string | null {
  // The limit node: the group itself, or the group without its split part (`-<n>`); ids may hold dashes.
  const limits = (flow.nodes ?? []).filter((n) => n.type === 'limit' && (group === n.id || isSplitPart(group, n.id)));
  const limit = limits.sort((a, b) => b.id.length - a.id.length)[0];
  if (!limit) return null;
  for (const n of flow.nodes ?? []) for (const c of n.cases ?? []) if (c.next === limit.id && c.label) return c.label;
  return limit.label ?? null;
}

function isSplitPart(group: string, limitId: string): boolean {
  return group.length > limitId.length + 1 && group.startsWith(`${limitId}-`) && /^\d+$/.test(group.slice(limitId.length + 1));
}
