import { setLeaveGuard } from './leave-guard.js';

/** The warning of a view whose edits exist nowhere else yet (the contact-rules page), while it has some. */
let unsaved: string | null = null;

/**
 * A view with unsaved edits that no autosave keeps (the contact-rules page): leaving it asks
 * first, whichever way the marketer leaves — the designer's own buttons (a guard), the browser's
 * back and forward (useRoute asks through mayLeaveNow) and closing or reloading the tab (the
 * browser's own beforeunload question). The function returned stops asking.
 */
export function warnBeforeLeaving(message: string): () => void {
  const stopGuard = setLeaveGuard(async () => window.confirm(message));
  unsaved = message;
  const onUnload = (e: BeforeUnloadEvent) => {
    e.preventDefault();
    // Older browsers ask only when returnValue is set; none shows the text itself.
    e.returnValue = message;
  };
  window.addEventListener('beforeunload', onUnload);
  return () => {
    stopGuard();
    if (unsaved === message) unsaved = null;
    window.removeEventListener('beforeunload', onUnload);
  };
}

/** For a change of address no designer button made (the browser's back button): whether to let it go, asking when edits would be lost. */
export function mayLeaveNow(): boolean {
  return unsaved === null || window.confirm(unsaved);
}
