import { useState } from 'react';
import { durationWords, FILE_DURATION, normalizeDuration } from '../model/duration.js';
import { useLang, useT } from './i18n.js';

/**
 * A duration typed as a marketer says it ("3天", "3 days", "2 小时", "72h"): kept in the flow in
 * canonical form ("3d") once it can be read; what cannot be read stays as typed (the problem list
 * says why) instead of being thrown away. A value the file holds in another form ("2 hours",
 * written by hand) is shown as it is, not as 2 小时: the checks under the field say it is not a
 * duration, and the field must not look as if it were one (model/duration.ts). Leaving the field
 * puts words it can read into the file's form.
 */
export function DurationInput({ value, onChange, sayUnreadable = true }: { value: string; onChange: (v: string | undefined) => void; sayUnreadable?: boolean }) {
  const lang = useLang();
  const t = useT();
  const [text, setText] = useState(value && FILE_DURATION.test(value) ? durationWords(lang, value) : value);
  const [bad, setBad] = useState(false);
  const commit = (typed: string) => {
    if (!typed.trim()) {
      setBad(false);
      return onChange(undefined);
    }
    const c = normalizeDuration(typed);
    setBad(c === null);
    onChange(c ?? typed);
  };
  return (
    <>
      <input
        value={text}
        placeholder={t('duration.placeholder')}
        data-kind="duration"
        onChange={(e) => {
          setText(e.target.value);
          commit(e.target.value);
        }}
        onBlur={() => {
          const c = normalizeDuration(text);
          if (!c) return;
          setText(durationWords(lang, c));
          // Only a value not in the file's form is rewritten: 24h shown as 1 天 stays 24h.
          if (!FILE_DURATION.test(value)) onChange(c);
        }}
      />
      {bad && sayUnreadable && <small className="error">{t('duration.unreadable')}</small>}
    </>
  );
}
