import {
  Background, Controls, MiniMap, ReactFlow, ReactFlowProvider, useReactFlow,
  type Connection as RfConnection, type EdgeChange, type NodeChange,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { parse as parseYaml } from 'yaml';
import { api, ApiError, type FlowSummary, type Template } from '../api.js';
import { canAdd, canConnect, connect, disconnect, removeNodes, renameNode } from '../model/connect.js';
import { flowLevelProblems, flowToCanvas } from '../model/convert.js';
import { outputsOf, targetOf, withTarget } from '../model/handles.js';
import { record, redo, replace, start, undo, type History } from '../model/history.js';
import { translate, type Lang } from '../model/i18n.js';
import { autoLayout, layoutOf, NODE_HEIGHT, positionsFor } from '../model/layout.js';
import { mergeCounts, type NodeCounts } from '../model/counts.js';
import { IntakeLag } from './IntakeLag.js';
import { copiesOf, newNode } from '../model/palette.js';
import { ExperimentPanel } from './ExperimentPanel.js';
import type { DraftFlow, DraftNode, NodeType, Position, Problem } from '../model/types.js';
import { Customers } from './Customers.js';
import { initialLang, LangContext, useT } from './i18n.js';
import { DRAG_TYPE, Palette } from './Palette.js';
import type { Catalogue } from './RuleBuilder.js';
import { NODE_SKIP, ObjectFields, type FormContext } from './SchemaForm.js';
import { StepNode } from './StepNode.js';
import { useCan } from './SignIn.js';

/** What undo/redo steps over: the flow and where its boxes are. */
interface Drawing {
  flow: DraftFlow;
  positions: Record<string, Position>;
}

const NODE_TYPES_RF = { step: StepNode };
const empty = (id: string): Drawing => ({ flow: { id, name: id, nodes: [] }, positions: {} });

export function App() {
  const [lang, setLang] = useState<Lang>(initialLang);
  const [view, setView] = useState<'designer' | 'customers'>('designer');
  return (
    <LangContext.Provider value={lang}>
      <ReactFlowProvider>
        <div className="app">
          <Designer
            view={view}
            setView={setView}
            toggleLang={() => {
              const next = lang === 'zh' ? 'en' : 'zh';
              localStorage.setItem('rekindle.lang', next);
              document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
              setLang(next);
            }}
          />
        </div>
      </ReactFlowProvider>
    </LangContext.Provider>
  );
}

function Designer({ view, setView, toggleLang }: { view: string; setView: (v: 'designer' | 'customers') => void; toggleLang: () => void }) {
  const canPublish = useCan('marketer'); // analysts read; the API refuses them too
  const t = useT();
  const rf = useReactFlow();
  const [flows, setFlows] = useState<FlowSummary[]>([]);
  const [flowId, setFlowId] = useState<string | null>(null);
  const [hist, setHist] = useState<History<Drawing>>(() => start(empty('new-flow')));
  const [savedKey, setSavedKey] = useState('');
  const [problems, setProblems] = useState<Problem[]>([]);
  const [counts, setCounts] = useState<{ nodes: NodeCounts[]; source: 'live' | 'sim' } | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [measured, setMeasured] = useState<Record<string, { width: number; height: number }>>({});
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [clipboard, setClipboard] = useState<DraftNode[]>([]);
  const [catalogue, setCatalogue] = useState<Catalogue>({ facts: [], operators: [] });
  const [ruleNames, setRuleNames] = useState<string[]>([]);
  const [schema, setSchema] = useState<Record<string, any> | null>(null);
  const [templates, setTemplates] = useState<Template[] | null>(null);
  const [newId, setNewId] = useState('');
  const { flow, positions } = hist.present;
  const dirty = JSON.stringify(hist.present) !== savedKey;

  const say = (kind: 'ok' | 'error', text: string) => setMessage({ kind, text });
  const refreshFlows = useCallback(() => api.flows().then(setFlows).catch(() => {}), []);

  useEffect(() => {
    refreshFlows();
    api.facts().then((c) => setCatalogue({ facts: c.facts, operators: c.operators })).catch(() => {});
    api.segments().then((s) => setRuleNames(s.rules.map((r) => r.name))).catch(() => {});
    api.schema().then(setSchema).catch(() => {});
  }, []);

  // Live problems: the same checks as `rekindle validate`, run by the server as the marketer draws.
  useEffect(() => {
    if (!flow.nodes.length) return setProblems([]);
    const timer = setTimeout(() => api.validate(flow).then((r) => setProblems(r.problems)).catch(() => {}), 300);
    return () => clearTimeout(timer);
  }, [flow]);

  const commit = (next: Drawing) => setHist((h) => record(h, next));
  const setFlow = (f: DraftFlow) => commit({ flow: f, positions });

  const load = async (id: string, as?: string) => {
    try {
      const file = await api.file(id);
      const f = as ? { ...file.flow, id: as, name: `${file.flow.name} (${as})` } : file.flow;
      const d: Drawing = { flow: f, positions: positionsFor(f, file.layout) };
      setHist(start(d));
      setSavedKey(as ? '' : JSON.stringify(d));
      setFlowId(f.id);
      setCounts(null);
      setSelected([]);
      setMessage(null);
      setTimeout(() => rf.fitView({ padding: 0.15 }), 50);
    } catch (e) {
      say('error', (e as Error).message);
    }
  };

  const canvas = useMemo(() => {
    const c = flowToCanvas(flow, { positions }, problems, counts?.nodes ?? []);
    return {
      // measured (not width/height, which would fix the box size) so React Flow keeps the sizes it measured.
      nodes: c.nodes.map((n) => ({ ...n, selected: selected.includes(n.id), measured: measured[n.id] })),
      edges: c.edges.map((e) => {
        const source = flow.nodes.find((n) => n.id === e.source)!;
        const h = outputsOf(source).find((x) => x.id === e.sourceHandle);
        const label = h ? ('key' in h.label ? t(h.label.key) : h.label.text) : '';
        return { ...e, label, selected: selected.includes(e.id), className: `edge-${e.sourceHandle.replace(/-.*/, '')}` };
      }),
    };
  }, [flow, positions, problems, counts, selected, measured, t]);

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
    if (removed.length) commit({ flow: removeNodes(flow, removed), positions: pos });
    else if (pos !== positions) setHist((h) => replace(h, { ...h.present, positions: pos }));
  };
  const onEdgesChange = (changes: EdgeChange[]) => {
    let f = flow;
    let sel = selected;
    for (const c of changes) {
      if (c.type === 'remove') {
        const [source, handle] = c.id.split(':');
        f = disconnect(f, source, handle);
      } else if (c.type === 'select') sel = c.selected ? [...sel, c.id] : sel.filter((s) => s !== c.id);
    }
    if (sel !== selected) setSelected(sel);
    if (f !== flow) setFlow(f);
  };
  const onConnect = (c: RfConnection) => {
    const conn = { source: c.source, sourceHandle: c.sourceHandle, target: c.target };
    const v = canConnect(flow, conn);
    if (!v.ok) return say('error', t(v.reason));
    setFlow(connect(flow, conn));
  };

  const add = (type: NodeType, at?: Position) => {
    const v = canAdd(flow, type);
    if (!v.ok) return say('error', t(v.reason));
    const n = newNode(flow, type);
    const lowest = flow.nodes.reduce<Position | null>((acc, x) => (!acc || positions[x.id]?.y > acc.y ? positions[x.id] : acc), null);
    const p = at ?? (lowest ? { x: lowest.x, y: lowest.y + NODE_HEIGHT + 50 } : { x: 0, y: 0 });
    commit({ flow: { ...flow, nodes: [...flow.nodes, n] }, positions: { ...positions, [n.id]: p } });
    setSelected([n.id]);
    if (!at) setTimeout(() => rf.fitView({ padding: 0.2, duration: 0 }), 30);
  };

  const copy = () => setClipboard(flow.nodes.filter((n) => selected.includes(n.id)));
  const paste = () => {
    const copies = copiesOf(flow, clipboard);
    if (!copies.length) return;
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
    setFlow(f);
    setSelected([]);
  };

  // Keyboard: undo/redo, copy/paste (not while typing in a field).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const el = e.target as HTMLElement;
      if (['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName) || !(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'z' && !e.shiftKey) setHist(undo);
      else if (k === 'y' || (k === 'z' && e.shiftKey)) setHist(redo);
      else if (k === 'c') copy();
      else if (k === 'v') paste();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const save = async (): Promise<boolean> => {
    try {
      // A flow not loaded from its file (new, a template, an import, a changed id) must not overwrite one.
      const r = await api.save(flow.id, flow, layoutOf(flow, positions), flowId !== flow.id);
      setProblems(r.problems);
      setSavedKey(JSON.stringify(hist.present));
      setFlowId(flow.id);
      refreshFlows();
      say('ok', `${t('msg.saved')}: rules/flows/${flow.id}.flow.yaml`);
      return true;
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) setProblems(e.problems);
      say('error', `${t('msg.saveRefused')} — ${(e as Error).message}`);
      return false;
    }
  };
  const errors = problems.filter((p) => p.severity === 'error');
  const publish = async () => {
    if (errors.length) return say('error', t('msg.publishRefused'));
    if (dirty && !(await save())) return;
    try {
      const r = await api.publish(flow.id);
      say('ok', `${t('msg.published')} v${r.version}`);
      refreshFlows();
    } catch (e) {
      if (e instanceof ApiError && e.problems.length) setProblems(e.problems);
      say('error', (e as Error).message);
    }
  };
  const lifecycle = async (action: 'pause' | 'resume' | 'stop') => {
    try {
      await api.lifecycle(flow.id, action);
      refreshFlows();
      say('ok', t(`tb.${action}`));
    } catch (e) {
      say('error', (e as Error).message);
    }
  };
  const simulate = async () => {
    if (dirty && !(await save())) return;
    try {
      say('ok', '…');
      const r = await api.simulate(flow.id, 7);
      setCounts({ nodes: mergeCounts(r.report.nodes, r.funnel), source: 'sim' });
      say('ok', `${t('msg.simulated')}: ${Object.entries(r.summary).filter(([, v]) => typeof v === 'number').map(([k, v]) => `${k} ${v}`).join(', ')}`);
    } catch (e) {
      say('error', (e as Error).message);
    }
  };
  const liveCounts = async () => {
    try {
      const r = await api.counts(flow.id);
      setCounts({ nodes: mergeCounts(r.nodes, r.funnel), source: 'live' });
    } catch (e) {
      say('error', (e as Error).message);
    }
  };
  const exportFile = async () => {
    const { text } = await api.validate(flow);
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type: 'text/yaml' }));
    a.download = `${flow.id}.flow.yaml`;
    a.click();
  };
  const importFile = async (file: File) => {
    try {
      const f = parseYaml(await file.text()) as DraftFlow;
      setHist(start({ flow: f, positions: positionsFor(f, undefined) }));
      setSavedKey('');
      setTimeout(() => rf.fitView({ padding: 0.15 }), 50);
    } catch (e) {
      say('error', (e as Error).message);
    }
  };

  const summary = flows.find((f) => f.id === flowId);
  const status = summary?.status ?? 'draft';
  const selectedNode = selected.length === 1 ? flow.nodes.find((n) => n.id === selected[0]) : undefined;
  const ctx: FormContext = { catalogue, ruleNames, skip: NODE_SKIP };

  return (
    <>
      <header className="toolbar">
        <b className="brand">{t('app.title')}</b>
        <button type="button" className={view === 'designer' ? 'active' : ''} onClick={() => setView('designer')}>
          {t('tb.designer')}
        </button>
        <button type="button" className={view === 'customers' ? 'active' : ''} onClick={() => setView('customers')} data-testid="tab-customers">
          {t('tb.customers')}
        </button>
        <span className="sep" />
        <select value={flowId ?? ''} onChange={(e) => e.target.value && load(e.target.value)} aria-label={t('tb.flow')} data-testid="flow-select">
          <option value="">{t('tb.flow')}…</option>
          {flows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.id} · {t(`status.${f.status}`)}
            </option>
          ))}
        </select>
        <input className="new-id" placeholder={t('tb.newId')} value={newId} onChange={(e) => setNewId(e.target.value.toLowerCase())} data-testid="new-flow-id" />
        <button
          type="button"
          data-testid="new-flow"
          onClick={() => {
            const id = newId || 'new-flow';
            setHist(start(empty(id)));
            setSavedKey('');
            setFlowId(null);
            setCounts(null);
            setSelected([]);
          }}
        >
          {t('tb.new')}
        </button>
        <button type="button" onClick={() => api.templates().then((r) => setTemplates(r.templates))} data-testid="open-templates">
          {t('tb.templates')}
        </button>
        <span className="sep" />
        <button type="button" onClick={() => setHist(undo)} disabled={!hist.past.length} title="Ctrl+Z">
          ↶ {t('tb.undo')}
        </button>
        <button type="button" onClick={() => setHist(redo)} disabled={!hist.future.length} title="Ctrl+Y">
          ↷ {t('tb.redo')}
        </button>
        <button type="button" onClick={copy} disabled={!selected.length}>
          {t('tb.copy')}
        </button>
        <button type="button" onClick={paste} disabled={!clipboard.length}>
          {t('tb.paste')}
        </button>
        <button type="button" onClick={del} disabled={!selected.length}>
          {t('tb.delete')}
        </button>
        <button
          type="button"
          data-testid="auto-layout"
          onClick={() => {
            commit({ flow, positions: autoLayout(flow) });
            setTimeout(() => rf.fitView({ padding: 0.15 }), 30);
          }}
        >
          {t('tb.layout')}
        </button>
        <span className="sep" />
        <button type="button" className="primary" onClick={save} data-testid="save">
          {t('tb.save')}
          {dirty ? ' •' : ''}
        </button>
        <button type="button" onClick={publish} data-testid="publish" disabled={errors.length > 0 || !canPublish} title={!canPublish ? 'analyst: read only' : errors.length ? t('msg.publishRefused') : ''}>
          {t('tb.publish')}
        </button>
        {status === 'active' && <button type="button" onClick={() => lifecycle('pause')}>{t('tb.pause')}</button>}
        {status === 'paused' && <button type="button" onClick={() => lifecycle('resume')}>{t('tb.resume')}</button>}
        {(status === 'active' || status === 'paused') && <button type="button" onClick={() => lifecycle('stop')}>{t('tb.stop')}</button>}
        <span className={`status status-${status}`} data-testid="flow-status">
          {t(`status.${status}`)}
        </span>
        {summary?.versions?.length ? (
          <select className="versions" aria-label="versions" data-testid="versions" defaultValue="" title={t('tb.versions')}>
            <option value="">{`v${summary.currentVersion ?? '-'}`}</option>
            {summary.versions.map((v) => (
              <option key={v.version} disabled>
                v{v.version} · {new Date(v.publishedAt).toISOString().slice(0, 16).replace('T', ' ')} · {v.author} · {v.hash.slice(0, 8)}
              </option>
            ))}
          </select>
        ) : null}
        <button type="button" onClick={simulate} data-testid="simulate" disabled={errors.length > 0}>
          {t('tb.simulate')}
        </button>
        <button type="button" onClick={liveCounts} disabled={status === 'draft'}>
          {t('tb.counts')}
        </button>
        <button type="button" onClick={exportFile}>
          {t('tb.export')}
        </button>
        <label className="import">
          {t('tb.import')}
          <input type="file" accept=".yaml,.yml" onChange={(e) => e.target.files?.[0] && importFile(e.target.files[0])} />
        </label>
        <span className="grow" />
        <button type="button" onClick={toggleLang} data-testid="lang">
          {t('lang')}
        </button>
      </header>
      {message && (
        <div className={`message message-${message.kind}`} data-testid="message" onClick={() => setMessage(null)}>
          {message.text}
        </div>
      )}
      {view === 'customers' ? (
        <Customers />
      ) : (
        <main className="workspace">
          <Palette onAdd={(type) => add(type)} disabled={(type) => (canAdd(flow, type).ok ? null : t('connect.oneEntry'))} />
          <div
            className="canvas"
            onDragOver={(e) => {
              e.preventDefault();
              e.dataTransfer.dropEffect = 'move';
            }}
            onDrop={(e) => {
              const type = e.dataTransfer.getData(DRAG_TYPE) as NodeType;
              if (!type) return;
              e.preventDefault();
              add(type, rf.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
            }}
          >
            <ReactFlow
              nodes={canvas.nodes}
              edges={canvas.edges}
              nodeTypes={NODE_TYPES_RF}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeDragStart={() => setHist((h) => ({ past: [...h.past, h.present], present: h.present, future: [] }))}
              isValidConnection={(c) => canConnect(flow, { source: c.source, sourceHandle: c.sourceHandle, target: c.target }).ok}
              onPaneClick={() => setSelected([])}
              deleteKeyCode={['Delete', 'Backspace']}
              fitView
              minZoom={0.2}
            >
              <Background />
              <MiniMap pannable zoomable />
              <Controls />
            </ReactFlow>
            {counts && (
              <div className="counts-note" data-testid="counts-note">
                {counts.source === 'sim' ? t('tb.simulate') : t('tb.counts')}
              </div>
            )}
            {counts?.source === 'live' && <IntakeLag flowId={flow.id} />}
          </div>
          <aside className="inspector" data-testid="inspector">
            {selectedNode && schema ? (
              <NodeInspector key={selectedNode.id} node={selectedNode} flow={flow} schema={schema} ctx={ctx} onFlow={setFlow} onSelect={(id) => setSelected([id])} />
            ) : (
              <FlowInspector flow={flow} schema={schema} ctx={ctx} onFlow={setFlow} />
            )}
            <ProblemList flow={flow} problems={problems} onSelect={(id) => setSelected([id])} />
          </aside>
        </main>
      )}
      {templates && (
        <div className="modal" data-testid="templates">
          <div className="modal-body">
            <h3>{t('templates.title')}</h3>
            {templates.map((tp) => (
              <div key={tp.id} className="template">
                <b>{tp.name}</b> <code>{tp.id}</code> · {tp.nodes}
                <p>{tp.description}</p>
                <button
                  type="button"
                  onClick={() => {
                    setTemplates(null);
                    load(tp.id, newId || `${tp.id}-copy`);
                  }}
                >
                  {t('templates.use')}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => setTemplates(null)}>
              {t('close')}
            </button>
          </div>
        </div>
      )}
    </>
  );
}

function nodeSchema(schema: Record<string, any>, type: string): Record<string, any> | undefined {
  return (schema.properties?.nodes?.items?.oneOf as Record<string, any>[] | undefined)?.find((s) => s.properties?.type?.const === type);
}

function NodeInspector({ node, flow, schema, ctx, onFlow, onSelect }: { node: DraftNode; flow: DraftFlow; schema: Record<string, any>; ctx: FormContext; onFlow: (f: DraftFlow) => void; onSelect: (id: string) => void }) {
  const t = useT();
  const s = nodeSchema(schema, node.type);
  const [id, setId] = useState(node.id);
  const update = (n: DraftNode) => onFlow({ ...flow, nodes: flow.nodes.map((x) => (x.id === node.id ? n : x)) });
  return (
    <div className="node-inspector" data-testid={`inspector-${node.id}`}>
      <h3>
        {t(`type.${node.type}`)} <small>{s?.properties?.type?.description}</small>
      </h3>
      <div className="field">
        <label className="field-label">{t('inspector.id')}</label>
        <input
          value={id}
          data-testid="node-id"
          onChange={(e) => setId(e.target.value)}
          onBlur={() => {
            if (id !== node.id && /^[a-z0-9][a-z0-9-_]*$/.test(id)) {
              onFlow(renameNode(flow, node.id, id));
              onSelect(id);
            } else setId(node.id);
          }}
        />
      </div>
      {s && <ObjectFields schema={s} value={node} onChange={(v) => update(v as DraftNode)} ctx={ctx} skip={ctx.skip} />}
      {node.type === 'split' && <ExperimentPanel node={node} />}
      <h4>{t('inspector.edges')}</h4>
      {outputsOf(node).map((h) => (
        <div key={h.id} className="field edge-field">
          <label className="field-label">{'key' in h.label ? t(h.label.key) : h.label.text}</label>
          <select
            value={targetOf(node, h.id) ?? ''}
            data-testid={`edge-${h.id}`}
            onChange={(e) => {
              const target = e.target.value || undefined;
              onFlow(target ? connect(flow, { source: node.id, sourceHandle: h.id, target }) : { ...flow, nodes: flow.nodes.map((x) => (x.id === node.id ? withTarget(x, h.id, undefined) : x)) });
            }}
          >
            <option value="">—</option>
            {flow.nodes
              .filter((n) => canConnect(flow, { source: node.id, sourceHandle: h.id, target: n.id }).ok)
              .map((n) => (
                <option key={n.id} value={n.id}>
                  {n.id}
                </option>
              ))}
          </select>
        </div>
      ))}
    </div>
  );
}

function FlowInspector({ flow, schema, ctx, onFlow }: { flow: DraftFlow; schema: Record<string, any> | null; ctx: FormContext; onFlow: (f: DraftFlow) => void }) {
  const t = useT();
  return (
    <div className="flow-inspector" data-testid="flow-inspector">
      <h3>{t('inspector.flow')}</h3>
      <small>{t('inspector.none')}</small>
      {schema && <ObjectFields schema={schema} value={flow} onChange={(v) => onFlow(v as DraftFlow)} ctx={ctx} skip={new Set(['id', 'nodes'])} />}
    </div>
  );
}

function ProblemList({ flow, problems, onSelect }: { flow: DraftFlow; problems: Problem[]; onSelect: (id: string) => void }) {
  const t = useT();
  const general = flowLevelProblems(flow, problems);
  return (
    <div className="problems" data-testid="problems">
      <h4>
        {t('problems.title')} ({problems.length})
      </h4>
      {!problems.length && <small>{t('problems.none')}</small>}
      <ul>
        {problems.map((p, i) => (
          <li key={i} className={p.severity} onClick={() => p.nodeId && onSelect(p.nodeId)}>
            {p.nodeId && !general.includes(p) ? <b>{p.nodeId}: </b> : null}
            {p.message}
          </li>
        ))}
      </ul>
    </div>
  );
}

export { translate };
