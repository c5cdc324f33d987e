import type { ReactNode } from 'react';
import { fieldHelp, fieldLabel } from '../../model/fields.js';
import type { PolicyProblem } from '../../model/policy-words.js';
import { useLang } from '../i18n.js';
import { FieldProblems } from './FieldProblems.js';

/** One field of the contact-rules page: its label, the input, the problem a rejected save named for it, its help. */
export function PolicyField({ at, label, problems, children }: { at: string; label: string; problems: readonly PolicyProblem[]; children: ReactNode }) {
  const lang = useLang();
  const help = fieldHelp(lang, label, undefined);
  return (
    <div className={`field field-${label.split('.').pop()}`} data-field={at}>
      <label className="field-label">{fieldLabel(lang, label)}</label>
      {children}
      <FieldProblems problems={problems} field={at} />
      {/* The problems of a list's items (suppression.lists.1) under the list. */}
      {problems.some((p) => p.field?.startsWith(`${at}.`)) && <FieldProblems problems={problems.filter((p) => p.field?.startsWith(`${at}.`)).map((p) => ({ ...p, field: at }))} field={at} />}
      {help && <small className="help">{help}</small>}
    </div>
  );
}
