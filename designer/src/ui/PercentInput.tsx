import { useEffect, useState } from 'react';
import { percentOfShare, shareOfPercent } from '../model/share-percent.js';

/**
 * A share kept as a fraction (0.3) typed and shown as a percentage (30 %), as its help says
 * (例如 30%). What is typed stays as typed while it means the same share ("12." is 12 %).
 */
export function PercentInput({ value, onChange, testId, placeholder }: { value: unknown; onChange: (v: number | undefined) => void; testId?: string; placeholder?: string }) {
  const [text, setText] = useState(percentOfShare(value));
  // A value changed from outside (a reload, an undo) replaces what is shown, unless it is what was typed.
  // Object.is: text that is not a number is NaN, and NaN !== NaN wiped the typed 「催付」 at once, leaving an
  // empty field under 「应填写数字」 that no edit could clear (walkthrough).
  useEffect(() => {
    if (!Object.is(shareOfPercent(text), value)) setText(percentOfShare(value));
  }, [value]);
  return (
    <span className="percent-input">
      <input
        type="text"
        inputMode="decimal"
        value={text}
        // What an empty field means (model/unset-placeholder.ts): a grey "30" read as a share already set.
        placeholder={placeholder}
        data-kind="percent"
        data-testid={testId}
        onChange={(e) => {
          setText(e.target.value);
          onChange(shareOfPercent(e.target.value));
        }}
        // An empty field means "not set": also when what is stored is not a share (a bad entry kept
        // in a draft as null), which shows as empty and changes nothing when typed over with nothing.
        onBlur={() => {
          if (text.trim() === '' && value !== undefined) onChange(undefined);
        }}
      />{' '}
      %
    </span>
  );
}
