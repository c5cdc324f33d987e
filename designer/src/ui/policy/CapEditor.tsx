import { capName, type CapInfo } from '../../model/cap-words.js';
import { enumLabel, fieldHelp, fieldLabel } from '../../model/fields.js';
import { CAP_COUNTS, capCount, withCapCount, type CapCount } from '../../model/policy-edit.js';
import type { PolicyProblem } from '../../model/policy-words.js';
import { useLang, useT } from '../i18n.js';
import { DurationInput } from '../DurationInput.js';
import { EnumListInput } from '../SchemaForm.js';
import { FieldProblems } from './FieldProblems.js';

const CHANNELS = ['sms', 'email', 'wechat', 'wangwang', 'push'];
const CATEGORIES = ['marketing', 'care', 'transactional'];
const PERIODS = ['day', 'week', 'month'];

/**
 * One shop-wide cap: in words for everyone, once (its description, else the sentence from its numbers),
 * and for an admin the fields of the flow's 触达上限 form (same labels and help, the same duration
 * and tick inputs), each with the problem a rejected save named for it.
 */
export function CapEditor({ cap, index, editable, problems, onChange, onRemove }: { cap: Record<string, unknown>; index: number; editable: boolean; problems: readonly PolicyProblem[]; onChange: (c: Record<string, unknown>) => void; onRemove: () => void }) {
  const t = useT();
  const lang = useLang();
  const at = (key: string) => `caps.${index}.${key}`;
  const numbersReadable = typeof cap.max === 'number';
  const words = numbersReadable ? capName(lang, cap as unknown as CapInfo) : String(cap.description ?? cap.id ?? '');
  const set = (key: string, v: unknown) => onChange({ ...cap, [key]: v });
  const field = (key: string, input: React.ReactNode, labelKey = `caps.${key}`) => (
    <div className={`field field-${key}`} data-field={at(key)}>
      <label className="field-label">{fieldLabel(lang, labelKey)}</label>
      {input}
      <FieldProblems problems={problems} field={at(key)} />
      {fieldHelp(lang, labelKey, undefined) && <small className="help">{fieldHelp(lang, labelKey, undefined)}</small>}
    </div>
  );
  const count = capCount(cap);
  // Problems of the cap that no field below shows (the cap as a whole, an unknown key).
  const shown = new Set(['id', 'description', 'max', 'window', 'period', 'campaign', 'channels', 'categories'].map(at));
  const rest = problems.filter((p) => p.field !== null && (p.field === `caps.${index}` || p.field.startsWith(`caps.${index}.`)) && !shown.has(p.field));
  return (
    <li className="policy-cap" data-testid={`cap-${index}`}>
      {/* The cap's id (what the send log and the file say) only in the tooltip: the words are what a marketer reads.
          Said once: its 说明 when it has one, else the sentence from its numbers. Both under each other read as
          two limits (walkthrough, 45-policy); an admin sees the numbers in the fields below. */}
      <div className="cap-words" data-testid={`cap-words-${index}`} data-content={cap.description ? '' : undefined} title={cap.id ? (lang === 'zh' ? `上限代号：${String(cap.id)}` : `Cap id: ${String(cap.id)}`) : undefined}>
        {words}
      </div>
      {rest.map((p, i) => (
        <small key={i} className="error" role="alert" data-testid="field-error" data-field={p.field ?? ''}>
          {p.words}
        </small>
      ))}
      {editable && (
        <div className="fields">
          {field('description', <textarea rows={2} value={String(cap.description ?? '')} onChange={(e) => set('description', e.target.value || undefined)} data-testid={`cap-description-${index}`} data-content />)}
          {field('max', <input type="number" value={typeof cap.max === 'number' ? cap.max : cap.max === undefined ? '' : String(cap.max)} onChange={(e) => set('max', e.target.value === '' ? undefined : Number(e.target.value))} data-testid={`cap-max-${index}`} />)}
          <div className="field field-count" data-field={at('count')}>
            <label className="field-label">{t('policy.count')}</label>
            <select value={count} onChange={(e) => onChange(withCapCount(cap, e.target.value as CapCount))} data-testid={`cap-count-${index}`}>
              {CAP_COUNTS.map((c) => (
                <option key={c} value={c}>
                  {t(`policy.count.${c}`)}
                </option>
              ))}
            </select>
            <FieldProblems problems={problems} field={at('campaign')} />
            {/* "give exactly one of window, period, campaign" is filed under window: said here when no window field shows. */}
            {count !== 'window' && <FieldProblems problems={problems} field={at('window')} />}
          </div>
          {count === 'window' && field('window', <DurationInput key={`${index}-window`} value={typeof cap.window === 'string' ? cap.window : ''} onChange={(v) => set('window', v)} />)}
          {count === 'period' &&
            field(
              'period',
              <select value={String(cap.period ?? 'month')} onChange={(e) => set('period', e.target.value)} data-testid={`cap-period-${index}`}>
                {PERIODS.map((p) => (
                  <option key={p} value={p}>
                    {enumLabel(lang, p)}
                  </option>
                ))}
              </select>,
            )}
          {field('channels', <EnumListInput options={CHANNELS} value={Array.isArray(cap.channels) ? (cap.channels as string[]) : []} onChange={(v) => set('channels', v.length ? v : undefined)} testId={at('channels')} />)}
          {field('categories', <EnumListInput options={CATEGORIES} value={Array.isArray(cap.categories) ? (cap.categories as string[]) : ['marketing']} onChange={(v) => set('categories', v.length ? v : undefined)} testId={at('categories')} />)}
          {field('id', <input value={String(cap.id ?? '')} onChange={(e) => set('id', e.target.value.trim() || undefined)} data-testid={`cap-id-${index}`} data-content />)}
          <button type="button" className="small" onClick={onRemove} data-testid={`cap-remove-${index}`}>
            {t('policy.remove')}
          </button>
        </div>
      )}
    </li>
  );
}
