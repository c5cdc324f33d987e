/**
 * The words for a group-size limit group in the send log. The stored group is the limit node's id
 * (`cap-every-year`, or `cap-every-year-1` for the first part of a split); an analyst reads the
 * case the switch gave ("A2 每年双十一都买"). That is the label of the switch case leading to the
 * limit node, else the limit node's own label.
 */
interface FlowShape {
  nodes?: { id: string; type?: string; label?: string; cases?: { label?: string; next?: string }[] }[];
}

export function groupCaseLabel(flow: FlowShape, group: string | null): string | null {
  if (!group) return null;
  // The limit node: the group itself, or the group without its split part (`-<n>`); ids may hold dashes.
  const limits = (flow.nodes ?? []).filter((n) => n.type === 'limit' && (group === n.id || new RegExp(`^${n.id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-\\d+$`).test(group)));
  const limit = limits.sort((a, b) => b.id.length - a.id.length)[0];
  if (!limit) return null;
  for (const n of flow.nodes ?? []) for (const c of n.cases ?? []) if (c.next === limit.id && c.label) return c.label;
  return limit.label ?? null;
}
