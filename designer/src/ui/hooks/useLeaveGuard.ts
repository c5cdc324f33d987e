import { useEffect, useRef } from 'react';
import type { Confirmation } from '../editor/ConfirmDialog.js';
import { failureWords, setLeaveGuard, type SaveFailure } from '../leave-guard.js';

/**
 * Leaving the editor through the designer's own buttons first saves the pending draft (the
 * autosave timer may not have fired yet). If that save fails, the marketer stays on the page and
 * is asked: stay (the edit is still on the canvas) or leave and lose it, never lost unseen.
 */
export function useSaveBeforeLeaving(autosave: { flush: () => Promise<SaveFailure | null>; forget: () => void }, ask: (c: Confirmation) => void, t: (key: string) => string) {
  const guard = useRef(async () => true);
  guard.current = async () => {
    const failure = await autosave.flush();
    if (!failure) return true;
    return new Promise<boolean>((resolve) =>
      ask({
        title: t('draft.leaveFailedTitle'),
        body: t('draft.leaveFailedBody').replace('{reason}', failureWords(t, failure)),
        confirm: t('draft.leaveAnyway'),
        cancel: t('draft.stay'),
        danger: true,
        run: () => {
          autosave.forget();
          resolve(true);
        },
        onCancel: () => resolve(false),
      }),
    );
  };
  useEffect(() => setLeaveGuard(() => guard.current()), []);
}
