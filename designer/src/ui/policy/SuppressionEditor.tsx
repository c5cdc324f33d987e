import { eventChoices } from '../../model/event-options.js';
import { suppressionWords, type PolicyProblem } from '../../model/policy-words.js';
import { segmentOptionText, segmentTitles, type SegmentInfo } from '../../model/segment-words.js';
import { listChoice, type ListTitles } from '../../model/list-titles.js';
import type { EventType } from '../../api.js';
import { useLang } from '../i18n.js';
import { ChoiceList } from './ChoiceList.js';
import { PolicyField } from './PolicyField.js';

/**
 * 退订与屏蔽 (suppression): in words for everyone; for an admin the opt-out event picked from the
 * shop's events, and the block lists (rules/lists/) and block rules (segments) ticked from the
 * shop's own, each with the problem a rejected save named. A block list is named by its title
 * (`listTitles`), its name (the file's id) in smaller type beside it.
 */
export function SuppressionEditor({ value, editable, problems, events, lists, listTitles, segments, onChange }: { value: Record<string, unknown>; editable: boolean; problems: readonly PolicyProblem[]; events: readonly EventType[]; lists: readonly string[]; listTitles: ListTitles; segments: readonly SegmentInfo[]; onChange: (v: Record<string, unknown>) => void }) {
  const lang = useLang();
  const names = (v: unknown) => (Array.isArray(v) ? (v as string[]) : []);
  const words = (
    <ul data-testid="policy-suppression">
      {suppressionWords(lang, value, segmentTitles(segments), listTitles).map((line, i) => (
        <li key={i}>
          {line.words}
          {line.names.map((n, j) => (
            <span key={n.hint}>
              {j > 0 && (lang === 'zh' ? '、' : ', ')}
              <span className="policy-name" title={n.hint} data-content>
                {n.text}
              </span>
            </span>
          ))}
        </li>
      ))}
    </ul>
  );
  if (!editable) return words;
  const set = (key: string, v: unknown) => onChange({ ...value, [key]: v });
  const unsubscribe = typeof value.unsubscribeEvent === 'string' ? value.unsubscribeEvent : 'unsubscribe';
  const choices = eventChoices(lang, events);
  return (
    <>
      {words}
      <div className="fields" data-testid="suppression-fields">
        <PolicyField at="suppression.unsubscribeEvent" label="suppression.unsubscribeEvent" problems={problems}>
          <select value={unsubscribe} onChange={(e) => set('unsubscribeEvent', e.target.value)} data-testid="suppression-unsubscribe">
            {[...choices, ...(choices.some((c) => c.value === unsubscribe) ? [] : [{ value: unsubscribe, label: unsubscribe }])].map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </select>
        </PolicyField>
        <PolicyField at="suppression.lists" label="suppression.lists" problems={problems}>
          <ChoiceList choices={lists.map((l) => ({ value: l, ...listChoice(lang, l, listTitles) }))} value={names(value.lists)} onChange={(v) => set('lists', v)} testId="suppression-lists" />
        </PolicyField>
        <PolicyField at="suppression.segments" label="suppression.segments" problems={problems}>
          <ChoiceList choices={segments.map((s) => ({ value: s.name, label: segmentOptionText(s, segments) }))} value={names(value.segments)} onChange={(v) => set('segments', v)} testId="suppression-segments" />
        </PolicyField>
      </div>
    </>
  );
}
