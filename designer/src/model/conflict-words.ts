import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';

/**
 * What the draft conflict banner says (a save refused with 409: the draft changed since this tab's
 * revision, or is gone). It said 已被别人发布或放弃, and named the saver as if another person, also
 * when the saver was the signed-in marketer in another tab or window of theirs (the walkthrough:
 * one marketer, two tabs). Now the saver the server names (`conflict.author`, or `goneBy` for a
 * draft published or discarded, api/designer/drafts.controller.ts) is compared with who is signed
 * in: the same account is "you, in another tab or window"; someone else is named.
 */
export interface ConflictSeen {
  author: string | null;
  updatedAt: number | null;
  /** The draft is gone: who last published or discarded it (absent from older servers, or when the audit log has nobody). */
  goneBy?: { author: string; at: number };
}

export interface ConflictWords {
  text: string;
  /** 载入…的版本（放弃这里的修改） */
  load: string;
  /** 保留这里的版本（覆盖…） */
  keep: string;
}

/** `me`: the signed-in username (null when unknown: then the saver is only named). */
export function conflictWords(lang: Lang, c: ConflictSeen, me: string | null, timeZone?: string): ConflictWords {
  const zh = lang === 'zh';
  const saved = c.author !== null && c.updatedAt !== null;
  const who = saved ? c.author : (c.goneBy?.author ?? null);
  const at = saved ? c.updatedAt : (c.goneBy?.at ?? null);
  const mine = who !== null && me !== null && who === me;
  const when = at === null ? '' : formatDateTime(lang, at, timeZone);
  const tail = zh ? '这里的修改还没有保存，自动保存已暂停。' : 'Your changes here are not saved; autosave is paused.';
  let text: string;
  if (saved) {
    text = mine
      ? zh
        ? `你在另一个标签页或窗口里改过这个旅程（${when} 保存），覆盖了这里打开时的版本。${tail}`
        : `You changed this journey in another tab or window (saved at ${when}), over the version opened here. ${tail}`
      : zh
        ? `${who} 在 ${when} 保存了这个旅程的草稿，覆盖了你打开时的版本。${tail}`
        : `${who} saved this journey's draft at ${when}, over the version you opened. ${tail}`;
  } else if (who !== null) {
    text = mine
      ? zh
        ? `你在另一个标签页或窗口里发布或放弃了这个旅程的草稿（${when}）。${tail}`
        : `You published or discarded this journey's draft in another tab or window (at ${when}). ${tail}`
      : zh
        ? `${who} 在 ${when} 发布或放弃了这个旅程的草稿。${tail}`
        : `${who} published or discarded this journey's draft at ${when}. ${tail}`;
  } else {
    // Nobody named (an older server): not said to be someone else.
    text = zh ? `这个旅程的草稿已在别处发布或放弃。${tail}` : `This journey's draft was published or discarded elsewhere. ${tail}`;
  }
  if (mine) {
    return zh
      ? { text, load: '载入另一个标签页的版本（放弃这里的修改）', keep: '保留这里的版本（覆盖另一个标签页的修改）' }
      : { text, load: 'Load the other tab\'s version (discard the changes here)', keep: 'Keep this version (overwrite the other tab\'s changes)' };
  }
  if (who === null) {
    return zh
      ? { text, load: '重新载入（放弃这里的修改）', keep: '保留这里的版本（重新存为草稿）' }
      : { text, load: 'Reload (discard the changes here)', keep: 'Keep this version (save it as the draft again)' };
  }
  return zh
    ? { text, load: `载入 ${who} 的版本（放弃我的修改）`, keep: `保留我的版本（覆盖 ${who} 的修改）` }
    : { text, load: `Load ${who}'s version (discard mine)`, keep: `Keep my version (overwrite ${who}'s)` };
}
