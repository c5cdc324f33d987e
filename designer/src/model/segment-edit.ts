import { errorText } from './error-words.js';
import { audienceErrorWords } from './audience-error-words.js';
import type { Lang } from './i18n.js';
import { canStartFrom } from './segment-rule-words.js';
import type { LiveJourney, SegmentInfo } from './segment-words.js';

/**
 * Whether a saved audience can be edited in place (编辑): the builder can show its rule as rows
 * (as for 以…为起点新建), and the list gave its revision, which the save sends back so an edit made
 * over someone else's newer save is refused (409) instead of silently undoing it.
 */
export const canEditInPlace = (s: SegmentInfo | undefined): boolean => canStartFrom(s) && typeof s?.revision === 'string' && s.revision !== '';

/** What a saved audience's edit starts from: its title (its id without one), rule and revision. */
export function editStart(s: SegmentInfo): { id: string; title: string; conditions: unknown; revision: string } {
  return { id: s.name, title: s.title?.trim() || s.name, conditions: s.conditions, revision: s.revision ?? '' };
}

const USE_WORDS: Record<Lang, Record<string, string>> = {
  zh: { entry: '谁能进入', branch: '顾客走哪条分支' },
  en: { entry: 'who enters', branch: 'which way customers go' },
};

/**
 * The live journeys an edit changes, in words, for the confirmation before saving and the note
 * after it: "正在运行的旅程「西部问候」（谁能进入、顾客走哪条分支）、已暂停的旅程「…」在用这个人群。保存后，
 * 从它们的下一次运行起就按新条件决定。" The engine reads segment files as they are at each run: there
 * is no publish in between. Null when no live journey uses it (then nothing to confirm).
 */
export function liveJourneyWords(lang: Lang, journeys: readonly LiveJourney[] | undefined): string | null {
  if (!journeys || journeys.length === 0) return null;
  const zh = lang === 'zh';
  const each = journeys.map((j) => {
    const uses = j.uses.map((u) => USE_WORDS[lang][u] ?? u).join(zh ? '、' : ' and ');
    const state = j.status === 'paused' ? (zh ? '已暂停的旅程' : 'paused journey') : zh ? '正在运行的旅程' : 'live journey';
    return zh ? `${state}「${j.name}」（${uses}）` : `the ${state} "${j.name}" (${uses})`;
  });
  return zh
    ? `${each.join('、')}在用这个人群。保存后，从它们的下一次运行起就按新条件决定，不用重新发布。`
    : `This audience is used by ${each.join(', ')}. Once saved, they decide by the new conditions from their next run, without a publish.`;
}

/**
 * Why this account may not edit the audience in place, said where 编辑 would be, before any edit is
 * started: publish approval is on and live journeys use it (GET /api/segments `editNeedsAdmin`), so
 * the save (PUT) would be refused to anyone but an admin (403 segment-edit-needs-admin, whose words
 * after the fact are segmentEditErrorWords'). Null when they may: an admin, approval off, or no live
 * journey. `role`: the signed-in account's (null when unknown, refused as the server would).
 */
export function editNeedsAdminWords(lang: Lang, s: SegmentInfo | undefined, role: string | null | undefined): string | null {
  if (!s?.editNeedsAdmin || role === 'admin') return null;
  const zh = lang === 'zh';
  const each = (s.liveJourneys ?? []).map((j) => {
    const paused = j.status === 'paused';
    return zh ? `${paused ? '已暂停的旅程' : '正在运行的旅程'}「${j.name}」` : `the ${paused ? 'paused' : 'live'} journey "${j.name}"`;
  });
  const using = each.length ? each.join(zh ? '、' : ', ') : zh ? '上线的旅程' : 'live journeys';
  return zh
    ? `只有管理员可以修改这个人群：本店开启了发布审批，而${using}在用它，改它就等于不经审批改变这些旅程。请找管理员修改。`
    : `Only an admin may change this audience: publish approval is on and ${using} use it, so changing it would change them without an approval. Ask an admin to change it.`;
}

/**
 * Why saving an edited audience was refused, in the marketer's words: someone else saved it after
 * it was opened (409 segment-changed: reload, then edit again), publish approval keeps it to an
 * admin (403 segment-edit-needs-admin), or the rule is wrong (422, said by condition and field as
 * for a new audience). Everything else: the words every view uses.
 */
export function segmentEditErrorWords(lang: Lang, e: unknown): { text: string; conflict: boolean } {
  const err = e as { status?: unknown; code?: unknown; body?: { liveJourneys?: { name?: unknown; flowId?: unknown }[] } | null };
  const zh = lang === 'zh';
  if (err.code === 'segment-changed') {
    return {
      conflict: true,
      text: zh
        ? '没有保存：你打开这个人群之后，别人已经保存过它（或开发同事在代码库里改过它）。为免覆盖对方的修改，请点「重新载入」看最新的条件，再改一次。'
        : 'Not saved: someone else saved this audience after you opened it (or it was changed in git). So as not to undo their change, reload it to see its conditions now, then make your change again.',
    };
  }
  if (err.code === 'segment-edit-needs-admin') {
    const names = (err.body?.liveJourneys ?? []).map((j) => String(j.name ?? j.flowId ?? '')).filter(Boolean);
    const list = names.map((n) => (zh ? `「${n}」` : `"${n}"`)).join(zh ? '、' : ', ');
    return {
      conflict: false,
      text: zh
        ? `没有保存：本店开启了发布审批，而正在运行的旅程${list}在用这个人群，修改它就等于不经审批改变这些旅程，所以只有管理员可以修改。请找管理员修改，或以它为起点新建一个人群。`
        : `Not saved: publish approval is on and the live journey(s) ${list} use this audience; changing it would change them without an approval, so only an admin may. Ask an admin, or start a new audience from it.`,
    };
  }
  if (err.status === 422) return { conflict: false, text: audienceErrorWords(lang, e) };
  return { conflict: false, text: errorText(lang, e) };
}
