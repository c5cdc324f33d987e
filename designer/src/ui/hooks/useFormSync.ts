import { useRef } from 'react';
import { follow, startSync, wroteByForm, type FormSync } from '../../model/form-sync.js';

/**
 * The key of a form that edits `value`, and the writer the form calls: the key changes when
 * `value` changes from outside the form (undo, redo, a reload), so the form is drawn anew and no
 * widget keeps showing the old value (model/form-sync.ts). Followed during rendering, from a ref:
 * the key is right in the very render that brings the new value.
 */
/** `edited`: the part of the value the form shows (the journey's settings, not its steps). */
export function useFormSync<T>(value: T, write: (v: T) => void, edited: (v: T) => unknown = (v) => v): { key: number; write: (v: T) => void } {
  const sync = useRef<FormSync>(startSync(edited(value)));
  sync.current = follow(sync.current, edited(value));
  return {
    key: sync.current.generation,
    write: (v: T) => {
      sync.current = wroteByForm(sync.current, edited(v));
      write(v);
    },
  };
}
