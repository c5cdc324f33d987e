import { useState } from 'react';
import { api } from '../api.js';
import { RuleBuilder, type Catalogue } from './RuleBuilder.js';
import { audienceErrorWords } from '../model/audience-error-words.js';
import { useLang, useT } from './i18n.js';
import { canStartFrom } from '../model/segment-rule-words.js';
import type { SegmentInfo } from '../model/segment-words.js';

const START = { all: [{ fact: 'orderCount', operator: 'greaterThanInclusive', value: 1 }] };

/**
 * "Audiences in place": the entry's audience built right in the inspector with the rule builder
 * (live "N of M customers"), then saved as a segment file in rules/segments/ (POST /api/segments:
 * the server derives the file name from the words, refuses an existing one, and checks the rule
 * like every rule file). On success the entry references the new segment.
 */
export function InlineAudience({ catalogue, onSaved, from }: { catalogue: Catalogue; onSaved: (id: string) => void; /** The chosen saved audience: offered as the start of a new one (a saved file is never changed here). */ from?: SegmentInfo }) {
  const t = useT();
  const lang = useLang();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState('');
  const [id, setId] = useState('');
  const [conditions, setConditions] = useState<unknown>(START);
  const [state, setState] = useState<{ busy?: boolean; error?: string; saved?: { name: string; file: string } }>({});
  // Only a rule the builder can show as rows (a rule using other audiences is read-only words).
  const start = from && canStartFrom(from) ? { title: from.title?.trim() || from.name, conditions: from.conditions } : null;
  if (!open) {
    return (
      <div className="inline-audience">
        {/* By the name the marketer gave it; the file (rules/segments/….yaml) only in the tooltip. */}
        {state.saved && <small className="ok" data-testid="audience-saved" title={state.saved.file}>{t('audience.saved').replace('{name}', state.saved.name)}</small>}
        <button type="button" className="small" data-testid="audience-build" onClick={() => setOpen(true)}>
          {t('audience.build')}
        </button>
        {/* Changing a saved audience would change every journey using it (a live one too, without a publish): a copy to change instead. */}
        {start && (
          <button
            type="button"
            className="small"
            data-testid="audience-copy"
            onClick={() => {
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
  const save = () => {
    setState({ busy: true });
    api
      .saveSegment(name, conditions, id.trim() || undefined)
      .then((r) => {
        setState({ saved: { name: r.name, file: r.file } });
        setOpen(false);
        setName('');
        setId('');
        setConditions(START);
        onSaved(r.id);
      })
      // The server's code in the marketer's words (a taken file name), a refused rule by its condition and field.
      .catch((e: Error) => setState({ error: audienceErrorWords(lang, e) }));
  };
  return (
    <fieldset className="inline-audience" data-testid="inline-audience">
      <legend>{t('audience.title')}</legend>
      <label>
        {t('audience.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="audience-name" />
      </label>
      <label>
        {t('audience.id')}
        <input value={id} onChange={(e) => setId(e.target.value)} placeholder={t('audience.idAuto')} data-testid="audience-id" />
      </label>
      <RuleBuilder value={conditions} onChange={setConditions} catalogue={catalogue} />
      {state.error && <p className="error" role="alert">{state.error}</p>}
      <div className="row">
        <button type="button" className="small primary" disabled={state.busy || !name.trim()} onClick={save} data-testid="audience-save">
          {t('audience.save')}
        </button>
        <button type="button" className="small" onClick={() => (setOpen(false), setName(''), setConditions(START))}>
          {t('audience.cancel')}
        </button>
      </div>
    </fieldset>
  );
}
