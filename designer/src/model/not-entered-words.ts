import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';
import { segmentLabel, type SegmentTitles } from './segment-words.js';
import { conditionWords, customerValueWords } from './words.js';

/** A condition on one fact with the customer's own value (server: core/rules/unmet-conditions.ts). */
export interface FactConditionView {
  kind: 'fact';
  fact: string;
  operator: string;
  value: unknown;
  theirs: unknown;
}
export type UnmetView = FactConditionView | { kind: 'segment'; segment: string; unmet: UnmetView[] } | { kind: 'any'; branches: UnmetView[][] } | { kind: 'not'; held: (FactConditionView | { kind: 'segment'; segment: string })[] };

/** One of `notEntered` in GET /api/customers/:id/journey (server: runtime/why-not-entered.ts). */
export interface NotEnteredView {
  flowId: string;
  status: string;
  version: number;
  segment: string;
  inSegment: boolean | null;
  unmet: UnmetView[];
  audienceAt: number | null;
  schedule: { every: 'day' | 'hour'; at: string } | null;
}

/** The condition as every other place says it (the 人群 picker's rule too: segment-rule-words.ts). */
const condition = (lang: Lang, f: FactConditionView): string => conditionWords(lang, f);

/** One unmet condition in the marketer's words: 累计消费 ≥ ¥500（TA 的：¥398）. */
export function unmetWords(lang: Lang, u: UnmetView, titles?: SegmentTitles): string {
  const zh = lang === 'zh';
  const theirs = (f: FactConditionView) => (f.theirs === null || f.theirs === undefined ? (zh ? '没有' : 'none') : customerValueWords(lang, f.fact, f.theirs));
  switch (u.kind) {
    case 'fact':
      return zh ? `${condition(lang, u)}（TA 的：${theirs(u)}）` : `${condition(lang, u)} (theirs: ${theirs(u)})`;
    case 'segment': {
      const inner = u.unmet.map((x) => unmetWords(lang, x, titles)).join(zh ? '；' : '; ');
      return zh ? `在人群「${segmentLabel(u.segment, titles)}」里${inner ? `：${inner}` : ''}` : `in segment "${segmentLabel(u.segment, titles)}"${inner ? `: ${inner}` : ''}`;
    }
    case 'any':
      return u.branches.map((b) => b.map((x) => unmetWords(lang, x, titles)).join(zh ? '；' : '; ')).join(zh ? '，也不满足 ' : ', nor ');
    case 'not': {
      const held = u.held.map((h) => (h.kind === 'segment' ? (zh ? `在人群「${segmentLabel(h.segment, titles)}」里` : `in segment "${segmentLabel(h.segment, titles)}"`) : zh ? `${condition(lang, h)}（TA 的：${theirs(h)}）` : `${condition(lang, h)} (theirs: ${theirs(h)})`));
      return zh ? `不能满足：${held.join('，')}` : `must not be: ${held.join(', ')}`;
    }
  }
}

/**
 * What the customer page says of a live journey the customer is not in: whether its entry audience
 * takes them now, and if not which condition held them out with their own value — the marketer's
 * "why did 老王 not get our SMS". By the customer's data now (a run yesterday may have seen other data).
 */
export function notEnteredWords(lang: Lang, n: NotEnteredView, now: number, timeZone?: string, titles?: SegmentTitles): string {
  const zh = lang === 'zh';
  const audience = segmentLabel(n.segment, titles);
  const head = zh ? `入口人群「${audience}」` : `entry audience "${audience}"`;
  if (n.inSegment === null) return zh ? `${head}的规则文件已不在 rules/segments/ 里，没有检查` : `${head}: its rule file is not under rules/segments/ any more, not checked`;
  if (!n.inSegment) return zh ? `现在不在${head}里：${n.unmet.map((u) => unmetWords(lang, u, titles)).join('；') || '规则不满足'}` : `not in the ${head} now: ${n.unmet.map((u) => unmetWords(lang, u, titles)).join('; ') || 'its rule does not match'}`;
  if (n.audienceAt !== null) {
    const when = formatDateTime(lang, n.audienceAt, timeZone);
    if (n.audienceAt > now) return zh ? `现在在${head}里：活动开始时（${when}）圈定人群` : `in the ${head} now: the audience is drawn at the start (${when})`;
    return zh ? `现在在${head}里，但活动开始时（${when}）圈定的人群里没有 TA` : `in the ${head} now, but not in the audience drawn at the start (${when})`;
  }
  const run = n.schedule?.every === 'hour' ? (zh ? '每小时' : 'hourly') : zh ? `每天 ${n.schedule?.at ?? ''}` : `daily ${n.schedule?.at ?? ''}`;
  return zh ? `现在在${head}里：下一次运行（${run}）会让 TA 进入，除非旅程的人数上限或重复进入规则拦下` : `in the ${head} now: the next run (${run}) lets them in, unless the journey's limits or re-entry rules hold them out`;
}
