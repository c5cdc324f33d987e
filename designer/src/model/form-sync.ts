/**
 * Whether a form's widgets still show the value they edit. Many of the generated form's widgets
 * keep what is typed in state of their own (a duration says 3 天 while the file holds 3d; a list
 * is typed as words before it is split): they read the value once, when they appear. A value
 * changed from outside the form — undo, redo, a draft reloaded from the server — left them showing
 * the old words (the card said 3 天, the form 2 天) until another step was selected. The form
 * remembers the last value it wrote itself; a value it did not write is a change from outside, and
 * the form is drawn anew (its generation goes up) so every widget reads it again. The form's own
 * writes never redraw it: typing keeps its place and its focus.
 */
export interface FormSync {
  /** The value the form's widgets show: the one they were drawn from, or the last they wrote. */
  shown: unknown;
  /** Goes up at each change from outside: the form's key. */
  generation: number;
}

export const startSync = (value: unknown): FormSync => ({ shown: value, generation: 0 });

/** The form wrote `value` (its widgets show it already). */
export const wroteByForm = (s: FormSync, value: unknown): FormSync => ({ ...s, shown: value });

/** The value as it is now: the same sync when the form shows it, else the next generation. */
export function follow(s: FormSync, current: unknown): FormSync {
  if (sameValue(current, s.shown)) return s.shown === current ? s : { ...s, shown: current };
  return { shown: current, generation: s.generation + 1 };
}

/** The same data (JSON-like values), whatever the order of an object's keys. */
export function sameValue(a: unknown, b: unknown): boolean {
  // Object.is: a share typed as words is kept as NaN (ui/PercentInput.tsx), and NaN !== NaN redrew the form at each
  // render, wiping what was typed.
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((x, i) => sameValue(x, (b as unknown[])[i]));
  // A key holding undefined is no key (a field cleared by the form is deleted, or left undefined).
  const keys = (o: object) => Object.keys(o).filter((k) => (o as Record<string, unknown>)[k] !== undefined);
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
