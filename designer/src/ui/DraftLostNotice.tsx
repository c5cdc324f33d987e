import { useEffect, useState } from 'react';
import { useT } from './i18n.js';
import { DRAFT_LOST_EVENT, failureWords, type DraftLost } from './leave-guard.js';

/**
 * Says, whatever view is open now, that an editor closed without its guard (the browser's back
 * button) and its last change could not be saved: the marketer learns it at once, with the way back.
 */
export function DraftLostNotice({ onOpen }: { onOpen: (flowId: string) => void }) {
  const t = useT();
  const [lost, setLost] = useState<DraftLost | null>(null);
  useEffect(() => {
    const on = (e: Event) => setLost((e as CustomEvent<DraftLost>).detail);
    window.addEventListener(DRAFT_LOST_EVENT, on);
    return () => window.removeEventListener(DRAFT_LOST_EVENT, on);
  }, []);
  if (!lost) return null;
  return (
    <div className="message message-error" role="alert" data-testid="draft-lost">
      {t(lost.kept ? 'draft.lostKept' : 'draft.lostOnLeave').replace('{name}', lost.name).replace('{reason}', failureWords(t, lost.reason))}{' '}
      <button
        type="button"
        onClick={() => {
          setLost(null);
          onOpen(lost.flowId);
        }}
      >
        {t('draft.reopen')}
      </button>{' '}
      <button type="button" onClick={() => setLost(null)}>
        {t('close')}
      </button>
    </div>
  );
}
