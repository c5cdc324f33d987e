import { LoadFailed } from '../LoadFailed.js';
import { loadFailureWords } from '../../model/load-failure.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { useMemo, useState } from 'react';
import { api } from '../../api.js';
import { ApiError } from '../../api-error.js';
import { campaignChoices } from '../../model/campaign-choices.js';
import { flowFieldProblems } from '../../model/field-problems.js';
import { idProblem } from '../../model/flow-id.js';
import type { DraftFlow, Problem } from '../../model/types.js';
import { useLang, useT } from '../i18n.js';
import { ObjectFields, type FormContext } from '../SchemaForm.js';
import { useFormSync } from '../hooks/useFormSync.js';

/**
 * With no node selected: the flow's settings, and its id while it can still change. The journey's
 * own problems are said beside their fields (`problems`: the Problems panel's list), and 所属活动
 * offers the campaigns the other journeys belong to.
 */
export function FlowInspector({ flow, schema, ctx, onChange, idLocked, onRename, problems = [] }: { flow: DraftFlow; schema: Record<string, any> | null; ctx: FormContext; onChange: (f: DraftFlow) => void; idLocked: boolean; onRename: (to: string) => Promise<void>; problems?: readonly Problem[] }) {
  const t = useT();
  const lang = useLang();
  // Asked again while the server cannot answer; when it still cannot, none are offered (one is still typed) and the form says why.
  const home = useRetriedLoad(() => api.home(), [flow.id]);
  const campaigns = useMemo(() => (home.data ? campaignChoices(home.data.flows, flow.id) : []), [home.data, flow.id]);
  const fieldProblems = useMemo(() => flowFieldProblems(lang, problems, flow), [lang, problems, flow]);
  const [id, setId] = useState(flow.id);
  // Drawn anew when the settings change from outside the form (undo, redo, a reload): see model/form-sync.ts.
  const form = useFormSync<DraftFlow>(flow, onChange, (f) => ({ ...f, nodes: undefined }));
  const [error, setError] = useState<string | null>(null);
  const apply = async () => {
    if (id === flow.id) return setError(null);
    const p = idProblem(id, new Set());
    if (p) return setError(t(p));
    try {
      await onRename(id);
    } catch (e) {
      // A taken id in words (the server's 409 says `to: a flow … already exists` in English); anything else with the server's reason.
      setError(e instanceof ApiError && e.status === 409 ? t('id.taken') : `${t('id.taken')} (${(e as Error).message})`);
    }
  };
  return (
    <div className="flow-inspector" data-testid="flow-inspector">
      <h3>{t('inspector.flow')}</h3>
      <small>{t('inspector.none')}</small>
      <div className="field" data-field="flow-id">
        <label className="field-label" htmlFor="flow-inspector-id">{t('inspector.flowId')}</label>
        {idLocked ? (
          <>
            <code data-content>{flow.id}</code>
            <small className="help">{t('inspector.flowIdLocked')}</small>
          </>
        ) : (
          <>
            <input id="flow-inspector-id" value={id} onChange={(e) => setId(e.target.value.trim().toLowerCase())} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} data-testid="flow-id" />
            <small className={error ? 'error' : 'help'} data-testid="flow-id-help">
              {error ?? t('inspector.flowIdHelp')}
            </small>
          </>
        )}
      </div>
      {home.failed && <LoadFailed words={loadFailureWords(lang, 'campaigns', home.failed.error)} retry={home.retry} testId="campaigns-failed" />}
      {schema && <ObjectFields key={form.key} schema={schema} value={flow} onChange={(v) => form.write(v as DraftFlow)} ctx={{ ...ctx, fieldProblems, campaigns }} skip={new Set(['id', 'nodes'])} path="" />}
    </div>
  );
}
