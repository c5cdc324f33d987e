import { connect, type Connection } from './connect.js';
import { clearEdgePaths, edgesThroughCards } from './edge-clearance.js';
import type { DraftFlow, Position } from './types.js';

/**
 * An edge the marketer drags by hand, drawn as auto layout draws its edges: no line through a
 * card. The canvas draws every edge as a curve from the branch's handle to the target's top, so
 * 不满足 dragged from a condition to the exit below the 老客礼物 card cut straight through that card
 * and read as "those customers get the gift". The card the new line would cross is moved aside
 * with its row (edge-clearance.ts, the rule auto layout follows), the line's own two cards stay
 * where the marketer put them, and no other card moves. `blocked` lists the cards the line still
 * crosses when no place beside it is clear (the caller says so).
 */
export function connectAround(flow: DraftFlow, positions: Record<string, Position>, c: Connection, labelOf: (key: string) => string = (k) => k): { flow: DraftFlow; positions: Record<string, Position>; blocked: string[] } {
  const next = connect(flow, c);
  if (next === flow) return { flow, positions, blocked: [] };
  const edge = `${c.source}:${c.sourceHandle}`;
  const moved = clearEdgePaths(next, positions, labelOf, (id) => id === edge);
  const blocked = edgesThroughCards(next, moved, labelOf).filter((h) => h.edge === edge).map((h) => h.card);
  // Positions unchanged keep their object: an edge that crosses nothing changes only the flow.
  const same = Object.keys(moved).every((id) => moved[id].x === positions[id]?.x && moved[id].y === positions[id]?.y);
  return { flow: next, positions: same ? positions : moved, blocked };
}
