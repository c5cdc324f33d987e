import { enumLabel, fieldLabel } from '../../model/fields.js';
import { quietHoursWords, type PolicyProblem } from '../../model/policy-words.js';
import { channelLabel } from '../../model/summary.js';
import { useLang, useT } from '../i18n.js';
import { EnumListInput } from '../SchemaForm.js';
import { FieldProblems } from './FieldProblems.js';
import { TimeInput } from '../TimeInput.js';

const CHANNELS = ['sms', 'email', 'wechat', 'wangwang', 'push'];
const CATEGORIES = ['marketing', 'care', 'transactional'];

/** Quiet hours per channel: in words for everyone; for an admin a from/to pair per channel, added or removed. */
export function QuietHoursEditor({ value, editable, problems, onChange }: { value: Record<string, Record<string, unknown>>; editable: boolean; problems: readonly PolicyProblem[]; onChange: (v: Record<string, Record<string, unknown>>) => void }) {
  const t = useT();
  const lang = useLang();
  const channels = editable ? CHANNELS : Object.keys(value);
  if (!editable && channels.length === 0) return <p className="muted">{t('policy.noQuiet')}</p>;
  const set = (ch: string, q: Record<string, unknown> | undefined) => {
    const next = { ...value };
    if (q) next[ch] = q;
    else delete next[ch];
    onChange(next);
  };
  return (
    <ul className="policy-quiet" data-testid="quiet-hours">
      {channels.map((ch) => {
        const q = value[ch];
        const at = (k: string) => `quietHours.${ch}.${k}`;
        return (
          <li key={ch} data-testid={`quiet-${ch}`}>
            <b>{channelLabel(lang, ch)}</b>
            {q ? <span className="quiet-words"> {quietHoursWords(lang, q)}</span> : <span className="muted"> {t('policy.noQuiet')}</span>}
            {problems
              .filter((p) => p.field === `quietHours.${ch}`)
              .map((p, i) => (
                <small key={i} className="error" role="alert" data-testid="field-error" data-field={p.field ?? ''}>
                  {p.words}
                </small>
              ))}
            {editable && !q && (
              <button type="button" className="small" onClick={() => set(ch, { from: '21:00', to: '09:00' })} data-testid={`quiet-add-${ch}`}>
                + {t('policy.addQuiet')}
              </button>
            )}
            {editable && q && (
              <div className="fields quiet-fields">
                {(['from', 'to'] as const).map((k) => (
                  <div key={k} className={`field field-${k}`} data-field={at(k)}>
                    <label className="field-label">{fieldLabel(lang, `quietHours.${k}`)}</label>
                    <TimeInput value={String(q[k] ?? '')} onChange={(v) => set(ch, { ...q, [k]: v ?? '' })} testId={`quiet-${ch}-${k}`} label={fieldLabel(lang, `quietHours.${k}`)} />
                    <FieldProblems problems={problems} field={at(k)} />
                  </div>
                ))}
                <div className="field field-categories" data-field={at('categories')}>
                  <label className="field-label" title={CATEGORIES.map((c) => enumLabel(lang, c)).join('、')}>
                    {fieldLabel(lang, 'quietHours.categories')}
                  </label>
                  <EnumListInput options={CATEGORIES} value={Array.isArray(q.categories) ? (q.categories as string[]) : CATEGORIES} onChange={(v) => set(ch, { ...q, categories: v.length && v.length < CATEGORIES.length ? v : undefined })} testId={at('categories')} />
                  <FieldProblems problems={problems} field={at('categories')} />
                </div>
                <button type="button" className="small" onClick={() => set(ch, undefined)} data-testid={`quiet-remove-${ch}`}>
                  {t('policy.remove')}
                </button>
              </div>
            )}
          </li>
        );
      })}
    </ul>
  );
}
