import type { Lang } from './i18n.js';
import { fromConditions } from './rule-builder.js';
import { segmentLabel, type SegmentInfo, type SegmentTitles } from './segment-words.js';
import { conditionWords } from './words.js';

/**
 * A segment's whole rule (its `conditions` from GET /api/segments) in the marketer's words, for the
 * 人群 picker: "距上次购买天数 ≥ 180 天，且 订单数 ≥ 2". Each condition is said as the customer page
 * says an unmet one (conditionWords, without the customer's own value); a group inside a group is
 * put in brackets so "且" and "或" never read ambiguously; a segment used inside another is named by
 * its title (在人群「高价值沉睡客户」里). Before, the entry step showed a chosen segment by its name
 * alone, so a marketer could not see what a saved audience actually selects.
 */
export function segmentRuleWords(lang: Lang, conditions: unknown, titles?: SegmentTitles): string {
  const zh = lang === 'zh';
  const and = zh ? '，且 ' : ', and ';
  const or = zh ? '，或 ' : ', or ';
  const say = (c: unknown, nested: boolean): string => {
    if (!c || typeof c !== 'object') return zh ? '（看不懂的条件）' : '(an unreadable condition)';
    const o = c as Record<string, unknown>;
    const group = (items: unknown[], joiner: string) => {
      if (items.length === 0) return zh ? '（没有条件）' : '(no conditions)';
      if (items.length === 1) return say(items[0], nested);
      const text = items.map((x) => say(x, true)).join(joiner);
      return nested ? (zh ? `（${text}）` : `(${text})`) : text;
    };
    if (Array.isArray(o.all)) return group(o.all, and);
    if (Array.isArray(o.any)) return group(o.any, or);
    if (o.not !== undefined) return zh ? `不满足「${say(o.not, false)}」` : `not "${say(o.not, false)}"`;
    if (typeof o.condition === 'string') return zh ? `在人群「${segmentLabel(o.condition, titles)}」里` : `in segment "${segmentLabel(o.condition, titles)}"`;
    return conditionWords(lang, o);
  };
  return say(conditions, false);
}

/**
 * Whether a saved audience can be the start of a new one in the in-place builder (以「…」为起点新建):
 * only a rule the builder shows as rows; one that uses other audiences (condition: …) or a `not`
 * is said in words only, and the note under it says to build a new audience instead.
 */
export const canStartFrom = (s: SegmentInfo | undefined): boolean => !!s && fromConditions(s.conditions) !== null;
