import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { StepData } from '../model/convert.js';
import { hasInput, outputsOf } from '../model/handles.js';
import { countLines } from '../model/counts.js';
import { outcomeLabel } from '../model/i18n.js';
import { NODE_WIDTH } from '../model/layout.js';
import { useLang, useT } from './i18n.js';

const ICON: Record<string, string> = { entry: '▶', condition: '◇', switch: '⑂', split: '⚖', wait: '⏱', waitForEvent: '⏳', send: '✉', action: '⚙', exit: '■' };

/** One step on the canvas: type, label, a one-line summary, problem badge, counts, labelled branch handles. */
function StepNodeView({ id, data, selected }: NodeProps) {
  const t = useT();
  const lang = useLang();
  const { node, problems, counts } = data as unknown as StepData;
  const outs = outputsOf(node);
  const errors = problems.filter((p) => p.severity === 'error');
  return (
    <div className={`step step-${node.type}${selected ? ' selected' : ''}${errors.length ? ' has-errors' : ''}`} style={{ width: NODE_WIDTH }} data-testid={`node-${id}`}>
      {hasInput(node) && <Handle type="target" position={Position.Top} id="in" />}
      <div className="step-head">
        <span className="step-icon">{ICON[node.type]}</span>
        <span className="step-type">{t(`type.${node.type}`)}</span>
        <span className="step-id">{id}</span>
        {problems.length > 0 && (
          <span className={`badge ${errors.length ? 'badge-error' : 'badge-warn'}`} title={problems.map((p) => p.message).join('\n')} data-testid={`problems-${id}`}>
            {problems.length}
          </span>
        )}
      </div>
      <div className="step-label">{node.label || summary(node)}</div>
      {counts && (
        <div className="step-counts" data-testid={`counts-${id}`}>
          {countLines(counts).map(([k, v]) => (
            <span key={k} className={`count${k.startsWith('blocked:') ? ' count-blocked' : ''}`}>
              {k.startsWith('counts.') ? t(k) : k.startsWith('blocked:') ? `${t('counts.blocked')} ${k.slice(8)}` : outcomeLabel(lang, k)} <b>{v}</b>
            </span>
          ))}
        </div>
      )}
      <div className="step-outs">
        {outs.map((h, i) => {
          const left = `${((i + 1) / (outs.length + 1)) * 100}%`;
          return (
            <div key={h.id}>
              <span className="handle-label" style={{ left }}>
                {'key' in h.label ? t(h.label.key) : h.label.text}
              </span>
              <Handle type="source" position={Position.Bottom} id={h.id} style={{ left }} />
            </div>
          );
        })}
      </div>
    </div>
  );
}

function summary(node: StepData['node']): string {
  const s = (v: unknown) => (v === undefined || v === null ? '' : String(v));
  switch (node.type) {
    case 'entry': {
      const tr = (node.trigger ?? {}) as Record<string, unknown>;
      return `${s(tr.type)}: ${s(tr.event ?? tr.segment)}`;
    }
    case 'wait':
      return s(node.duration ?? node.untilTime ?? node.untilDate);
    case 'waitForEvent':
      return `${(node.events as string[] | undefined)?.join(', ') ?? ''} ≤ ${s(node.within)}`;
    case 'send':
      return `${s(node.channel)}: ${s(node.template).slice(0, 40)}`;
    case 'condition':
      return node.rule ? s(node.rule) : 'conditions';
    case 'action':
      return s((node.action as Record<string, unknown> | undefined)?.kind);
    case 'limit':
      return `${s(node.mode ?? 'split')} ≤ ${s(node.max)}`;
    default:
      return '';
  }
}

export const StepNode = memo(StepNodeView);
