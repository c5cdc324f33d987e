import type { DraftConflict } from '../../api.js';
import { conflictWords } from '../../model/conflict-words.js';
import { useLang } from '../i18n.js';
import { useSession } from '../SignIn.js';

/**
 * A draft save refused with 409 (someone, or this marketer in another tab, saved since; or the
 * draft is gone): who, in the marketer's words (model/conflict-words.ts), and the two ways on.
 */
export function DraftConflictBanner({ conflict, timeZone, onLoad, onKeep }: { conflict: DraftConflict; timeZone?: string; onLoad: () => void; onKeep: () => void }) {
  const lang = useLang();
  const me = useSession()?.user.username ?? null;
  const w = conflictWords(lang, conflict, me, timeZone);
  return (
    <div className="message message-error conflict-banner" role="alert" data-testid="draft-conflict">
      {w.text}{' '}
      <button type="button" onClick={onLoad} data-testid="draft-conflict-load">
        {w.load}
      </button>{' '}
      <button type="button" onClick={onKeep} data-testid="draft-conflict-keep">
        {w.keep}
      </button>
    </div>
  );
}
