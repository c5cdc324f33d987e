import type { Connection as RfConnection, EdgeChange, NodeChange } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { tickGroups } from '../../model/tick-group.js';
import { canConnect, disconnect, removeNodes } from '../../model/connect.js';
import { connectAround } from '../../model/connect-around.js';
import { checkpoint, editGroup, record, redo, replace, start, undo, type History } from '../../model/history.js';
import { copiesOf } from '../../model/palette.js';
import { kindsFollowingTrigger } from '../../model/kind-follows-trigger.js';
import type { HistorySlot } from '../../model/kept-history.js';
import type { DraftFlow, DraftNode, Position } from '../../model/types.js';
import { useKeptHistory } from './useKeptHistory.js';

/** What undo/redo steps over: the flow and where its boxes are. */
export interface Drawing {
  flow: DraftFlow;
  positions: Record<string, Position>;
}

export const emptyDrawing = (id: string, name = id): Drawing => ({ flow: { id, name, nodes: [] }, positions: {} });

/**
 * The drawing being edited with its undo history, the selection, the clipboard and React Flow's
 * change handlers (which turn canvas gestures into flow edits). Read only (an analyst), every edit
 * is refused here, whatever asks for it (canvas, inspector, toolbar, keyboard): selecting a node to
 * inspect it still works, but nothing changes the drawing, so nothing looks edited that is not saved.
 */
/** `labelOf`: the interface texts (branch labels set a card's width, so where its handles are). */
/**
 * `kept`: where the undo steps outlive a reload (model/kept-history.ts): taken back on opening when
 * they were kept with this very drawing, kept again as they change.
 */
export function useDrawing(initial: Drawing, onRefused: (reasonKey: string) => void, readOnly = false, labelOf: (key: string) => string = (k) => k, kept: HistorySlot | null = null) {
  const [hist, setHist] = useState<History<Drawing>>(() => (!readOnly && kept?.restore(initial)) || start(initial));
  const settleHistory = useKeptHistory(readOnly ? null : kept, hist);
  const [selected, setSelected] = useState<string[]>([]);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [clipboard, setClipboard] = useState<DraftNode[]>([]);
  const { flow, positions } = hist.present;
  // A deletion from the canvas (its edges, then its steps, in one tick) is one undo step.
  const [deletion] = useState(() => tickGroups('delete'));
  // A step taken out forgets its size: a step added later under the same id (wait-1 again) is
  // another card, and a dropped one is placed by its own size (model/drop-spot.ts), not the old one's.
  useEffect(() => {
    const ids = new Set(flow.nodes.map((n) => n.id));
    setMeasured((m) => (Object.keys(m).every((id) => ids.has(id)) ? m : Object.fromEntries(Object.entries(m).filter(([id]) => ids.has(id)))));
  }, [flow.nodes]);

  const commit = (next: Drawing, group?: string) => {
    if (!readOnly) setHist((h) => record(h, next, group));
  };
  const setFlow = (f: DraftFlow, group?: string) => commit({ flow: f, positions }, group);
  /** An edit of one node from the inspector: typing in one field is one undo step. */
  const updateNode = (id: string, n: DraftNode) => {
    const before = flow.nodes.find((x) => x.id === id);
    // A new trigger re-derives the send kinds it chose (model/kind-follows-trigger.ts).
    setFlow(kindsFollowingTrigger(flow, { ...flow, nodes: flow.nodes.map((x) => (x.id === id ? n : x)) }), editGroup(before, n));
  };
  /** An edit of the flow's own settings: one step per field. */
  const updateSettings = (f: DraftFlow) => {
    const strip = (x: DraftFlow) => ({ ...x, nodes: undefined, id: 'flow' });
    setFlow(f, editGroup(strip(flow), strip(f)));
  };
  const reset = (d: Drawing) => {
    setHist(start(d));
    setSelected([]);
  };
  /**
   * Published: the drawing becomes the journey as it went live, the server's reading of it (the
   * schema's defaults written out: a daily schedule's 每天 09:00, exitOn []), the selection kept.
   * Compared with the version it had just become, the drawing without those read as 有未发布的修改
   * right after a new journey's first publish, until a reload (walkthrough).
   */
  const settleTo = (d: Drawing) => setHist(start(d));

  const onNodesChange = (changes: NodeChange[]) => {
    let pos = positions;
    let sel = selected;
    const removed: string[] = [];
    const dims: Record<string, { width: number; height: number }> = {};
    for (const c of changes) {
      if (c.type === 'position' && c.position) pos = { ...pos, [c.id]: c.position };
      else if (c.type === 'dimensions' && c.dimensions) dims[c.id] = c.dimensions;
      else if (c.type === 'select') sel = c.selected ? [...new Set([...sel, c.id])] : sel.filter((s) => s !== c.id);
      else if (c.type === 'remove') removed.push(c.id);
    }
    if (Object.keys(dims).length) setMeasured((m) => ({ ...m, ...dims }));
    if (sel !== selected) setSelected(sel);
    if (removed.length) commit({ flow: removeNodes(flow, removed), positions: pos }, deletion());
    else if (pos !== positions && !readOnly) setHist((h) => replace(h, { ...h.present, positions: pos }));
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    let f = flow;
    let sel = selected;
    let removedEdge = false;
    for (const c of changes) {
      if (c.type === 'remove') {
        const [source, handle] = c.id.split(':');
        f = disconnect(f, source, handle);
        removedEdge = true;
      } else if (c.type === 'select') sel = c.selected ? [...sel, c.id] : sel.filter((s) => s !== c.id);
    }
    if (sel !== selected) setSelected(sel);
    if (f !== flow) setFlow(f, removedEdge ? deletion() : undefined);
  };
  const onConnect = (c: RfConnection) => {
    const conn = { source: c.source, sourceHandle: c.sourceHandle, target: c.target };
    if (readOnly) return;
    const v = canConnect(flow, conn);
    if (!v.ok) return onRefused(v.reason);
    // Drawn as auto layout draws: a card the new line would cut through is moved out of its way.
    const r = connectAround(flow, positions, conn, labelOf);
    commit({ flow: r.flow, positions: r.positions });
    if (r.blocked.length) onRefused('connect.throughCard');
  };
  /** A step placed again without an undo step of its own (a dropped step, once measured: CanvasPane). */
  const place = (id: string, at: Position) => {
    if (!readOnly) setHist((h) => replace(h, { ...h.present, positions: { ...h.present.positions, [id]: at } }));
  };
  const onDragStart = () => {
    if (!readOnly) setHist(checkpoint);
  };

  const copy = () => setClipboard(flow.nodes.filter((n) => selected.includes(n.id)));
  const paste = () => {
    const copies = copiesOf(flow, clipboard);
    if (!copies.length || readOnly) return;
    const orig = new Map(clipboard.map((n, i) => [copies[i]?.id, n.id]));
    const pos = { ...positions };
    for (const c of copies) {
      const from = positions[orig.get(c.id) ?? ''] ?? { x: 0, y: 0 };
      pos[c.id] = { x: from.x + 40, y: from.y + 40 };
    }
    commit({ flow: { ...flow, nodes: [...flow.nodes, ...copies] }, positions: pos });
    setSelected(copies.map((c) => c.id));
  };
  const del = () => {
    const edges = selected.filter((s) => s.includes(':'));
    let f = removeNodes(flow, selected.filter((s) => !s.includes(':')));
    for (const e of edges) f = disconnect(f, e.split(':')[0], e.split(':')[1]);
    if (readOnly) return;
    setFlow(f);
    setSelected([]);
  };

  return {
    hist,
    drawing: hist.present,
    flow,
    positions,
    selected,
    setSelected,
    measured,
    clipboard,
    commit,
    place,
    setFlow,
    updateNode,
    updateSettings,
    reset,
    settleTo,
    /** Published or discarded: the undo steps kept for a reload are dropped (useKeptHistory). */
    settleHistory,
    undo: () => {
      if (!readOnly) setHist(undo);
    },
    redo: () => {
      if (!readOnly) setHist(redo);
    },
    onNodesChange,
    onEdgesChange,
    onConnect,
    onDragStart,
    copy,
    paste,
    del,
  };
}
export type DrawingState = ReturnType<typeof useDrawing>;
