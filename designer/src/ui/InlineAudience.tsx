import { useState } from 'react';
import { api } from '../api.js';
import { RuleBuilder, type Catalogue } from './RuleBuilder.js';
import { audienceErrorWords } from '../model/audience-error-words.js';
import { useLang, useT } from './i18n.js';
import { canStartFrom } from '../model/segment-rule-words.js';
import { canEditInPlace, editNeedsAdminWords, editStart, liveJourneyWords, segmentEditErrorWords } from '../model/segment-edit.js';
import { useSession } from './SignIn.js';
import type { LiveJourney, SegmentInfo } from '../model/segment-words.js';

const START = { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 1 }] };

/** The saved audience being edited in place: its id, the revision read, and the live journeys it changes. */
interface Editing {
  id: string;
  revision: string;
  journeys: LiveJourney[];
}

/**
 * "Audiences in place": the entry's audience built right in the inspector with the rule builder
 * (live "N of M customers"), then saved as a segment file in rules/segments/ (POST /api/segments:
 * the server derives the file name from the words, refuses an existing one, and checks the rule
 * like every rule file). On success the entry references the new segment. The chosen saved
 * audience can also be edited in place (编辑 → PUT /api/segments/:id over the revision read): when
 * live journeys use it, they are named and the marketer confirms before it is saved, since they
 * select by the new rule from their next run; someone else's save in between is said, with 重新载入.
 * With publish approval on, a marketer is told where 编辑 would be that only an admin may change an
 * audience live journeys use, rather than offered a save the server refuses. `editOnly`: a step
 * that picks a saved audience to branch on (condition, switch case) offers 编辑 alone, the same way.
 */
export function InlineAudience({
  catalogue,
  onSaved,
  from,
  editOnly = false,
}: {
  catalogue: Catalogue;
  onSaved: (id: string) => void;
  /** The chosen saved audience: edited in place, or the start of a new one. */
  from?: SegmentInfo;
  /** Only 编辑 (no 新建 or 以…为起点新建): for the saved audience a branching step tests. */
  editOnly?: boolean;
}) {
  const t = useT();
  const lang = useLang();
  const role = useSession()?.user.role ?? null;
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [conditions, setConditions] = useState<unknown>(START);
  const [editing, setEditing] = useState<Editing | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [state, setState] = useState<{ busy?: boolean; error?: string; conflict?: boolean; saved?: { name: string; file: string; live?: string | null } }>({});
  // Only a rule the builder can show as rows (a rule using other audiences is read-only words).
  const start = from && canStartFrom(from) ? { title: from.title?.trim() || from.name, conditions: from.conditions } : null;
  const reset = () => (setOpen(false), setName(''), setId(''), setConditions(START), setEditing(null), setConfirming(false));
  const beginEdit = (s: SegmentInfo) => {
    const e = editStart(s);
    setName(e.title);
    setConditions(e.conditions);
    setEditing({ id: e.id, revision: e.revision, journeys: s.liveJourneys ?? [] });
    setConfirming(false);
    setState({});
    setOpen(true);
  };
  // 编辑 reads the audience again before the editor opens: the list on the page was read when it
  // loaded, and a journey that went live on it since (with publish approval on) made the save a 403
  // only after the marketer had redone the rule. Read now, the notice is said instead of the editor,
  // and the editor starts from the latest revision and live journeys. A failed read edits what was
  // loaded: the save still checks both.
  // Kept with the audience it was read for: another one picked in the same place is judged afresh.
  const [needsAdminNow, setNeedsAdminNow] = useState<{ name: string; words: string } | null>(null);
  /** The audience as saved now, handed to `then`, or 这个人群已经不在了 said. */
  const readAgain = (name: string, then: (now: SegmentInfo) => void) => {
    setState({ busy: true });
    return api.segments().then((list) => {
      const now = list.rules.find((r) => r.name === name);
      if (now && canEditInPlace(now)) then(now);
      else setState({ error: t('audience.editGone') });
    });
  };
  const startEdit = (s: SegmentInfo) =>
    void readAgain(s.name, (now) => {
      const words = editNeedsAdminWords(lang, now, role);
      if (!words) return beginEdit(now);
      setNeedsAdminNow({ name: now.name, words });
      setState({});
    }).catch(() => beginEdit(s));
  if (!open) {
    const readNow = needsAdminNow && needsAdminNow.name === from?.name ? needsAdminNow.words : null;
    const needsAdmin = readNow ?? (from && canEditInPlace(from) ? editNeedsAdminWords(lang, from, role) : null);
    return (
      <div className="inline-audience">
        {/* By the name the marketer gave it; the file (rules/segments/….yaml) only in the tooltip. */}
        {state.saved && (
          <small className="ok" data-testid="audience-saved" title={state.saved.file}>
            {t(state.saved.live !== undefined ? 'audience.changed' : 'audience.saved').replace('{name}', state.saved.name)}
            {state.saved.live && <span data-testid="audience-saved-live"> {state.saved.live}</span>}
          </small>
        )}
        {!editOnly && (
          <button type="button" className="small" data-testid="audience-build" onClick={() => setOpen(true)}>
            {t('audience.build')}
          </button>
        )}
        {/* Said before any edit is started: the save would be refused (403) to anyone but an admin. */}
        {needsAdmin && (
          <small className="warning" data-testid="audience-edit-needs-admin">
            {needsAdmin}
          </small>
        )}
        {from && canEditInPlace(from) && !needsAdmin && (
          <button type="button" className="small" data-testid="audience-edit" disabled={state.busy} onClick={() => startEdit(from)}>
            {t('audience.edit').replace('{name}', start!.title)}
          </button>
        )}
        {state.error && (
          <small className="error" role="alert" data-testid="audience-edit-error">
            {state.error}
          </small>
        )}
        {/* A copy to change when only this journey should select differently: the saved audience stays as it is. */}
        {start && !editOnly && (
          <button
            type="button"
            className="small"
            data-testid="audience-copy"
            onClick={() => {
              setEditing(null);
              setName(t('audience.copyName').replace('{name}', start.title));
              setConditions(start.conditions);
              setOpen(true);
            }}
          >
            {t('audience.copy').replace('{name}', start.title)}
          </button>
        )}
      </div>
    );
  }
  const live = editing ? liveJourneyWords(lang, editing.journeys) : null;
  const save = () => {
    setState({ busy: true });
    api
      .saveSegment(name, conditions, id.trim() || undefined)
      .then((r) => {
        setState({ saved: { name: r.name, file: r.file } });
        reset();
        onSaved(r.id);
      })
      // The server's code in the marketer's words (a taken file name), a refused rule by its condition and field.
      .catch((e: Error) => setState({ error: audienceErrorWords(lang, e) }));
  };
  const saveEdit = (e: Editing) => {
    setState({ busy: true });
    api
      .updateSegment(e.id, { name, conditions, revision: e.revision })
      .then((r) => {
        // The journeys the server names now (one may have gone live since the list was read).
        setState({ saved: { name: r.name, file: r.file, live: liveJourneyWords(lang, r.liveJourneys) } });
        reset();
        onSaved(r.id);
      })
      .catch((err: unknown) => {
        const words = segmentEditErrorWords(lang, err);
        setConfirming(false);
        setState({ error: words.text, conflict: words.conflict });
      });
  };
  // Someone else saved it in between: their conditions and revision, to edit again on top of.
  const reload = (e: Editing) =>
    void readAgain(e.id, beginEdit)
      .then(() => onSaved(e.id))
      .catch((err: unknown) => setState({ error: segmentEditErrorWords(lang, err).text, conflict: true }));
  return (
    <fieldset className="inline-audience" data-testid="inline-audience">
      <legend>{editing ? t('audience.editTitle').replace('{name}', start?.title ?? editing.id) : t('audience.title')}</legend>
      <label>
        {t('audience.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="audience-name" />
      </label>
      {!editing && (
        <label>
          {t('audience.id')}
          <input value={id} onChange={(e) => setId(e.target.value)} placeholder={t('audience.idAuto')} data-testid="audience-id" />
        </label>
      )}
      <RuleBuilder value={conditions} onChange={setConditions} catalogue={catalogue} />
      {live && !confirming && (
        <small className="warning" data-testid="audience-edit-live">
          {live}
        </small>
      )}
      {state.error && (
        <p className="error" role="alert" data-testid="audience-error">
          {state.error}
          {state.conflict && editing && (
            <button type="button" className="small" disabled={state.busy} onClick={() => reload(editing)} data-testid="audience-edit-reload">
              {t('audience.reload')}
            </button>
          )}
        </p>
      )}
      {editing && confirming ? (
        <div className="confirm" role="alertdialog" data-testid="audience-edit-confirm">
          <p>{live}</p>
          <div className="row">
            <button type="button" className="small primary" disabled={state.busy} onClick={() => saveEdit(editing)} data-testid="audience-edit-confirm-save">
              {t('audience.confirmSave')}
            </button>
            <button type="button" className="small" onClick={() => setConfirming(false)}>
              {t('audience.notYet')}
            </button>
          </div>
        </div>
      ) : (
        <div className="row">
          <button
            type="button"
            className="small primary"
            disabled={state.busy || !name.trim()}
            onClick={() => (editing ? (live ? (setState({}), setConfirming(true)) : saveEdit(editing)) : save())}
            data-testid="audience-save"
          >
            {t(editing ? 'audience.saveEdit' : 'audience.save')}
          </button>
          <button type="button" className="small" onClick={() => (reset(), setState({}))}>
            {t('audience.cancel')}
          </button>
        </div>
      )}
    </fieldset>
  );
}
