import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';

/**
 * What the draft conflict banner says (a save refused with 409: the draft changed since this tab's
 * revision, or is gone). It said 已被别人发布或放弃, and named the saver as if another person, also
 * when the saver was the signed-in marketer in another tab or window of theirs (the walkthrough:
 * one marketer, two tabs). Then it compared the saver's username with who is signed in, so the same
 * account on another machine or browser also read 你在另一个标签页或窗口里改过. Now the server says
 * who it was (`conflict.by`, api/designer/draft-saver.ts: by the login session and the tab that
 * saved), in three cases and two more:
 * - another tab or window of this browser (the same login session);
 * - this account signed in elsewhere (another computer or browser);
 * - someone else, named;
 * - this very tab (a save of its own whose answer never came);
 * - the same account where the server cannot tell (a draft saved before it kept this, or an older
 *   server: then the usernames are compared), said without claiming which.
 * A draft gone (published or discarded) is told by username only (the audit log keeps no session).
 */
export interface ConflictSeen {
  author: string | null;
  updatedAt: number | null;
  /** Who saved it, as the server tells (absent from older servers). */
  by?: 'this-tab' | 'this-session' | 'your-other-session' | 'you' | 'someone-else';
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

type Where = 'this-tab' | 'this-session' | 'your-other-session' | 'you' | 'someone-else' | 'nobody';

/** `me`: the signed-in username (null when unknown: then the saver is only named, unless the server said). */
export function conflictWords(lang: Lang, c: ConflictSeen, me: string | null, timeZone?: string): ConflictWords {
  const zh = lang === 'zh';
  const saved = c.author !== null && c.updatedAt !== null;
  const who = saved ? c.author : (c.goneBy?.author ?? null);
  const at = saved ? c.updatedAt : (c.goneBy?.at ?? null);
  const sameName = who !== null && me !== null && who === me;
  const where: Where = who === null ? 'nobody' : saved && c.by ? c.by : sameName ? 'you' : 'someone-else';
  const when = at === null ? '' : formatDateTime(lang, at, timeZone);
  const tail = zh ? '这里的修改还没有保存，自动保存已暂停。' : 'Your changes here are not saved; autosave is paused.';
  const en = (s: string) => `${s} ${tail}`;
  const cn = (s: string) => `${s}${tail}`;
  if (!saved) {
    const text =
      where === 'nobody'
        ? // Nobody named (an older server): not said to be someone else.
          zh ? cn('这个旅程的草稿已在别处发布或放弃。') : en("This journey's draft was published or discarded elsewhere.")
        : where === 'someone-else'
          ? zh ? cn(`${who} 在 ${when} 发布或放弃了这个旅程的草稿。`) : en(`${who} published or discarded this journey's draft at ${when}.`)
          : zh ? cn(`你在另一个标签页、窗口或另一台电脑上发布或放弃了这个旅程的草稿（${when}）。`) : en(`You published or discarded this journey's draft in another tab, window or computer (at ${when}).`);
    return { text, ...buttons(zh, where, who) };
  }
  const text = {
    'this-tab': zh ? cn(`这个标签页在 ${when} 的一次保存已经存上，但没有收到回答。`) : en(`A save from this tab at ${when} was kept, but its answer never came back; what you changed here since is not saved.`),
    'this-session': zh ? cn(`你在这个浏览器的另一个标签页或窗口里改过这个旅程（${when} 保存），覆盖了这里打开时的版本。`) : en(`You changed this journey in another tab or window of this browser (saved at ${when}), over the version opened here.`),
    'your-other-session': zh ? cn(`你的账号 ${who} 在另一台电脑或另一个浏览器里改过这个旅程（${when} 保存），覆盖了这里打开时的版本。`) : en(`Your account ${who} changed this journey on another computer or in another browser (saved at ${when}), over the version opened here.`),
    you: zh ? cn(`你（${who}）在别处（另一个标签页、窗口或另一台电脑）改过这个旅程（${when} 保存），覆盖了这里打开时的版本。`) : en(`You (${who}) changed this journey elsewhere (another tab, window or computer; saved at ${when}), over the version opened here.`),
    'someone-else': zh ? cn(`${who} 在 ${when} 保存了这个旅程的草稿，覆盖了你打开时的版本。`) : en(`${who} saved this journey's draft at ${when}, over the version you opened.`),
  }[where as Exclude<Where, 'nobody'>];
  return { text, ...buttons(zh, where, who) };
}

function buttons(zh: boolean, where: Where, who: string | null): Omit<ConflictWords, 'text'> {
  switch (where) {
    case 'this-tab':
      return zh ? { load: '载入已存的版本（放弃这里之后的修改）', keep: '保留这里的版本（覆盖已存的版本）' } : { load: 'Load the saved version (discard what changed here since)', keep: 'Keep this version (overwrite the saved one)' };
    case 'this-session':
      return zh ? { load: '载入另一个标签页的版本（放弃这里的修改）', keep: '保留这里的版本（覆盖另一个标签页的修改）' } : { load: "Load the other tab's version (discard the changes here)", keep: "Keep this version (overwrite the other tab's changes)" };
    case 'your-other-session':
    case 'you':
      return zh ? { load: '载入另一处的版本（放弃这里的修改）', keep: '保留这里的版本（覆盖另一处的修改）' } : { load: 'Load the version saved elsewhere (discard the changes here)', keep: 'Keep this version (overwrite the one saved elsewhere)' };
    case 'nobody':
      return zh ? { load: '重新载入（放弃这里的修改）', keep: '保留这里的版本（重新存为草稿）' } : { load: 'Reload (discard the changes here)', keep: 'Keep this version (save it as the draft again)' };
    default:
      return zh ? { load: `载入 ${who} 的版本（放弃我的修改）`, keep: `保留我的版本（覆盖 ${who} 的修改）` } : { load: `Load ${who}'s version (discard mine)`, keep: `Keep my version (overwrite ${who}'s)` };
  }
}
