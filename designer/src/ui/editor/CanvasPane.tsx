import { Background, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, useStore, type Edge, type Node } from '@xyflow/react';
import { LoadFailed } from '../LoadFailed.js';
import { useEffect, useLayoutEffect, useRef, type ReactNode } from 'react';
import { canvasAria } from '../../model/canvas-aria.js';
import { dropSpot, type DropInput, type ScreenRect } from '../../model/drop-spot.js';
import { NODE_HEIGHT, NODE_WIDTH } from '../../model/layout.js';
import { canConnect } from '../../model/connect.js';
import type { CapNames } from '../../model/cap-words.js';
import { journeyKeyOf } from '../../model/message-stand-ins.js';
import type { DraftFlow, NodeType, Position } from '../../model/types.js';
import { CapNamesContext } from '../cap-names.js';
import { FIT_VIEW, MINIMAP_SIZE } from '../canvas-fit.js';
import { formatClock, formatDateTime } from '../../model/format.js';
import { DeclaredEventsContext } from '../declared-events.js';
import type { DrawingState } from '../hooks/useDrawing.js';
import { useLang, useT } from '../i18n.js';
import { IntakeLag } from '../IntakeLag.js';
import { NextRunNote, PausedRunNote } from './NextRunNote.js';
import { EDGE_TYPES_RF } from './CountEdge.js';
import type { NextRun } from '../../model/next-run-words.js';
import { JourneyKeyContext } from '../journey-key.js';
import { useOpeningView, useOpeningViewAgain } from '../hooks/useOpeningView.js';
import { DRAG_TYPE } from '../Palette.js';
import { SegmentTitlesContext } from '../segment-titles.js';
import { StepNode } from '../StepNode.js';

const NODE_TYPES_RF = { step: StepNode };

/**
 * The editor's canvas: which numbers its cards show (simulated or live, above the canvas, not over
 * it), the steps drawn with React Flow (dragged, connected, dropped from the palette), the empty
 * journey's hint and, over the canvas, `children` (the simulation panel). The names the cards say
 * (declared events, segment titles, caps, the journey key) are given to every card from here.
 */
export function CanvasPane(p: {
  flow: DraftFlow;
  nodes: Node[];
  edges: Edge[];
  drawing: DrawingState;
  canEdit: boolean;
  counts: 'live' | 'sim' | null;
  /** When the live numbers were read: they are not polled (a count over a large campaign is a heavy query), while the intake line below is. */
  countsAt?: number;
  /** What 实时数据 read is a simulation's, up to this instant (a server opened on its copy): said so, not 实时 (null: live). */
  simulatedAt?: number | null;
  /** Cards the draft changed or added show no live numbers: the line saying so (model/counts-on-draft.ts; null: none). */
  withheldNote?: string | null;
  /** The last read of the live numbers failed: what the note says instead of them being current (null: none failed). */
  countsStale?: { text: string; retry: string } | null;
  onRetryCounts?: () => void;
  /** The shop's time zone (GET /api/shop): the time the numbers were read is said in shop time, as the versions beside it. */
  timezone?: string;
  /** A running journey entered on a schedule: its next run, said beside the live numbers (null: none to say). */
  nextRun?: NextRun | null;
  /** The entry's trigger while the journey is paused (its runs are said instead of the next one). */
  pausedTrigger?: unknown;
  /** No customer has entered yet (the live numbers are all 0). */
  nobodyYet?: boolean;
  onCloseCounts: () => void;
  /** A step dropped from the palette: answers its id (none when it could not be added). */
  onDrop: (type: NodeType, at: Position) => string | undefined;
  /** The dropped step placed again once measured (no undo step of its own: model/drop-spot.ts). */
  onDropPlaced: (id: string, at: Position) => void;
  declaredEvents: React.ContextType<typeof DeclaredEventsContext>;
  titles: React.ContextType<typeof SegmentTitlesContext>;
  capNames: CapNames;
  children?: ReactNode;
}) {
  const t = useT();
  const lang = useLang();
  const rf = useReactFlow();
  const { flow, drawing: d, canEdit, counts } = p;
  const openView = useOpeningView();
  const openViewAgain = useOpeningViewAgain();
  // Opened: once every step is measured and the canvas has its size, the journey is fitted when its
  // cards stay readable, else shown from its entry at a readable zoom (hooks/useOpeningView.ts; not
  // React Flow's own fitView, which zoomed the Double-11 campaign out to 3.7 px text at 1366×768).
  const measured = useNodesInitialized();
  const stepCount = useStore((s) => s.nodeLookup.size);
  const canvasSized = useStore((s) => s.width > 0 && s.height > 0);
  const opened = useRef(false);
  useLayoutEffect(() => {
    if (opened.current || !measured || !stepCount || !canvasSized) return;
    opened.current = true;
    openView();
  }, [measured, stepCount, canvasSized, openView]);
  // The banners wrap (a burst's intake line takes two lines at 1400 px): when their height changes
  // the canvas below grows or shrinks, so the view is set again for the canvas it now has, as when
  // the banners come or go (EditorView) — else the lowest steps slide under the minimap. Not once
  // the marketer has moved the view: they keep the step they scrolled to.
  const banners = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = banners.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let height = el.offsetHeight;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new ResizeObserver(() => {
      if (el.offsetHeight === height) return;
      height = el.offsetHeight;
      clearTimeout(timer);
      timer = setTimeout(() => openViewAgain(), 50);
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      clearTimeout(timer);
    };
  }, [counts, openViewAgain]);
  // A dropped step is placed with an estimate of its size (a card's size is known once drawn), then,
  // once React Flow has measured it, again from the same drop point with its real size: an A/B 分组
  // is wider than NODE_WIDTH, a card with a problem line taller (model/drop-spot.ts). Before paint:
  // React Flow shows a card only once measured, so it is not seen where the estimate put it.
  const dropped = useRef<{ id: string; at: Omit<DropInput, 'card' | 'cards'> } | null>(null);
  const droppedSize = dropped.current && p.nodes.find((n) => n.id === dropped.current?.id)?.measured;
  useLayoutEffect(() => {
    const drop = dropped.current;
    const size = droppedSize;
    if (!drop || !size?.width || !size.height) return;
    dropped.current = null;
    const card = p.nodes.find((n) => n.id === drop.id);
    if (!card) return;
    const spot = dropSpot({ ...drop.at, card: { width: size.width, height: size.height }, cards: cardsBut(p.nodes, drop.id) });
    if (spot.x !== card.position.x || spot.y !== card.position.y) p.onDropPlaced(drop.id, spot);
  }, [droppedSize?.width, droppedSize?.height]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="canvas">
      {/* Above the canvas, not over it: a banner over the canvas would cover the top steps. */}
      {counts && (
        <div className="canvas-banners" data-testid="canvas-banners" ref={banners}>
          <div className="counts-note" data-testid="counts-note">
            {counts === 'sim' ? t('counts.simNote') : p.simulatedAt != null ? t('counts.simulatedCopyNote').replace('{time}', formatDateTime(lang, p.simulatedAt, p.timezone)) : p.countsAt !== undefined ? t('counts.liveNoteAt').replace('{time}', formatClock(p.countsAt, p.timezone, true)) : t('counts.liveNote')}
            {/* The live numbers of every step as a file for the analyst's spreadsheet (the API's funnel CSV, `rekindle report --funnel --csv`). */}
            {counts === 'live' && (
              <a className="link" href={`/api/flows/${encodeURIComponent(flow.id)}/funnel?format=csv&excel=1`} download={`${flow.id}-funnel.csv`} title={t('counts.csvHelp')} data-testid="funnel-csv">
                {t('counts.csv')}
              </a>
            )}
            {/* Who was sent what, held back or not delivered, message by message (GET /api/sends). An analyst (who cannot
                edit) gets it without the message text and with contacts masked unless granted (the server decides:
                core/access/send-log-view.ts); the link says so, so the marked cells are expected. */}
            {counts === 'live' && (
              <a className="link" href={`/api/sends?flowId=${encodeURIComponent(flow.id)}&format=csv&excel=1`} download={`${flow.id}-sends.csv`} title={t(canEdit ? 'counts.sendsCsvHelp' : 'counts.sendsCsvAnalystHelp')} data-testid="sends-csv">
                {t(canEdit ? 'counts.sendsCsv' : 'counts.sendsCsvAnalyst')}
              </a>
            )}
            <button type="button" className="link" onClick={p.onCloseCounts}>
              {t('close')}
            </button>
          </div>
          {counts === 'live' && p.withheldNote && (
            <div className="counts-note" data-testid="counts-withheld-note">
              {p.withheldNote}
            </div>
          )}
          {counts === 'live' && p.countsStale && <LoadFailed words={p.countsStale} retry={() => p.onRetryCounts?.()} testId="counts-stale" />}
          {counts === 'live' && p.nextRun && !p.pausedTrigger && <NextRunNote next={p.nextRun} nobodyYet={!!p.nobodyYet} titles={p.titles} />}
          {counts === 'live' && !!p.pausedTrigger && <PausedRunNote trigger={p.pausedTrigger} titles={p.titles} />}
          {counts === 'live' && <IntakeLag flowId={flow.id} timezone={p.timezone} expectsRow={flow.nodes.some((n) => n.type === 'entry' && (n as { trigger?: { type?: string } }).trigger?.type === 'event')} />}
        </div>
      )}
      <div
        className="canvas-flow"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'move';
        }}
        onDrop={(e) => {
          const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
          if (!type || !canEdit) return;
          e.preventDefault();
          // Never under the minimap or the zoom buttons, nor past the canvas's edge, nor on another
          // card (model/drop-spot.ts); placed again once measured (above).
          const at = rf.screenToFlowPosition({ x: e.clientX, y: e.clientY });
          const pane = e.currentTarget.querySelector('.react-flow');
          if (!pane) return void p.onDrop(type, at);
          const drop = { at, ...panelsOver(pane), viewport: rf.getViewport() };
          const id = p.onDrop(type, dropSpot({ ...drop, card: { width: NODE_WIDTH, height: NODE_HEIGHT }, cards: cardsBut(p.nodes) }));
          dropped.current = id ? { id, at: drop } : null;
        }}
      >
        <DeclaredEventsContext.Provider value={p.declaredEvents}>
          <SegmentTitlesContext.Provider value={p.titles}>
            <CapNamesContext.Provider value={p.capNames}>
              <JourneyKeyContext.Provider value={journeyKeyOf(flow)}>
                <ReactFlow
                  nodes={p.nodes}
                  edges={p.edges}
                  nodeTypes={NODE_TYPES_RF}
                  edgeTypes={EDGE_TYPES_RF}
                  onNodesChange={d.onNodesChange}
                  onEdgesChange={d.onEdgesChange}
                  onConnect={d.onConnect}
                  onNodeDragStart={d.onDragStart}
                  isValidConnection={(c) => canConnect(flow, { source: c.source, sourceHandle: c.sourceHandle, target: c.target }).ok}
                  onPaneClick={() => d.setSelected([])}
                  nodesDraggable={canEdit && !counts}
                  nodesConnectable={canEdit}
                  elementsSelectable
                  edgesFocusable={canEdit}
                  deleteKeyCode={canEdit ? ['Delete', 'Backspace'] : null}
                  minZoom={0.1}
                  ariaLabelConfig={canvasAria(lang)}
                >
                  <Background />
                  <MiniMap pannable zoomable style={MINIMAP_SIZE} />
                  {/* Its fit-view button fits every step, above the minimap's band, however small they come out. */}
                  <Controls orientation="horizontal" fitViewOptions={FIT_VIEW} />
                </ReactFlow>
              </JourneyKeyContext.Provider>
            </CapNamesContext.Provider>
          </SegmentTitlesContext.Provider>
        </DeclaredEventsContext.Provider>
        {flow.nodes.length === 0 && <div className="canvas-empty">{t('editor.empty')}</div>}
        {p.children}
      </div>
    </div>
  );
}

/** The cards on the canvas but one, in flow units (as measured; NODE_WIDTH × NODE_HEIGHT before). */
function cardsBut(nodes: Node[], id?: string): ScreenRect[] {
  return nodes.filter((n) => n.id !== id).map((n) => ({ ...n.position, width: n.measured?.width ?? NODE_WIDTH, height: n.measured?.height ?? NODE_HEIGHT }));
}

/** The canvas's size and what React Flow draws over it (the minimap, the zoom buttons), relative to it. */
function panelsOver(pane: Element): { canvas: { width: number; height: number }; panels: ScreenRect[] } {
  const r = pane.getBoundingClientRect();
  const panels = ['.react-flow__minimap', '.react-flow__controls'].flatMap((sel) => {
    const b = pane.querySelector(sel)?.getBoundingClientRect();
    return b ? [{ x: b.left - r.left, y: b.top - r.top, width: b.width, height: b.height }] : [];
  });
  return { canvas: { width: r.width, height: r.height }, panels };
}
