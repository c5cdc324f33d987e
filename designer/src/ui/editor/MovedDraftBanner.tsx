import { useState } from 'react';
import { api, ApiError } from '../../api.js';
import { carriedDraft, movedDraftWords, type MovedTo } from '../../model/moved-draft.js';
import type { Drawing } from '../hooks/useDrawing.js';
import { useLang } from '../i18n.js';

/**
 * In place of the conflict banner when this tab's draft was published under another id
 * (model/moved-draft.ts): open that journey, or take this tab's edit to it as its draft. No
 * 保留我的版本: saving under the old id made a duplicate journey.
 */
export function MovedDraftBanner({ oldId, moved, drawing, timeZone, onGone }: { oldId: string; moved: MovedTo; drawing: Drawing; timeZone?: string; onGone: (flowId: string) => void }) {
  const lang = useLang();
  const w = movedDraftWords(lang, oldId, moved, timeZone);
  const [refused, setRefused] = useState<string | null>(null);
  const carry = async () => {
    try {
      // revision null: a draft it has already (someone editing it) is not overwritten (409).
      await api.saveDraft(moved.flowId, carriedDraft(drawing.flow, moved), { positions: drawing.positions }, moved.version, null);
      onGone(moved.flowId);
    } catch (e) {
      setRefused(e instanceof ApiError && e.status === 409 ? w.carryRefused : (e as Error).message);
    }
  };
  return (
    <div className="message message-error conflict-banner" role="alert" data-testid="draft-moved">
      {w.text}{' '}
      <button type="button" onClick={() => onGone(moved.flowId)} data-testid="draft-moved-open">
        {w.open}
      </button>{' '}
      <button type="button" onClick={() => void carry()} data-testid="draft-moved-carry">
        {w.carry}
      </button>
      {refused && <div data-testid="draft-moved-refused">{refused}</div>}
    </div>
  );
}
