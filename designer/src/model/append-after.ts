import { continuingBranch } from './continuing-branch.js';
import { hasInput, outputsOf, targetOf, withTarget } from './handles.js';
import type { DraftFlow, DraftNode, Position } from './types.js';

/**
 * A step clicked in the palette while another is selected goes after it, connected, as a marketer
 * building a journey top to bottom expects (it used to land unconnected at the bottom, leaving a
 * line to draw for every step). The selected step's `next` (or its first free branch; its first
 * branch when every one is taken) now leads to the new step; what that branch led to before
 * follows the new step through the branch that goes on (its only one, a condition's 是:
 * continuing-branch.ts), so the step is inserted, not spliced off. A step that has no way out (结束) or a new entry is added unconnected.
 * Under a 等待响应 a step goes on 超时 and a 结束 on 已响应 while that branch is free: the next touch
 * is for the customers who did not answer (walkthrough twelve: a win-back's SMS added under the
 * email's wait went on 已响应, the first free branch — to the customers who had just come back —
 * while those who did not answer got nothing).
 */
export function appendAfter(flow: DraftFlow, selectedId: string | null | undefined, added: DraftNode): DraftFlow {
  const selected = flow.nodes.find((n) => n.id === selectedId);
  const outs = selected ? outputsOf(selected) : [];
  if (!selected || !outs.length || !hasInput(added) || everyArmTaken(flow, selectedId)) return { ...flow, nodes: [...flow.nodes, added] };
  const free = (id: string) => outs.find((h) => h.id === id && !targetOf(selected, id));
  const handle = outs.find((h) => h.id === 'next') ?? (selected.type === 'waitForEvent' ? free(added.type === 'exit' ? 'responded' : 'timedOut') : undefined) ?? outs.find((h) => !targetOf(selected, h.id)) ?? outs[0];
  const before = targetOf(selected, handle.id);
  const keeps = continuingBranch(added);
  const next = before && keeps ? withTarget(added, keeps, before) : added;
  return { ...flow, nodes: [...flow.nodes.map((n) => (n.id === selected.id ? withTarget(n, handle.id, added.id) : n)), next] };
}

/**
 * The selected step is an A/B split or a switch whose every arm (case) already leads somewhere. A
 * step added after it went onto its first arm, cutting in before what 方案 A led to: only that
 * arm's customers then got it, which no marketer adding "the next step" meant (walkthrough). Such
 * a step is added unconnected beside the split, and the designer says to draw the line to the arm
 * it is for.
 */
export function everyArmTaken(flow: DraftFlow, selectedId: string | null | undefined): boolean {
  const selected = flow.nodes.find((n) => n.id === selectedId);
  if (!selected || (selected.type !== 'split' && selected.type !== 'switch')) return false;
  const outs = outputsOf(selected);
  return outs.length > 0 && outs.every((h) => targetOf(selected, h.id) !== undefined);
}

/** Every position below `y` moved down by `by`: room for a step inserted under the one at `y`. */
export function shiftedBelow(positions: Record<string, Position>, y: number, by: number): Record<string, Position> {
  return Object.fromEntries(Object.entries(positions).map(([id, p]) => [id, p.y > y ? { ...p, y: p.y + by } : p]));
}
