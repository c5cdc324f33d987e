import { LoadFailed } from '../LoadFailed.js';
import { flowLevelProblems } from '../../model/convert.js';
import { problemWords } from '../../model/problem-words.js';
import { flowProblemPlace } from '../../model/flow-problem-place.js';
import { stepNameIn } from '../../model/step-name.js';
import type { DraftFlow, Problem } from '../../model/types.js';
import { useLang, useT } from '../i18n.js';

/** The flow's problems in words, each pointing at its node (click to select it and bring the field into view). */
export function ProblemList({ flow, problems, checking = false, rechecking = false, checkFailed = null, onRetryCheck, onSelect, fixOf }: { flow: DraftFlow; problems: Problem[]; checking?: boolean; /** The answer shown is for an earlier drawing; the latest is being checked. */ rechecking?: boolean; /** The server's check could not be done: said instead of 没有问题. */ checkFailed?: { text: string; retry: string } | null; onRetryCheck?: () => void; onSelect: (p: Problem) => void; fixOf?: (p: Problem) => { label: string; apply: () => void } | null }) {
  const t = useT();
  const lang = useLang();
  const general = flowLevelProblems(flow, problems);
  const labelOf = (id: string) => stepNameIn(lang, flow.nodes, id);
  return (
    <div className="problems" data-testid="problems" aria-busy={checking || rechecking}>
      <h4>
        {t('problems.title')} ({problems.length})
      </h4>
      {/* Until the server's checks answer, "no problems" would be a guess (past dates are its to find). */}
      {checking && <small data-testid="problems-checking">{t('problems.checking')}</small>}
      {checkFailed && <LoadFailed words={checkFailed} retry={() => onRetryCheck?.()} testId="problems-check-failed" />}
      {!checking && !checkFailed && !problems.length && <small>{t('problems.none')}</small>}
      {problems.some((p) => p.severity === 'error') && <small className="help">{t('problems.blockPublish')}</small>}
      <ul>
        {problems.map((p, i) => (
          <li key={i} className={p.severity} onClick={() => p.nodeId && onSelect(p)}>
            {p.nodeId && !general.includes(p) ? <b data-content>{labelOf(p.nodeId)}：</b> : null}
            {general.includes(p) && flowProblemPlace(lang, flow, p) ? <b data-content>{flowProblemPlace(lang, flow, p)}{lang === 'zh' ? '：' : ': '}</b> : null}
            {problemWords(lang, p, flow)}
            {(() => {
              // A problem the designer can put right itself offers it (one 撤销 takes it back).
              const fix = fixOf?.(p);
              return fix ? (
                <button type="button" className="problem-fix" data-testid="problem-fix" onClick={(e) => (e.stopPropagation(), fix.apply())}>
                  {fix.label}
                </button>
              ) : null;
            })()}
          </li>
        ))}
      </ul>
    </div>
  );
}
