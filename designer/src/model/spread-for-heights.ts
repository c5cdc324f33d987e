import { NODE_HEIGHT } from './layout.js';
import type { Position } from './types.js';

type Size = { width: number; height: number };

/**
 * Where the cards go while figures are shown on them (simulation or live counts): a card grows by
 * its figures, and laid out for NODE_HEIGHT it covered the card below it (payment-reminder after
 * 模拟: 「24 小时第二次催付（短信）」 over 「等待 1 天」). Each card moves down by what the cards
 * above it in its column grew, so every gap stays as drawn. For display only: the saved layout
 * keeps the positions as drawn, and the figures going away puts the cards back.
 */
export function spreadForHeights(positions: Record<string, Position>, sizes: Record<string, Size | undefined>, base = NODE_HEIGHT): Record<string, Position> {
  const ids = Object.keys(positions).sort((a, b) => positions[a].y - positions[b].y || positions[a].x - positions[b].x);
  const width = (id: string) => sizes[id]?.width ?? 0;
  const grew = (id: string) => Math.max(0, (sizes[id]?.height ?? base) - base);
  const shift: Record<string, number> = {};
  const out: Record<string, Position> = {};
  ids.forEach((id, i) => {
    const p = positions[id];
    let by = 0;
    for (const above of ids.slice(0, i)) {
      const q = positions[above];
      const sameColumn = q.x < p.x + Math.max(width(id), 1) && p.x < q.x + Math.max(width(above), 1);
      if (q.y < p.y && sameColumn) by = Math.max(by, shift[above] + grew(above));
    }
    shift[id] = by;
    out[id] = by ? { x: p.x, y: p.y + by } : p;
  });
  return out;
}
