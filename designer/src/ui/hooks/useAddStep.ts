import { appendAfter, everyArmTaken } from '../../model/append-after.js';
import { canAdd } from '../../model/connect.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../model/layout.js';
import { newNode } from '../../model/palette.js';
import { placeAdded } from '../../model/place-added.js';
import { withDefaultKind } from '../../model/send-kind.js';
import type { NodeType, Position } from '../../model/types.js';
import type { DrawingState } from './useDrawing.js';

/**
 * A step added from the palette: clicked (not dropped) with one step selected it goes after that
 * step, connected (model/append-after.ts), and a send takes the kind of where it is added
 * (model/send-kind.ts: a 催付 is 交易通知, not 营销); after a split or switch whose every arm leads on
 * it goes beside it, unconnected, and that is said; otherwise under the lowest step, or where it
 * was dropped. The new step is selected and its form opened (`openView`). Answers its id, or
 * undefined when it cannot be added (a second entry: said).
 */
export function useAddStep(d: DrawingState, say: (kind: 'ok' | 'error', text: string) => void, openView: (id: string) => void, t: (key: string) => string) {
  const { flow, positions, selected, setSelected } = d;
  return (type: NodeType, at?: Position): string | undefined => {
    const v = canAdd(flow, type);
    if (!v.ok) {
      say('error', t(v.reason));
      return undefined;
    }
    const n = newNode(flow, type);
    const after = !at && selected.length === 1 ? selected[0] : null;
    const appended = appendAfter(flow, after, n);
    const next = n.type === 'send' ? { ...appended, nodes: appended.nodes.map((x) => (x.id === n.id ? withDefaultKind(appended, x) : x)) } : appended;
    const placed = after && next.nodes.find((x) => x.id === after) !== flow.nodes.find((x) => x.id === after) ? positions[after] : undefined;
    if (placed && after) {
      d.commit({ flow: next, positions: placeAdded(next, positions, d.measured, after, n.id) });
      setSelected([n.id]);
      setTimeout(() => openView(n.id), 30);
      return n.id;
    }
    const besideFull = after && everyArmTaken(flow, after) && positions[after] ? { x: positions[after].x + NODE_WIDTH + 80, y: positions[after].y } : undefined;
    if (besideFull) say('ok', t('palette.everyArmTaken'));
    const lowest = flow.nodes.reduce<Position | null>((acc, x) => (!acc || positions[x.id]?.y > acc.y ? positions[x.id] : acc), null);
    const p = at ?? besideFull ?? (lowest ? { x: lowest.x, y: lowest.y + NODE_HEIGHT + 50 } : { x: 0, y: 0 });
    d.commit({ flow: next, positions: { ...positions, [n.id]: p } });
    setSelected([n.id]);
    if (!at) setTimeout(() => openView(n.id), 30);
    return n.id;
  };
}
