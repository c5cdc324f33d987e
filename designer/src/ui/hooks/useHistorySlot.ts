import { useMemo } from 'react';
import { historySlot, type HistorySlot, type HistoryStorage } from '../../model/kept-history.js';
import { useSession } from '../SignIn.js';

// Apart from useKeptHistory: this one reads the session (ui/SignIn.tsx), and useKeptHistory is
// reached from useDrawing, which plain-TypeScript tests load without a JSX transform.

/** sessionStorage, or null where the browser refuses it (reading the property itself can throw). */
function sessionStore(): HistoryStorage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

/**
 * The signed-in account's kept undo steps of this journey (model/kept-history.ts); null read only
 * (an analyst changes nothing, so has nothing to undo).
 */
export function useHistorySlot(flowId: string, canEdit: boolean): HistorySlot | null {
  const user = useSession()?.user.username ?? null;
  return useMemo(() => (canEdit && user ? historySlot(sessionStore(), user, flowId) : null), [canEdit, user, flowId]);
}

