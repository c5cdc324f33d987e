import { BrokenSegmentsContext } from '../broken-segments.js';
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type ExperimentReport } from '../../api.js';
import { canAdd } from '../../model/connect.js';
import { flowToCanvas } from '../../model/convert.js';
import { mergeCounts, nobodyEntered } from '../../model/counts.js';
import { liveViewAfterDiscard } from '../../model/live-after-discard.js';
import { edgeLabels } from '../../model/edge-labels.js';
import { DraftConflictBanner } from '../editor/DraftConflictBanner.js';
import { MissingFlowNotice } from '../editor/MissingFlowNotice.js';
import { MovedDraftBanner } from '../editor/MovedDraftBanner.js';
import { cardBoxes } from '../../model/edge-label-spot.js';
import { layeredLayout } from '../../model/elk-layout.js';
import { positionsFor } from '../../model/layout.js';
import { allProblems } from '../../model/local-problems.js';
import { unsentCouponFix } from '../../model/coupon-unsent.js';
import { nodeFieldOf } from '../../model/field-problems.js';
import { errorText } from '../../model/error-words.js';
import { missedResponseFix } from '../../model/merge-wait-into-response.js';
import { draftOpeningWords } from '../../model/draft-opening.js';
import { spreadForHeights } from '../../model/spread-for-heights.js';
import { rescueWords } from '../../model/rescue-words.js';
import { MissingFlow } from '../../model/missing-flow.js';
import type { Route } from '../../model/route.js';
import { simulationWords, type SimulationResult } from '../../model/sim-summary.js';
import { runningWords, simulationWindow, windowNote } from '../../model/sim-window.js';
import type { Problem } from '../../model/types.js';
import { CanvasPane } from '../editor/CanvasPane.js';
import { ConfirmDialog, type Confirmation } from '../editor/ConfirmDialog.js';
import { DiffDialog } from '../editor/DiffDialog.js';
import { EditorToolbar } from '../editor/EditorToolbar.js';
import { PublishDialog } from '../editor/PublishDialog.js';
import { FlowInspector } from '../editor/FlowInspector.js';
import { NodeInspector } from '../editor/NodeInspector.js';
import { ProblemList } from '../editor/ProblemList.js';
import { RescueBanner } from '../editor/RescueBanner.js';
import { SimulationPanel } from '../editor/SimulationPanel.js';
import { useDrawing } from '../hooks/useDrawing.js';
import { useHistorySlot } from '../hooks/useHistorySlot.js';
import { useOpeningView, useOpeningViewAgain } from '../hooks/useOpeningView.js';
import { useFlowImport } from '../hooks/useFlowImport.js';
import { messageAsImportStarts } from '../../model/flow-import.js';
import { loadFlowDocument, useAutosave, type FlowDocument } from '../hooks/useFlowDocument.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { SHORT_WAITS, useCanvasCounts } from '../hooks/useCanvasCounts.js';
import { useAddStep } from '../hooks/useAddStep.js';
import { usePublish } from '../hooks/usePublish.js';
import { useServerCheck } from '../hooks/useServerCheck.js';
import { retried } from '../../model/retried.js';
import { catalogueFailureWords, loadFailureWords } from '../../model/load-failure.js';
import { LoadFailed } from '../LoadFailed.js';
import { useSaveBeforeLeaving } from '../hooks/useLeaveGuard.js';
import { useRescueCopy } from '../hooks/useRescueCopy.js';
import { useShopCatalogue } from '../hooks/useShopCatalogue.js';
import { useLiveVersion } from '../hooks/useLiveVersion.js';
import { useCountsOnCards } from '../hooks/useCountsOnCards.js';
import { openedDraftDiffers, unpublishedChanges } from '../../model/unpublished.js';
import { hasFiguresToRead } from '../../model/figures-to-read.js';
import { useLang, useT } from '../i18n.js';
import { useCan } from '../SignIn.js';
import { Palette } from '../Palette.js';
import { NODE_SKIP, type FormContext } from '../SchemaForm.js';
import { JourneyKeyContext } from '../journey-key.js';
import { journeyKeyOf } from '../../model/message-stand-ins.js';
import { useFlowCapNames } from '../cap-names.js';
import { segmentLabel, segmentTitles } from '../../model/segment-words.js';
import { declaredEventWords } from '../../model/summary.js';

/** One flow: loads its draft (or file, or live version), then edits it. */
export function EditorView({ flowId, onNavigate }: { flowId: string; onNavigate: (r: Route) => void }) {
  const t = useT();
  const [generation, setGeneration] = useState(0);
  // The reopened editor shows the live numbers again when they were on (model/live-after-discard.ts).
  const [liveOnOpen, setLiveOnOpen] = useState(false);
  const lang = useLang();
  // Asked again while the server cannot answer (a restart); a missing flow is an answer, said at once.
  const { data: doc, failed, retry } = useRetriedLoad<FlowDocument>(() => loadFlowDocument(flowId, t), [flowId, generation], (e) => e instanceof MissingFlow);
  if (failed?.error instanceof MissingFlow) return <MissingFlowNotice missing={failed.error} onNavigate={onNavigate} />;
  if (failed) return <LoadFailed words={loadFailureWords(lang, 'flow', failed.error)} retry={retry} testId="flow-load-failed" />;
  if (!doc) return <p className="loading">{t('home.loading')}</p>;
  // Reloading (after a discard) shows the freshly loaded document, never the one it replaces.
  return (
    <Editor
      key={generation}
      doc={doc}
      flowId={flowId}
      onNavigate={onNavigate}
      liveOnOpen={liveOnOpen}
      reload={(live = false) => {
        setLiveOnOpen(live);
        setGeneration((g) => g + 1);
      }}
    />
  );
}

/** `problems`: the banner is about the journey's problems (it goes when they are fixed). */
/** `opening`: the "draft restored" line shown on opening (hidden while the rescue banner asks). */
/** `from`: 'import' for what an import said (cleared when the next import starts). */
type Message = { kind: 'ok' | 'error'; text: string; problems?: boolean; opening?: boolean; from?: 'import' } | null;

function Editor({ doc, flowId, onNavigate, reload, liveOnOpen = false }: { doc: FlowDocument; flowId: string; onNavigate: (r: Route) => void; reload: (live?: boolean) => void; liveOnOpen?: boolean }) {
  const t = useT();
  const lang = useLang();
  const openView = useOpeningView();
  const openViewAgain = useOpeningViewAgain();
  const [message, setMessage] = useState<Message>(() => {
    // A draft that is the live version's journey (every edit undone) is no unpublished change to restore.
    const opening = draftOpeningWords(lang, doc.restored && openedDraftDiffers(doc.live, doc.initial.flow), doc.summary?.currentVersion ?? null, doc.fileChanged);
    return opening ? { kind: doc.fileChanged ? 'error' : 'ok', text: opening, opening: true } : null;
  });
  const say = (kind: 'ok' | 'error', text: string) => setMessage({ kind, text });
  const canEdit = useCan('marketer'); // analysts read; the API refuses them too
  const keptHistory = useHistorySlot(flowId, canEdit);
  const d = useDrawing(doc.initial, (reason) => say('error', t(reason)), !canEdit, t, keptHistory);
  const { flow, positions, selected, setSelected } = d;
  /** The field a click in the Problems panel asked the step's form to show. */
  const [focus, setFocus] = useState<{ nodeId: string; field: string; n: number } | null>(null);
  const [summary, setSummary] = useState(doc.summary);
  const [hasFile, setHasFile] = useState(doc.hasFile);
  const [layingOut, setLayingOut] = useState(false);
  const rescue = useRescueCopy(flowId, doc, canEdit, (x) => d.commit(x));
  const autosave = useAutosave(flowId, d.drawing, summary?.currentVersion ?? doc.baseVersion, doc.draftAt, canEdit, doc.draftRevision, rescue.slot, doc.fileVersion);
  // null until the server's first check answers: the panel says 正在检查 then, not 没有问题 (a
  // journey with past dates showed 问题 (0) for the seconds the check took on a busy server).
  const check = useServerCheck(flow);
  const serverProblems = check.problems;
  const setServerProblems = check.setProblems;
  const { counts, setCounts, readLive } = useCanvasCounts(flowId);
  const [simulation, setSimulation] = useState<{ running: boolean; result?: SimulationResult; startedAt: number } | null>(null);
  /**
   * The last simulation's results, kept after its panel is closed: the canvas goes on showing its
   * numbers (counts from 'sim'), so a split's A/B panel must go on showing its experiment too — it said
   * 发布或模拟后，这里显示实验结果 beside the simulated counts (walkthrough).
   */
  const [lastSimulation, setLastSimulation] = useState<SimulationResult | null>(null);
  const [diffOpen, setDiffOpen] = useState(false);
  const [confirm, setConfirm] = useState<Confirmation | null>(null);
  const { catalogue, ruleNames, segments, brokenSegments, schema, schemaFailed, failed: catalogueFailed, retry: retryCatalogue, timezone, coupons, events, reloadRules } = useShopCatalogue();
  const capNames = useFlowCapNames(lang, flow.caps);
  useSaveBeforeLeaving(autosave, setConfirm, t);
  const status = summary?.status ?? 'draft';
  const published = summary?.currentVersion != null;
  const liveVersion = summary?.currentVersion ?? null;
  const [live, liveSeen] = useLiveVersion(flowId, liveVersion, { version: doc.summary?.currentVersion ?? null, flow: doc.live });
  // The drawing is not the live journey, as 对比线上版本 compares them (a draft of it alone is no change).
  const unpublished = unpublishedChanges({ published, live, flow, hasDraft: autosave.hasDraft, fileChanged: summary?.fileChanged === true });
  const onCards = useCountsOnCards(counts, live, flow, liveVersion, lang);

  // Live problems: the same checks as `rekindle validate`, run by the server as the marketer draws
  // (useServerCheck), plus what the designer itself sees at once (empty rule groups, zero waits, arm weights).
  // Counts shown or hidden: the banner line above the canvas comes or goes and every step grows or
  // shrinks by its counts, so the view is set again for the canvas it now has (not on first render:
  // the canvas does that once the steps are measured): fitted, or from the entry when too big to read
  // — unless the marketer has moved the view since, to look at a step's numbers.
  const countsShown = counts?.source ?? null;
  const countsBefore = useRef(countsShown);
  useEffect(() => {
    if (countsBefore.current === countsShown) return;
    countsBefore.current = countsShown;
    const timer = setTimeout(() => openViewAgain(), 50);
    return () => clearTimeout(timer);
  }, [countsShown, openViewAgain]);
  const problems = useMemo(() => allProblems(serverProblems ?? [], flow), [serverProblems, flow]);
  const declaredEvents = useMemo(() => declaredEventWords(events), [events]);
  const titles = useMemo(() => segmentTitles(segments), [segments]);
  const errors = problems.filter((p) => p.severity === 'error');
  // A banner saying the journey has problems goes once they are fixed (it no longer says anything true).
  useEffect(() => {
    if (!errors.length) setMessage((m) => (m?.problems ? null : m));
  }, [errors.length]);

  const canvas = useMemo(() => {
    // Figures make cards taller: spread the cards so none covers the one below (display only).
    const c = flowToCanvas(flow, { positions: counts ? spreadForHeights(positions, d.measured) : positions }, problems, onCards.nodes, onCards.withheld);
    const labels = edgeLabels(flow, onCards.nodes, (k) => t(k), onCards.withheld, lang);
    // A count label goes where no card covers it (ui/editor/CountEdge.tsx, model/edge-label-spot.ts).
    const cards = counts ? cardBoxes(c.nodes, d.measured) : undefined;
    return {
      nodes: c.nodes.map((n) => ({ ...n, selected: selected.includes(n.id), measured: d.measured[n.id] })),
      edges: c.edges.map((e) => ({ ...e, ...(labels[e.id] ? { type: 'counted' } : {}), label: labels[e.id], labelBgPadding: [4, 2] as [number, number], labelBgBorderRadius: 3, selected: selected.includes(e.id), className: `edge-${e.sourceHandle.replace(/-.*/, '')}`, data: { handle: e.sourceHandle, cards } })),
    };
  }, [flow, positions, problems, counts, onCards, selected, d.measured, t]);

  const add = useAddStep(d, say, openView, t);

  // Keyboard: undo/redo, copy/paste (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) d.undo();
      else if (k === 'y' || (k === 'z' && e.shiftKey)) d.redo();
      else if (k === 'c') d.copy();
      else if (k === 'v') d.paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const refreshSummary = async () => setSummary((await api.flows()).find((f) => f.id === flowId));

  const publishing = usePublish({ flowId, flow, positions, drawing: d.drawing, settleTo: d.settleTo, liveSeen, settleHistory: d.settleHistory, errorCount: errors.length, autosave, hasFile, setHasFile, counts, setCounts, setServerProblems, refreshSummary, closeDiff: () => setDiffOpen(false), onNavigate, say: setMessage, lang, t });
  const discard = () =>
    setConfirm({
      title: t('draft.discardTitle'),
      body: published ? t('draft.discardBody') : t('draft.discardNew'),
      confirm: t('draft.discard'),
      run: async () => {
        // What is pending is what the marketer discards: not saved any more. A save already on its
        // way is let finish first: arriving after the discard it would be refused (the draft is
        // gone: 409), show a conflict and keep its drawing in the browser to be offered again.
        autosave.forget();
        await autosave.save();
        await api.discardDraft(flowId);
        d.settleHistory();
        if (!published && !hasFile) return onNavigate({ view: 'home' });
        reload(liveViewAfterDiscard(counts?.source ?? null, published));
      },
    });
  const lifecycle = async (action: 'pause' | 'resume' | 'stop') => {
    const run = async () => {
      try {
        await api.lifecycle(flowId, action);
        await refreshSummary();
        // The live numbers' next run changes with the status: read them now, not at the next poll.
        if (counts?.source === 'live') await liveCounts();
        say('ok', t(`msg.done.${action}`));
      } catch (e) {
        say('error', errorText(lang, e));
      }
    };
    // Each asks first, with what will happen (继续运行 ran at once, while 暂停 asked); how many it
    // concerns, and when that cannot be read the dialog says so (it said 0 customers).
    const inFlight = await retried(() => api.counts(flowId), { waits: SHORT_WAITS }).then(
      (c) => t(`confirm.${action}Body`).replace('{n}', String(c.enrollments.active)),
      (e: unknown) => `${loadFailureWords(lang, 'inFlight', e).text}${lang === 'zh' ? '。' : '. '}${t(`confirm.${action}BodyUnknown`)}`,
    );
    setConfirm({
      title: t(`confirm.${action}Title`),
      body: inFlight,
      confirm: t(`tb.${action}`),
      danger: action === 'stop',
      run,
    });
  };
  const simulate = async () => {
    if (errors.length) return say('error', t('msg.publishRefused'));
    setSimulation({ running: true, startedAt: Date.now() });
    try {
      const w = simulationWindow(flow, Date.now());
      const r = await api.simulate(flowId, w.days, flow, w.from, w.entering);
      setCounts({ nodes: mergeCounts(r.report.nodes, r.funnel), source: 'sim' });
      setSimulation({ running: false, result: r, startedAt: 0 });
      setLastSimulation(r);
      setMessage(null);
    } catch (e) {
      setSimulation(null);
      say('error', errorText(lang, e));
    }
  };
  const liveCounts = async () => {
    // Shown already: a failure marks them as not updated; else the banner says why none show.
    const e = await readLive();
    if (e !== null) say('error', loadFailureWords(lang, 'counts', e).text);
  };
  // Once, on opening again after a discard with the live numbers on.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  useEffect(() => void (liveOnOpen && liveCounts()), []);
  const exportFile = async () => {
    const { text } = await api.validate(flow);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/yaml' }));
    a.download = `${flowId}.flow.yaml`;
    a.click();
  };
  const importFile = useFlowImport(
    d,
    setConfirm,
    (kind, text) => setMessage({ kind, text, from: 'import' }),
    t,
    (fileName) => {
      autosave.imported(fileName);
      setTimeout(() => openView(), 50);
    },
    () => setMessage(messageAsImportStarts),
  );
  const restore = async (version: number) => {
    try {
      const v = await api.version(flowId, version);
      const f = { ...v.flow, id: flowId };
      d.commit({ flow: f, positions: positionsFor(f, { positions }) });
      say('ok', t('msg.restored').replace('{v}', String(version)));
    } catch (e) {
      say('error', errorText(lang, e));
    }
  };
  const rename = async (to: string) => {
    await autosave.save();
    await api.renameDraft(flowId, to);
    onNavigate({ view: 'editor', flowId: to });
  };

  const selectedNode = selected.length === 1 ? flow.nodes.find((n) => n.id === selected[0]) : undefined;
  const entryTrigger = (flow.nodes.find((n) => n.type === 'entry')?.trigger ?? {}) as { type?: string; segment?: string };
  const audience = entryTrigger.type !== 'event' && entryTrigger.segment && ruleNames.includes(entryTrigger.segment) ? { name: entryTrigger.segment, title: segmentLabel(entryTrigger.segment, titles), conditions: { condition: entryTrigger.segment } } : undefined;
  const ctx: FormContext = { catalogue, ruleNames, segments, brokenSegments, skip: NODE_SKIP, timezone, coupons, events, audience: selectedNode?.type === 'entry' ? undefined : audience, onRuleSaved: () => void reloadRules() };
  return (
    <>
      <EditorToolbar
        flow={flow}
        timezone={timezone}
        status={status}
        summary={summary}
        unpublished={unpublished}
        autosave={autosave}
        drawing={d}
        errors={errors.length}
        canEdit={canEdit}
        onHome={() => onNavigate({ view: 'home' })}
        layingOut={layingOut}
        onLayout={() => {
          // ELK loads on the first layout and computes off the click: until its positions are in
          // the drawing, publishing would publish the old ones and autosave the new ones as a draft.
          setLayingOut(true);
          layeredLayout(flow, t)
            .then((p) => {
              d.commit({ flow, positions: p });
              setTimeout(() => openView(), 30);
            })
            .catch((e) => say('error', errorText(lang, e)))
            .finally(() => setLayingOut(false));
        }}
        onPublish={publishing.ask}
        onDiscard={discard}
        onDiff={() => setDiffOpen(true)}
        onLifecycle={lifecycle}
        onSimulate={simulate}
        onCounts={liveCounts}
        onExport={exportFile}
        onImport={importFile}
        onRestore={restore}
      />
      {rescue.offer && (
        <RescueBanner
          offer={rescue.offer}
          onRestore={() => {
            const o = rescue.restore();
            if (o) say('ok', rescueWords(lang, o, '').restored);
          }}
          onDrop={() => {
            const o = rescue.offer;
            rescue.drop();
            if (o) say('ok', rescueWords(lang, o, '').dropped);
          }}
        />
      )}
      {autosave.conflict?.movedTo && (
        <MovedDraftBanner
          oldId={flowId}
          moved={autosave.conflict.movedTo}
          drawing={d.drawing}
          timeZone={timezone}
          onGone={(to) => {
            autosave.forget(); // opened there, or taken there: nothing to save here
            onNavigate({ view: 'editor', flowId: to });
          }}
        />
      )}
      {autosave.conflict && !autosave.conflict.movedTo && (
        <DraftConflictBanner
          conflict={autosave.conflict}
          timeZone={timezone}
          onLoad={() => {
            autosave.forget(); // "discard mine": not saved when this editor closes
            reload();
          }}
          onKeep={() => void autosave.keepMine()}
        />
      )}
      {/* While the rescue banner asks, a green "draft restored" under it would read as its answer. */}
      {message && !(message.opening && rescue.offer) && (
        <div className={`message message-${message.kind}`} data-testid="message" onClick={() => setMessage(null)}>
          {message.text}
        </div>
      )}
      <main className="workspace">
        {canEdit && <Palette onAdd={(type) => add(type)} disabled={(type) => (canAdd(flow, type).ok ? null : t('connect.oneEntry'))} />}
        <BrokenSegmentsContext.Provider value={brokenSegments}>
        <CanvasPane
          flow={flow}
          nodes={canvas.nodes}
          edges={canvas.edges}
          drawing={d}
          canEdit={canEdit}
          counts={counts?.source ?? null}
          countsAt={counts?.source === 'live' ? counts.at : undefined}
          simulatedAt={counts?.source === 'live' ? (counts.simulatedAt ?? null) : null}
          withheldNote={onCards.note}
          countsStale={counts?.source === 'live' && counts.stale !== undefined ? loadFailureWords(lang, 'countsStale', counts.stale) : null}
          onRetryCounts={() => void liveCounts()}
          nextRun={counts?.source === 'live' ? (counts.nextRun ?? null) : null}
          pausedTrigger={status === 'paused' ? flow.nodes.find((n) => n.type === 'entry')?.trigger : undefined}
          nobodyYet={counts?.source === 'live' && nobodyEntered(counts.nodes)}
          timezone={timezone}
          onCloseCounts={() => setCounts(null)}
          onDrop={(type, at) => add(type, at)}
          onDropPlaced={d.place}
          declaredEvents={declaredEvents}
          titles={titles}
          capNames={capNames}
        >
          {simulation && <SimulationPanel running={simulation.running} startedAt={simulation.startedAt} lines={simulation.result ? simulationWords(lang, simulation.result, flow, timezone, capNames) : []} runningText={runningWords(lang, flow, simulation.startedAt, timezone)} note={windowNote(lang, flow, simulation.startedAt || Date.now())} onClose={() => setSimulation(null)} />}
        </CanvasPane>
        </BrokenSegmentsContext.Provider>
        <aside className="inspector" data-testid="inspector">
          {/* The forms say $key by what keys the journey (本旅程的订单号), as the cards do. */}
          <JourneyKeyContext.Provider value={journeyKeyOf(flow)}>
          {/* Read only: the forms show the flow but every field and button that changes it is disabled; what only
              reads (the message preview, the experiment's figures, the problem list) stays usable. */}
          {catalogueFailed && <LoadFailed words={catalogueFailureWords(lang, catalogueFailed.parts, catalogueFailed.error)} retry={retryCatalogue} testId="catalogue-failed" />}
          {selectedNode && schema ? (
            <NodeInspector key={selectedNode.id} node={selectedNode} flow={flow} schema={schema} ctx={ctx} drawing={d} canSend={canEdit} readOnly={!canEdit} simulatedExperiment={(simulation?.result ?? (counts?.source === 'sim' ? lastSimulation : null))?.experiments?.[selectedNode.id] as ExperimentReport | undefined} problems={problems} focus={focus?.nodeId === selectedNode.id ? focus : null} published={hasFiguresToRead(summary)} />
          ) : selectedNode ? (
            // A step is chosen but its form's schema has not come: say so, not the journey's settings (it looked like the click missed).
            schemaFailed ? (
              <LoadFailed words={loadFailureWords(lang, 'schema', schemaFailed.error)} retry={retryCatalogue} testId="inspector-waiting" />
            ) : (
              <p className="loading" data-testid="inspector-waiting">
                {t('home.loading')}
              </p>
            )
          ) : (
            <fieldset className="inspector-fields" disabled={!canEdit} data-testid="inspector-fields">
              <FlowInspector flow={flow} schema={schema} ctx={ctx} onChange={d.updateSettings} idLocked={published || hasFile} onRename={rename} problems={problems} />
            </fieldset>
          )}
          </JourneyKeyContext.Provider>
          <ProblemList flow={flow} problems={problems} checking={serverProblems === null && !check.failed} rechecking={!check.current} checkFailed={check.failed ? loadFailureWords(lang, 'check', check.failed.error) : null} onRetryCheck={check.retry} fixOf={(p) => {
              const merged = canEdit ? missedResponseFix(flow, p) : null;
              const coupon = canEdit && !merged ? unsentCouponFix(flow, p) : null;
              const fixed = merged ?? coupon;
              return fixed ? { label: t(merged ? 'problems.fix.mergeWait' : 'problems.fix.sameCoupon'), apply: () => d.commit({ flow: fixed, positions }) } : null;
            }} onSelect={(p) => {
              // The step's form opens with the problem's field in view (its words are beside it).
              setSelected([p.nodeId!]);
              setFocus((f) => ({ nodeId: p.nodeId!, field: nodeFieldOf(p) ?? '', n: (f?.n ?? 0) + 1 }));
            }} />
        </aside>
      </main>
      {diffOpen && summary?.currentVersion != null && <DiffDialog flowId={flowId} liveVersion={summary.currentVersion} draft={flow} onClose={() => setDiffOpen(false)} onPublish={publishing.ask} onDiscard={discard} canPublish={!errors.length} />}
      {publishing.open && <PublishDialog flowId={flowId} flow={flow} liveVersion={summary?.currentVersion ?? null} latestVersion={Math.max(0, ...(summary?.versions ?? []).map((v) => v.version)) || null} status={status} problems={problems} events={events} timezone={timezone} onCancel={publishing.cancel} onConfirm={publishing.confirm} idEditable={!published && !hasFile} simulated={lastSimulation !== null} />}
      {confirm && <ConfirmDialog c={confirm} onClose={() => setConfirm(null)} />}
    </>
  );
}
