import { MissingFlow, missingFlowWords, movedFlowWords } from '../../model/missing-flow.js';
import type { Route } from '../../model/route.js';
import { useLang } from '../i18n.js';

/**
 * Instead of the editor, for a link to a journey that does not exist: nothing is drawn, so nothing
 * is autosaved (the journey is not created by opening a bad link). When its id changed at the
 * first publish, it says where the journey went and opens it (model/missing-flow.ts).
 */
export function MissingFlowNotice({ missing, onNavigate }: { missing: MissingFlow; onNavigate: (r: Route) => void }) {
  const lang = useLang();
  const moved = missing.movedTo;
  const movedWords = moved ? movedFlowWords(lang, missing.flowId, moved) : null;
  const words = movedWords ?? missingFlowWords(lang, missing.flowId);
  return (
    <div className="message message-error" data-testid={moved ? 'flow-moved' : 'flow-missing'}>
      {words.text}{' '}
      {moved && movedWords && (
        <>
          <button type="button" onClick={() => onNavigate({ view: 'editor', flowId: moved.flowId })} data-testid="flow-moved-open">
            {movedWords.open}
          </button>{' '}
        </>
      )}
      <button type="button" onClick={() => onNavigate({ view: 'home' })} data-testid="flow-missing-back">
        {words.back}
      </button>
    </div>
  );
}
