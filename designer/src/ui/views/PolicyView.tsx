import { LoadFailed } from '../LoadFailed.js';
import { loadFailureWords, whyNotLoaded } from '../../model/load-failure.js';
import { retried } from '../../model/retried.js';
import { useRetriedLoad } from '../hooks/useRetriedLoad.js';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api.js';
import { errorText } from '../../model/error-words.js';
import { editedPolicyYaml, newCap, policyDraft, type PolicyDraft } from '../../model/policy-edit.js';
import { policyConflictWords, policyLoadProblems, policyProblems, type PolicyProblem } from '../../model/policy-words.js';
import type { SegmentInfo } from '../../model/segment-words.js';
import { listTitles, type ListTitles } from '../../model/list-titles.js';
import { CapEditor } from '../policy/CapEditor.js';
import { GiveUpEditor } from '../policy/GiveUpEditor.js';
import { QuietHoursEditor } from '../policy/QuietHoursEditor.js';
import { SuppressionEditor } from '../policy/SuppressionEditor.js';
import { BlockListTitles } from '../policy/BlockListTitles.js';
import { useLang, useT } from '../i18n.js';
import { warnBeforeLeaving } from '../unsaved-warning.js';
import { useCan } from '../SignIn.js';
import type { EventType } from '../../api.js';

type Loaded = { yaml: string; version: string; policy: Record<string, any>; lists: string[]; listTitles: ListTitles };

/**
 * 触达规则: the shop-wide contact policy (rules/policy.yaml) for everyone signed in, in words; an
 * admin edits the caps, quiet hours, give-up rule and suppression (opt-out event, block lists, block rules) and saves (PUT /api/policy with the file's text edited in
 * place, so its comments stay: model/policy-edit.ts). A rejected save keeps the edits and shows
 * each problem beside its field. The save names the version of the file the page loaded: when
 * someone changed the file since, nothing is overwritten and the page offers to reload. An admin
 * also names the block lists here (改名称 / 起名称: BlockListTitles), each saved on its own.
 */
export function PolicyView() {
  const t = useT();
  const lang = useLang();
  const admin = useCan('admin');
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [problems, setProblems] = useState<PolicyProblem[]>([]);
  const [status, setStatus] = useState<'idle' | 'saving' | 'saved' | 'failed' | 'conflict'>('idle');
  const [saveError, setSaveError] = useState<string | null>(null);
  // A key per cap row that survives removing the row above it: a row keyed by its index would
  // hand the next cap the removed one's half-typed window. Not the cap id: that is being edited.
  const nextKey = useRef(0);
  const [capKeys, setCapKeys] = useState<number[]>([]);
  const freshKeys = (n: number) => Array.from({ length: n }, () => nextKey.current++);
  const reset = (d: PolicyDraft) => {
    setDraft(d);
    setCapKeys(freshKeys(d.caps.length));
  };

  const load = async () => {
    try {
      const r = await retried(api.policyFile); // asked again while the server cannot answer
      setLoaded({ yaml: r.yaml, version: r.version, policy: r.policy, lists: r.lists ?? [], listTitles: listTitles(r.blockLists) });
      reset(policyDraft(r.yaml));
      setLoadError(null);
    } catch (e) {
      // A file the server refuses to read (not valid, not UTF-8) is said with its line and cause.
      setLoadError(policyLoadProblems(lang, e) ?? whyNotLoaded(lang, e));
    }
  };
  // What the give-up and suppression fields offer: the shop's events and its block rules (segments).
  // Asked again while the server cannot answer; when they still do not come the page says so above
  // the fields (with 重试) rather than offering empty choices as if the shop had none.
  const eventList = useRetriedLoad(() => api.eventTypes(), []);
  const segmentList = useRetriedLoad(() => api.segments(), []);
  const events: EventType[] = eventList.data?.events ?? [];
  const segments: SegmentInfo[] = segmentList.data?.rules ?? [];
  const listsFailed = eventList.failed ?? segmentList.failed;
  const retryLists = () => {
    if (eventList.failed) eventList.retry();
    if (segmentList.failed) segmentList.retry();
  };
  useEffect(() => {
    void load();
  }, []);

  const dirty = !!loaded && !!draft && editedPolicyYaml(loaded.yaml, draft) !== loaded.yaml;
  // Leaving with unsaved edits asks first (top bar, signing out, the browser's back button, closing
  // or reloading the tab): they exist nowhere else.
  useEffect(() => (dirty ? warnBeforeLeaving(t('policy.leave')) : undefined), [dirty, t]);

  if (loadError) return <div className="policy-view" data-testid="policy-view"><LoadFailed words={{ text: `${t('policy.loadFailed')}${loadError}`, retry: t('publish.retry') }} retry={() => void load()} testId="policy-load-failed" /></div>;
  if (!loaded || !draft) return <div className="policy-view" data-testid="policy-view" />;

  const edit = (d: PolicyDraft) => {
    setDraft(d);
    if (status === 'saved') setStatus('idle');
  };
  const save = async () => {
    setStatus('saving');
    try {
      await api.savePolicy(editedPolicyYaml(loaded.yaml, draft), loaded.version);
      setProblems([]);
      setSaveError(null);
      await load();
      setStatus('saved');
    } catch (e) {
      // Someone else changed the file: saving again would fail the same way, only a reload helps.
      // The draft stays on the page until then, so the admin can note what to redo.
      const conflict = policyConflictWords(lang, e);
      if (conflict) {
        setProblems([]);
        setSaveError(conflict);
        setStatus('conflict');
        return;
      }
      // The draft stays as typed: the server changed nothing, the admin fixes the fields and saves again.
      const p = (e as { problems?: unknown[] }).problems;
      setProblems(policyProblems(lang, Array.isArray(p) ? p : []));
      setSaveError(Array.isArray(p) && p.length ? null : errorText(lang, e));
      setStatus('failed');
    }
  };
  // Problems no field below shows (the file as a whole, giveUp.until) are said at the top.
  const general = problems.filter((p) => p.field === null || !/^(caps|quietHours)\.|^giveUp(\.(after|within|pauseFor|answeredBy)(\.|$)|$)|^suppression\.(unsubscribeEvent|lists|segments)(\.|$)/.test(p.field));
  const caps = draft.caps;
  const shown = admin ? draft : policyDraft(loaded.yaml);
  return (
    <div className="policy-view" data-testid="policy-view">
      <h2>{t('policy.title')}</h2>
      <p className="help">{t('policy.intro')}</p>
      <p className="help" data-testid="policy-who">{admin ? t('policy.comments') : t('policy.readOnly')}</p>
      {/* Save at the top, kept in view while scrolling: the caps list grows long. */}
      {admin && (
        <div className="policy-actions">
          <button type="button" className="primary" disabled={!dirty || status === 'saving' || status === 'conflict'} onClick={() => void save()} data-testid="policy-save">
            {status === 'saving' ? t('policy.saving') : t('policy.save')}
          </button>
          <button type="button" disabled={!dirty || status === 'saving'} onClick={() => (reset(policyDraft(loaded.yaml)), setProblems([]), setStatus('idle'))} data-testid="policy-discard">
            {t('policy.discard')}
          </button>
          <span data-testid="policy-status" role="status" className={status === 'failed' || status === 'conflict' ? 'error' : 'help'}>
            {status === 'saved' ? t('policy.saved') : status === 'failed' || status === 'conflict' ? (saveError ?? t('policy.failed')) : dirty ? t('policy.unsaved') : ''}
          </span>
          {status === 'conflict' && (
            <button type="button" onClick={() => void load().then(() => (setSaveError(null), setStatus('idle')))} data-testid="policy-reload">
              {t('policy.reload')}
            </button>
          )}
        </div>
      )}
      {general.map((p, i) => (
        <p key={i} className="error" role="alert" data-testid="policy-problem">
          {p.words}
        </p>
      ))}

      <section>
        <h3>{t('policy.caps')}</h3>
        {shown.caps.length === 0 && <p className="muted">{t('policy.noCaps')}</p>}
        <ul className="policy-caps">
          {shown.caps.map((cap, i) => (
            <CapEditor
              key={admin ? capKeys[i] : i}
              cap={cap}
              index={i}
              editable={admin}
              problems={problems}
              onChange={(c) => edit({ ...draft, caps: caps.map((x, j) => (j === i ? c : x)) })}
              onRemove={() => {
                setCapKeys(capKeys.filter((_, j) => j !== i));
                // The problems name rows by index: after a removal they would point at the wrong cap.
                setProblems([]);
                edit({ ...draft, caps: caps.filter((_, j) => j !== i) });
              }}
            />
          ))}
        </ul>
        {admin && (
          <button type="button" className="small" onClick={() => {
              setCapKeys([...capKeys, ...freshKeys(1)]);
              edit({ ...draft, caps: [...caps, newCap(caps)] });
            }} data-testid="cap-add">
            + {t('policy.addCap')}
          </button>
        )}
      </section>

      <section>
        <h3>{t('policy.quietHours')}</h3>
        <QuietHoursEditor value={shown.quietHours} editable={admin} problems={problems} onChange={(q) => edit({ ...draft, quietHours: q })} />
      </section>

      {listsFailed && <LoadFailed words={loadFailureWords(lang, 'policyLists', listsFailed.error)} retry={retryLists} testId="policy-lists-failed" />}
      <section>
        <h3>{t('policy.giveUp')}</h3>
        <GiveUpEditor value={shown.giveUp} editable={admin} problems={problems} events={events} onChange={(g) => edit({ ...draft, giveUp: g })} />
      </section>
      <section>
        <h3>{t('policy.suppression')}</h3>
        <SuppressionEditor value={shown.suppression} editable={admin} problems={problems} events={events} lists={loaded.lists} listTitles={loaded.listTitles} segments={segments} onChange={(v) => edit({ ...draft, suppression: v })} />
        {/* A list's title is saved on its own (its list file), not with the policy: the draft is untouched. */}
        {admin && <BlockListTitles lists={loaded.lists} listTitles={loaded.listTitles} onSaved={(name, title) => setLoaded((l) => l && { ...l, listTitles: { ...l.listTitles, [name]: title } })} />}
      </section>

    </div>
  );
}
