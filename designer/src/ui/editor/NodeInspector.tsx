import { useEffect, useMemo, useRef, useState } from 'react';
import type { ExperimentReport } from '../../api.js';
import { canConnect, renameNode } from '../../model/connect.js';
import { connectAround } from '../../model/connect-around.js';
import { handleText } from '../../model/edge-labels.js';
import { outputsOf, targetOf, withTarget } from '../../model/handles.js';
import { stepChoices } from '../../model/step-choices.js';
import { hiddenFieldProblems, hiddenFields } from '../../model/node-fields.js';
import { edgeFieldOf, nodeFieldProblems, problemsAt } from '../../model/field-problems.js';
import type { DraftFlow, DraftNode, Problem } from '../../model/types.js';
import { ExperimentPanel } from '../ExperimentPanel.js';
import { MessagePanel } from './MessagePanel.js';
import { GroupResponsePanel } from '../GroupResponsePanel.js';
import { ProductClicksPanel } from '../ProductClicksPanel.js';
import type { DrawingState } from '../hooks/useDrawing.js';
import { useLang, useT } from '../i18n.js';
import { ObjectFields, type FormContext } from '../SchemaForm.js';
import { defaultSendKind, kindReasonWords } from '../../model/send-kind.js';
import { useFormSync } from '../hooks/useFormSync.js';

function nodeSchema(schema: Record<string, any>, type: string): Record<string, any> | undefined {
  return (schema.properties?.nodes?.items?.oneOf as Record<string, any>[] | undefined)?.find((s) => s.properties?.type?.const === type);
}

/** Why a node id cannot be used (an i18n key), or null. */
export function nodeIdProblem(flow: DraftFlow, from: string, to: string): string | null {
  if (!to) return 'id.empty';
  if (!/^[a-z0-9][a-z0-9-_]*$/.test(to)) return 'id.nodeChars';
  if (to !== from && flow.nodes.some((n) => n.id === to)) return 'id.nodeTaken';
  return null;
}

/** The selected node: its form (generated from the schema), its id, its connections. */
/**
 * Read only (an analyst): the node's own fields and connections are disabled, but what only reads —
 * the message preview for a customer, the experiment's figures — stays usable.
 */
/**
 * `problems`: the Problems panel's list; this step's are said beside their fields as well (and its
 * outputs' beside their 连接 selects). `focus`: the field a click in the panel asked for (with a
 * count, so a second click on the same entry scrolls again): brought into view.
 */
export function NodeInspector({ node, flow, schema, ctx, drawing, simulatedExperiment, canSend = true, readOnly = false, problems = [], focus, published = false }: { node: DraftNode; flow: DraftFlow; schema: Record<string, any>; ctx: FormContext; drawing: DrawingState; simulatedExperiment?: ExperimentReport; canSend?: boolean; readOnly?: boolean; problems?: readonly Problem[]; focus?: { field: string; n: number } | null; /** The flow has figures to read (a published version, or its simulation on a simulation's copy: model/figures-to-read.ts): its send steps' responses by group and products. */ published?: boolean }) {
  const t = useT();
  const lang = useLang();
  const fieldProblems = useMemo(() => nodeFieldProblems(lang, problems, flow, node.id), [lang, problems, flow, node.id]);
  // Problems in fields the form does not show (an SMS's subject): listed here with a way to clear the field.
  const hidden = useMemo(() => hiddenFieldProblems(lang, node, problems, flow), [lang, node, problems, flow]);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!focus || !box.current) return;
    // The problem's own words beside its field, else the field itself (a problem of the step as a whole: the form's top).
    const target = box.current.querySelector(`[data-testid="field-error"][data-field="${CSS.escape(focus.field)}"], [data-testid="field-warning"][data-field="${CSS.escape(focus.field)}"]`) ?? box.current.querySelector(`[data-field="${CSS.escape(focus.field)}"]`);
    target?.scrollIntoView({ block: 'center' });
  }, [focus?.field, focus?.n]);
  const s = nodeSchema(schema, node.type);
  // Why a send's kind is what the journey suggests, said while it is that kind (model/send-kind.ts).
  const sendKindReason = useMemo(() => {
    if (node.type !== 'send') return null;
    const d = defaultSendKind(flow, node.id);
    return d.kind === (node.category ?? 'marketing') ? kindReasonWords(lang, d.reason) : null;
  }, [flow, node, lang]);
  const [id, setId] = useState(node.id);
  // The form is drawn anew when the step changes from outside it (undo, redo, a reload): its widgets keep what they show.
  const form = useFormSync<DraftNode>(node, (v) => drawing.updateNode(node.id, v));
  const problem = nodeIdProblem(flow, node.id, id);
  return (
    <div className="node-inspector" data-testid={`inspector-${node.id}`} ref={box}>
      <h3>
        {t(`type.${node.type}`)} <small>{t(`typehelp.${node.type}`)}</small>
      </h3>
      <fieldset className="inspector-fields" disabled={readOnly} data-testid="inspector-fields">
      <div className="field">
        <label className="field-label" htmlFor={`${node.id}-node-id`}>{t('inspector.id')}</label>
        <input
          id={`${node.id}-node-id`}
          value={id}
          data-testid="node-id"
          onChange={(e) => setId(e.target.value)}
          onBlur={() => {
            if (id !== node.id && !problem) {
              drawing.setFlow(renameNode(flow, node.id, id));
              drawing.setSelected([id]);
            }
          }}
        />
        {problem && (
          <small className="error" data-testid="node-id-problem">
            {t(problem)}
          </small>
        )}
      </div>
      {hidden.map((h) => (
        <div key={h.field} className={`hidden-field-problems ${h.problems.some((p) => p.severity === 'error') ? 'error' : 'warning'}`} data-testid={`hidden-field-${h.field}`} data-field={h.field}>
          <p>
            {lang === 'zh' ? `表单里不显示「${h.label}」（${h.why}），但它有值，而且有问题：` : `The form does not show "${h.label}" (${h.why}), but it has a value with problems:`}
          </p>
          {h.problems.map((p, i) => (
            <p key={i} className={p.severity} data-testid={p.severity === 'error' ? 'field-error' : 'field-warning'} data-field={h.field}>
              {p.words}
            </p>
          ))}
          {!readOnly && (
            <button
              type="button"
              data-testid={`clear-hidden-${h.field}`}
              onClick={() => {
                const { [h.field]: _gone, ...rest } = node as Record<string, unknown>;
                drawing.updateNode(node.id, rest as DraftNode);
              }}
            >
              {lang === 'zh' ? `清除「${h.label}」` : `Clear "${h.label}"`}
            </button>
          )}
        </div>
      ))}
      {s && <ObjectFields key={form.key} schema={s} value={node} onChange={(v) => form.write(v as DraftNode)} ctx={{ ...ctx, fieldProblems, sendKindReason, arms: node.type === 'split' ? node.arms : undefined }} skip={hiddenFields(node, ctx.skip)} path="" />}
      </fieldset>
      {node.type === 'split' && <ExperimentPanel node={node} simulated={simulatedExperiment} timezone={ctx.timezone} />}
      {node.type === 'send' && <MessagePanel node={node} flow={flow} catalogue={ctx.catalogue} canSend={canSend} canEdit={!readOnly} onInsert={(v) => drawing.updateNode(node.id, { ...node, template: `${String(node.template ?? '')}${v}` })} />}
      {node.type === 'send' && published && <GroupResponsePanel flowId={flow.id} nodeId={node.id} />}
      {node.type === 'send' && published && <ProductClicksPanel flowId={flow.id} nodeId={node.id} />}
      <fieldset className="inspector-fields" disabled={readOnly}>
      <h4>{t('inspector.edges')}</h4>
      {outputsOf(node).map((h) => (
        <div key={h.id} className="field edge-field">
          <label className="field-label" data-content={'text' in h.label ? '' : undefined} htmlFor={`${node.id}-edge-${h.id}`}>
            {handleText(h, t)}
          </label>
          <select
            id={`${node.id}-edge-${h.id}`}
            value={targetOf(node, h.id) ?? ''}
            data-testid={`edge-${h.id}`}
            data-content
            onChange={(e) => {
              const target = e.target.value || undefined;
              // Connected here as on the canvas: a card the new line would cut through moves aside (model/connect-around.ts).
              if (target) drawing.commit(connectAround(flow, drawing.positions, { source: node.id, sourceHandle: h.id, target }, t));
              else drawing.setFlow({ ...flow, nodes: flow.nodes.map((x) => (x.id === node.id ? withTarget(x, h.id, undefined) : x)) });
            }}
          >
            <option value="">—</option>
            {/* Steps in words (结束, 发送短信); the id only where two read the same (model/step-choices.ts), else in the tooltip. */}
            {stepChoices(lang, flow.nodes.filter((n) => canConnect(flow, { source: node.id, sourceHandle: h.id, target: n.id }).ok)).map((c) => (
              <option key={c.value} value={c.value} title={c.hint}>
                {c.label}
              </option>
            ))}
          </select>
          {problemsAt(fieldProblems, edgeFieldOf(node, h.id), false).map((p, i) => (
            <small key={i} className={p.severity} role={p.severity === 'error' ? 'alert' : undefined} data-testid={p.severity === 'error' ? 'field-error' : 'field-warning'} data-field={edgeFieldOf(node, h.id)}>
              {p.words}
            </small>
          ))}
        </div>
      ))}
      </fieldset>
    </div>
  );
}
