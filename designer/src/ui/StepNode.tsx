import { brokenAudiencesOf } from '../model/broken-segments.js';
import { useBrokenSegments } from './broken-segments.js';
import { BrokenAudienceNote } from './BrokenAudienceNote.js';
import { Handle, Position, type NodeProps } from '@xyflow/react';
import { memo } from 'react';
import type { StepData } from '../model/convert.js';
import { countLines, failedErrorLines } from '../model/counts.js';
import { formatCount } from '../model/format.js';
import { handleText } from '../model/edge-labels.js';
import { handleSlots } from '../model/handle-layout.js';
import { hasInput, outputsOf } from '../model/handles.js';
import { NODE_WIDTH } from '../model/layout.js';
import { hiddenFieldProblems, hiddenProblemsMarker } from '../model/node-fields.js';
import { problemWords } from '../model/problem-words.js';
import { stepName } from '../model/step-name.js';
import { countLineWords } from '../model/count-line-words.js';
import { deliveryErrorWords } from '../model/reason-words.js';
import { useCapNames } from './cap-names.js';
import { declaredEventsOn, nodeSummary } from '../model/summary.js';
import { useDeclaredEvents } from './declared-events.js';
import { useJourneyKey } from './journey-key.js';
import { useSegmentTitles } from './segment-titles.js';
import { useLang, useT } from './i18n.js';
import { kindMeaning, kindName, SEND_KINDS } from '../model/send-kind.js';

const kindOf = (c: unknown) => ((SEND_KINDS as readonly unknown[]).includes(c) ? String(c) : 'marketing');

// Each icon a glyph the usual fonts have: 多路分支's ⑂ (U+2442) is in none of them and drew an empty box.
const ICON: Record<string, string> = { entry: '▶', condition: '◇', switch: '⋔', split: '⚖', wait: '◔', waitForEvent: '◑', send: '✉', action: '⚙', limit: '▤', exit: '■' };

/**
 * One step on the canvas: type, name, a one-line summary in words, problem badge, counts, and
 * its branch handles spread so their labels never overlap (the card widens when they need room).
 */
function StepNodeView({ id, data, selected }: NodeProps) {
  const t = useT();
  const lang = useLang();
  const { node, problems, counts, countsWithheld } = data as unknown as StepData;
  const outs = outputsOf(node);
  const labels = outs.map((h) => handleText(h, t));
  const slots = handleSlots(labels, NODE_WIDTH);
  const errors = problems.filter((p) => p.severity === 'error');
  const declared = useDeclaredEvents();
  const titles = useSegmentTitles();
  const brokenAudiences = brokenAudiencesOf(node, useBrokenSegments());
  const caps = useCapNames();
  const journeyKey = useJourneyKey();
  const summary = nodeSummary(lang, node, undefined, declared, titles, journeyKey);
  // A declared event is shown by the shop's description; its name (what the flow file and the API say) in the tooltip.
  const rawEvents = declaredEventsOn(node, declared);
  const name = stepName(lang, node, id);
  // Problems in a field the form does not show (an SMS's subject): said on the card, not only counted.
  const hidden = hiddenFieldProblems(lang, node, problems);
  const marker = hiddenProblemsMarker(lang, hidden);
  return (
    <div className={`step step-${node.type}${selected ? ' selected' : ''}${errors.length ? ' has-errors' : ''}`} style={{ width: slots.width }} data-testid={`node-${id}`}>
      {hasInput(node) && <Handle type="target" position={Position.Top} id="in" />}
      <div className="step-head">
        <span className="step-icon">{ICON[node.type]}</span>
        <span className="step-type">{t(`type.${node.type}`)}</span>
        {/* A send's kind on the card: a 催付 marked 营销 counts against the shop's marketing caps (model/send-kind.ts). */}
        {node.type === 'send' && (
          <span className={`step-kind step-kind-${kindOf(node.category)}`} data-testid={`kind-${id}`} title={kindMeaning(lang, node.category)}>
            {kindName(lang, node.category)}
          </span>
        )}
        {/* The name only when it says more than the body (a wait named 等待 2 小时 said it twice); one line, in full on hover. */}
        {name !== summary && (
          <span className="step-id" data-content title={name}>
            {name}
          </span>
        )}
        {problems.length > 0 && (
          <span className={`badge ${errors.length ? 'badge-error' : 'badge-warn'}`} title={problems.map((p) => problemWords(lang, p, { id: '', name: '', nodes: [node] })).join('\n')} data-testid={`problems-${id}`}>
            {problems.length}
          </span>
        )}
      </div>
      <div className="step-label" data-content data-testid={`summary-${id}`} title={rawEvents.length ? `${summary}\n${rawEvents.join(', ')}` : summary}>
        {summary}
      </div>
      {brokenAudiences.map((b) => (
        <BrokenAudienceNote key={b.name} broken={b} testId={`broken-audience-${id}`} className="step-hidden-problems error" />
      ))}
      {marker && (
        <div className={`step-hidden-problems ${hidden.some((h) => h.problems.some((p) => p.severity === 'error')) ? 'error' : 'warning'}`} data-testid={`hidden-problems-${id}`} title={hidden.flatMap((h) => [`${h.label}${lang === 'zh' ? '：' : ': '}${h.why}`, ...h.problems.map((p) => p.words)]).join('\n')}>
          ⚠ {marker}
        </div>
      )}
      {/* Live numbers shown, but not the live version's on a card the draft changed or added (model/counts-on-draft.ts). */}
      {countsWithheld && (
        <div className="step-counts-withheld" data-testid={`counts-withheld-${id}`}>
          {countsWithheld}
        </div>
      )}
      {counts && (
        <div className="step-counts" data-testid={`counts-${id}`}>
          {countLines(counts).map(([k, v]) => (
            <span key={k} className={`count${k.startsWith('blocked:') ? ' count-blocked' : k === 'counts.failed' ? ' count-failed' : ''}`} title={k === 'counts.failed' ? failedErrorLines(counts, (e) => deliveryErrorWords(lang, e)).join('\n') || undefined : k === 'counts.redeemedAfterEnd' ? t('counts.redeemedAfterEndHelp') : undefined}>
              {countLineWords(lang, k, t, node, caps)} <b>{formatCount(lang, v)}</b>
            </span>
          ))}
        </div>
      )}
      <div className="step-outs">
        {outs.map((h, i) => (
          <div key={h.id}>
            <span className="handle-label" data-content={h.label && 'text' in h.label ? '' : undefined} style={{ left: slots.centers[i], width: slots.widths[i] }} data-handle={h.id}>
              {labels[i]}
            </span>
            <Handle type="source" position={Position.Bottom} id={h.id} style={{ left: slots.centers[i] }} />
          </div>
        ))}
      </div>
    </div>
  );
}

export const StepNode = memo(StepNodeView);
