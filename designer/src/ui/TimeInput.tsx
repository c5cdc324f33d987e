import { useEffect, useState } from 'react';
import { parseTimeOfDay } from '../model/time-of-day.js';
import { unsetPlaceholder } from '../model/unset-placeholder.js';
import { useLang, useT } from './i18n.js';

/**
 * A time of day on the 24-hour clock, whatever the browser's language: a text field that shows
 * "23:00" (an English browser drew <input type="time"> as "11:00 PM"). Typed times are put in the
 * HH:MM form the files hold once they can be read ("2300" → 23:00, on leaving the field); what
 * cannot be read stays as typed, said beside it, and the server's checks refuse it by name.
 */
export function TimeInput({ value, onChange, testId, label, fallback }: { value: string; onChange: (v: string | undefined) => void; testId?: string; label?: string; fallback?: string }) {
  const t = useT();
  const lang = useLang();
  const [text, setText] = useState(value);
  // A value changed from outside (a reload, an undo) replaces what is shown, unless it is what was typed.
  useEffect(() => {
    if (parseTimeOfDay(text) !== value && text !== value) setText(value);
  }, [value]);
  const bad = text.trim() !== '' && parseTimeOfDay(text) === null;
  return (
    <>
      <input
        type="text"
        inputMode="numeric"
        className="time-input"
        value={text}
        // Left empty, the field takes its default (a daily schedule runs at 09:00, as its card says),
        // said as the default (默认 09:00): a bare grey 09:00 read as a time already set, as did the
        // example 23:00 that an empty field without a default used to show.
        placeholder={fallback ? unsetPlaceholder(lang, '', fallback) : lang === 'zh' ? '例如 23:00' : 'e.g. 23:00'}
        aria-label={label}
        data-kind="time"
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          const typed = e.target.value.trim();
          onChange(typed === '' ? undefined : parseTimeOfDay(typed) ?? typed);
        }}
        onBlur={() => {
          const c = parseTimeOfDay(text);
          if (c) setText(c);
        }}
      />
      {bad && <small className="error" data-testid="time-unreadable">{t('time.unreadable')}</small>}
    </>
  );
}
