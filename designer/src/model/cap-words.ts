import { durationWords } from './duration.js';
import type { Lang } from './i18n.js';
import { channelLabel } from './summary.js';

/**
 * A contact cap (rules/policy.yaml `caps`, a flow's own `caps`) in the marketer's words: its
 * `description` when the file gives one, else a sentence built from its numbers ("每位顾客整个活动
 * 期间最多 3 条营销消息"). The send log names a cap by its id ("capped:d11-touches"); wherever the
 * designer says a send was held back by a cap (the cards' counts, the simulation, the publish
 * dialog) it says this instead of the id.
 */
export interface CapInfo {
  id: string;
  max: number;
  channels?: string[];
  categories?: string[];
  window?: string;
  period?: 'day' | 'week' | 'month';
  campaign?: boolean;
  /** What the cap limits, in the shop's own words. */
  description?: string;
}

/** Cap id → the cap in words (capNames): what reasonWords says for "capped:<id>". */
export type CapNames = Readonly<Record<string, string>>;
export const NO_CAP_NAMES: CapNames = {};

const CATEGORY: Record<string, Record<Lang, string>> = {
  marketing: { zh: '营销', en: 'marketing' },
  care: { zh: '关怀', en: 'care' },
  transactional: { zh: '交易通知', en: 'transactional' },
};
const PERIOD: Record<string, Record<Lang, string>> = {
  day: { zh: '每个自然日', en: 'per calendar day' },
  week: { zh: '每周', en: 'per week' },
  month: { zh: '每个自然月', en: 'per calendar month' },
};

/** "每位顾客在 24 小时内最多 1 条营销消息", "每位顾客每个自然月最多 2 条短信营销消息": the cap's numbers in a sentence. */
export function capSentence(lang: Lang, c: CapInfo): string {
  const zh = lang === 'zh';
  const channels = (c.channels ?? []).map((ch) => channelLabel(lang, ch)).join(zh ? '、' : ', ');
  const cats = (c.categories?.length ? c.categories : ['marketing']).map((x) => CATEGORY[x]?.[lang] ?? x).join(zh ? '和' : ' and ');
  const scope = c.window ? (zh ? `在 ${durationWords(lang, c.window)}内` : `in ${durationWords(lang, c.window)}`) : c.period ? PERIOD[c.period][lang] : zh ? '整个活动期间' : 'for the whole campaign';
  return zh ? `每位顾客${scope}最多 ${c.max} 条${channels}${cats}消息` : `Each customer gets at most ${c.max} ${channels ? `${channels} ` : ''}${cats} message${c.max === 1 ? '' : 's'} ${scope}`;
}

const described = (c: { description?: unknown }) => (typeof c.description === 'string' && c.description.trim() ? c.description.trim() : null);

/** The cap in words: its description, or the sentence from its numbers. */
export function capName(lang: Lang, c: CapInfo): string {
  return described(c) ?? capSentence(lang, c);
}

/**
 * The names of every cap that can hold back a send of this flow: its own caps (the draft's
 * `caps`, possibly half filled in) and the shop's (GET /api/policy). A cap whose numbers are not
 * readable yet is named by its description alone, or not at all (its id stays).
 */
export function capNames(lang: Lang, ...lists: unknown[]): CapNames {
  const out: Record<string, string> = {};
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const raw of list) {
      if (!raw || typeof raw !== 'object') continue;
      const c = raw as Record<string, unknown>;
      if (typeof c.id !== 'string' || out[c.id] !== undefined) continue;
      const desc = described(c);
      if (desc) out[c.id] = desc;
      else if (typeof c.max === 'number') out[c.id] = capSentence(lang, c as unknown as CapInfo);
    }
  }
  return out;
}
