import { useId, useLayoutEffect, useRef } from 'react';

/** The controls a field label can name: not a search box beside a select (the segment picker), not a tick with a label of its own. */
const CONTROLS = 'input:not([type=search]):not([type=hidden]), select, textarea';

/**
 * Ties a generated form field's label to its input: the label's `for` names the first control of
 * the field that is its own (not one of a nested field, which has its own label; not a tick with
 * a label of its own), giving that control an id when it has none. Clicking the label focuses the
 * control and screen readers (and getByLabel) name it by the label; a control that names itself
 * (aria-label: the date and the time of a date-time) keeps its own name. Done after rendering
 * because the fields' widgets (selects, pickers, duration and time inputs) are many and differ.
 */
export function useFieldLabel<T extends HTMLElement>() {
  const id = useId();
  const field = useRef<T>(null);
  const label = useRef<HTMLLabelElement>(null);
  useLayoutEffect(() => {
    const box = field.current;
    if (!box || !label.current) return;
    const own = [...box.querySelectorAll<HTMLElement>(CONTROLS)].find((c) => c.closest('.field') === box && !c.closest('label'));
    if (!own) return label.current.removeAttribute('for');
    if (!own.id) own.id = `${id}-input`;
    label.current.htmlFor = own.id;
  });
  return { field, label, labelId: `${id}-label` };
}
