import type { Principal } from '../../core/access/roles.js';
import { actorName } from '../auth/principal.decorator.js';

/**
 * Who saved a draft since the revision a refused save (409) was based on, as the one refused sees
 * it. It was told by username alone, so the same account on another machine or browser read
 * 你在另一个标签页或窗口里改过这个旅程. Now by what identifies them:
 * - `this-tab`: this very tab (the id it sends with each save): a save of its own whose answer it
 *   never got;
 * - `this-session`: the same login session, so another tab or window of this browser (they share
 *   the cookie);
 * - `your-other-session`: the same account signed in elsewhere (another machine or browser);
 * - `you`: the same account, where not known (a draft saved before this was kept);
 * - `someone-else`.
 * Only the relation is answered, never the tags themselves.
 */
export type SavedBy = 'this-tab' | 'this-session' | 'your-other-session' | 'you' | 'someone-else';

/** What a save keeps of where it came from: the login session's tag, or the API token. */
export function saverTag(caller: Principal | null): string | null {
  if (caller?.session) return caller.session;
  return caller?.tokenId != null ? `token:${caller.tokenId}` : null;
}

export function savedBy(saved: { author: string; savedSession?: string | null; savedTab?: string | null }, caller: Principal | null, tab: string | undefined): SavedBy {
  if (saved.author !== actorName(caller)) return 'someone-else';
  const mine = saverTag(caller);
  if (!saved.savedSession || !mine) return 'you';
  if (saved.savedSession !== mine) return 'your-other-session';
  return tab && saved.savedTab === tab ? 'this-tab' : 'this-session';
}
