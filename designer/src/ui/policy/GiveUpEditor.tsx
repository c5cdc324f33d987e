import { eventChoices } from '../../model/event-options.js';
import { newGiveUp } from '../../model/policy-edit.js';
import { giveUpWords, type PolicyProblem } from '../../model/policy-words.js';
import type { EventType } from '../../api.js';
import { useLang, useT } from '../i18n.js';
import { DurationInput } from '../DurationInput.js';
import { ChoiceList } from './ChoiceList.js';
import { FieldProblems } from './FieldProblems.js';
import { PolicyField } from './PolicyField.js';

/**
 * 长期不回应的顾客 (giveUp): in words for everyone; for an admin switched on or off, and its
 * numbers, window, pause and answering events edited, each with the problem a rejected save named.
 */
export function GiveUpEditor({ value, editable, problems, events, onChange }: { value: Record<string, unknown> | null; editable: boolean; problems: readonly PolicyProblem[]; events: readonly EventType[]; onChange: (v: Record<string, unknown> | null) => void }) {
  const t = useT();
  const lang = useLang();
  const words = <p data-testid="policy-give-up">{giveUpWords(lang, value)}</p>;
  if (!editable) return words;
  const set = (key: string, v: unknown) => value && onChange({ ...value, [key]: v });
  const answers = Array.isArray(value?.answeredBy) ? (value!.answeredBy as string[]) : ['order_paid', 'click'];
  return (
    <>
      {words}
      <label className="inline">
        <input type="checkbox" checked={value !== null} onChange={(e) => onChange(e.target.checked ? newGiveUp() : null)} data-testid="give-up-on" /> {t('policy.giveUpOn')}
      </label>
      <FieldProblems problems={problems} field="giveUp" />
      {value && (
        <div className="fields" data-testid="give-up-fields">
          <PolicyField at="giveUp.after" label="giveUp.after" problems={problems}>
            <input type="number" min={1} value={typeof value.after === 'number' ? value.after : value.after === undefined ? '' : String(value.after)} onChange={(e) => set('after', e.target.value === '' ? undefined : Number(e.target.value))} data-testid="give-up-after" />
          </PolicyField>
          <PolicyField at="giveUp.within" label="giveUp.within" problems={problems}>
            <DurationInput value={typeof value.within === 'string' ? value.within : ''} onChange={(v) => set('within', v)} />
          </PolicyField>
          <PolicyField at="giveUp.pauseFor" label="giveUp.pauseFor" problems={problems}>
            <DurationInput value={typeof value.pauseFor === 'string' ? value.pauseFor : ''} onChange={(v) => set('pauseFor', v)} />
          </PolicyField>
          <PolicyField at="giveUp.answeredBy" label="giveUp.answeredBy" problems={problems}>
            <ChoiceList choices={eventChoices(lang, events)} value={answers} onChange={(v) => set('answeredBy', v)} testId="give-up-answered-by" />
          </PolicyField>
        </div>
      )}
    </>
  );
}
