import type { Lang } from './i18n.js';
import { durationWords } from './duration.js';
import { eventLabel, NO_DECLARED_EVENTS, type DeclaredEvents } from './summary.js';

/** One entry of `missedEntries` in GET /api/customers/:id/journey (server/src/core/engine/missed-entries.ts). */
export interface MissedEntryView {
  flowId: string;
  eventId: number;
  event: string;
  journeyKey: string | null;
  occurredAt: string;
  receivedAt: string;
  /** When the engine acted on it, the moment the reason is judged at (null or absent: not on record, judged as of its arrival). */
  actedOnAt?: string | null;
  reason: {
    kind: string;
    since?: string;
    by?: string | null;
    until?: string | null;
    untilBy?: string | null;
    untilStatus?: string | null;
    firstPublishedAt?: string;
    maxAge?: string;
    /** key-missing: the trigger's key, and what the event had instead ("no orderId in its properties"). */
    key?: string;
    got?: string;
    enteredAt?: string;
    days?: number;
    segment?: string | null;
    limited?: boolean;
  };
}

/**
 * Why an event of the customer started no journey, in the marketer's words (both languages):
 * the same reasons `rekindle explain` gives in English. `when` writes an ISO instant in the shop's time;
 * the event is named as the cards name it (a declared one by the shop's description).
 */
export function missedEntryWords(lang: Lang, m: MissedEntryView, when: (iso: string | null | undefined) => string, declared: DeclaredEvents = NO_DECLARED_EVENTS): string {
  return missedEntryParts(lang, m, when, (s) => s, declared).join('');
}

/**
 * The same sentence in parts, the shop's own words (order ids, account and segment names) passed
 * through `content` (the view marks them, so they are not taken for untranslated interface text).
 */
export function missedEntryParts<T>(lang: Lang, m: MissedEntryView, when: (iso: string | null | undefined) => string, content: (s: string) => T, declared: DeclaredEvents = NO_DECLARED_EVENTS): (string | T)[] {
  const zh = lang === 'zh';
  const r = m.reason;
  // Builds the parts of a sentence: interpolated shop words (Own) go through `content`, the rest stays text.
  class Own {
    constructor(readonly text: string) {}
  }
  const own = (v: string | null | undefined) => new Own(v ?? '');
  const P = (strings: TemplateStringsArray, ...values: unknown[]): (string | T)[] => {
    const out: (string | T)[] = [strings[0]];
    values.forEach((v, i) => {
      if (v instanceof Own) out.push(content(v.text));
      else if (Array.isArray(v)) out.push(...(v as (string | T)[]));
      else out.push(String(v));
      out.push(strings[i + 1]);
    });
    // Neighbouring text joined: one text part between two shop words.
    return out.reduce<(string | T)[]>((acc, x) => {
      if (x === '') return acc;
      if (typeof x === 'string' && typeof acc.at(-1) === 'string') acc[acc.length - 1] += x;
      else acc.push(x);
      return acc;
    }, []);
  };
  const key = m.journeyKey ? P` #${own(m.journeyKey)}` : [];
  // Taken up by the engine later than it arrived (a backlog): both times, and "then" is the later one.
  const late = !!m.actedOnAt && when(m.actedOnAt) !== when(m.receivedAt);
  const arrived = zh
    ? P`${eventLabel(lang, m.event, declared)}${key}（${when(m.receivedAt)} 到达${late ? `，${when(m.actedOnAt)} 由引擎处理` : ''}）`
    : P`${eventLabel(lang, m.event, declared)}${key} (arrived ${when(m.receivedAt)}${late ? `, acted on by the engine ${when(m.actedOnAt)}` : ''})`;
  const checkedZh = late ? '引擎处理时' : '到达时';
  switch (r.kind) {
    case 'pending':
      return zh ? P`${arrived}：还在引擎的待处理队列中` : P`${arrived}: not acted on yet`;
    case 'not-published':
      return zh ? P`${arrived}：当时旅程还没有发布（首次发布于 ${when(r.firstPublishedAt)}），没有进入` : P`${arrived}: the journey was not published yet (first published ${when(r.firstPublishedAt)})`;
    case 'paused':
    case 'stopped': {
      const state = zh ? (r.kind === 'paused' ? '暂停' : '停止') : r.kind;
      const back = zh ? (r.untilStatus === 'active' ? '继续运行' : r.untilStatus === 'stopped' ? '停止' : '暂停') : r.untilStatus === 'active' ? 'resumed' : (r.untilStatus ?? '');
      if (zh) {
        const who = r.by ? P`${own(r.by)} ` : [];
        const untilWho = r.untilBy ? P`${own(r.untilBy)} ` : [];
        const until = r.until ? P`${untilWho}于 ${when(r.until)} ${back}` : P`至今仍${state}`;
        return P`${arrived}：当时旅程已${state}（${who}于 ${when(r.since)} ${state}，${until}），没有进入；${state}期间到达的事件之后不会补上`;
      }
      const who = r.by ? P` by ${own(r.by)}` : [];
      const untilWho = r.untilBy ? P` by ${own(r.untilBy)}` : [];
      const until = r.until ? P`${back}${untilWho} at ${when(r.until)}` : P`still ${state}`;
      return P`${arrived}: the journey was ${state} (${state}${who} at ${when(r.since)}, ${until}); events that arrive meanwhile are not caught up later`;
    }
    case 'event-too-old':
      return zh
        ? P`${arrived}：事件发生于 ${when(m.occurredAt)}，${checkedZh}已超过入口的事件有效期（${durationWords(lang, r.maxAge)}），没有进入`
        : P`${arrived}: it happened ${when(m.occurredAt)}, older than the entry's ${durationWords(lang, r.maxAge)} limit`;
    case 'key-missing':
      return zh
        ? P`${arrived}：旅程按「${own(r.key ?? '')}」区分，这个事件没有带这个字段（或为空、不是文字或数字），没有进入；请对接方在事件的 properties 里带上 ${own(r.key ?? '')}`
        : P`${arrived}: the journey is keyed by ${own(r.key ?? '')} and the event has ${own(r.got ?? '')}; the feed must send ${own(r.key ?? '')} in its properties`;
    case 'already-in-journey':
      return zh ? P`${arrived}：顾客已经在这个旅程中（${when(r.enteredAt)} 进入）` : P`${arrived}: already in this journey (entered ${when(r.enteredAt)})`;
    case 'reentry-never':
      return zh ? P`${arrived}：此旅程不允许重复进入（顾客曾于 ${when(r.enteredAt)} 进入）` : P`${arrived}: this journey lets nobody in twice (entered ${when(r.enteredAt)})`;
    case 'reentry-after':
      return zh ? P`${arrived}：此旅程 ${r.days} 天内不允许再次进入（上次进入：${when(r.enteredAt)}）` : P`${arrived}: re-entry only after ${r.days} days (last entered ${when(r.enteredAt)})`;
    default: {
      const segment = r.segment ? (zh ? P`顾客当时不在入口人群「${own(r.segment)}」中` : P`not in the entry's segment "${own(r.segment)}" then`) : null;
      const limit = r.limited ? (zh ? '入口分组人数已满' : "the entry's group was full") : null;
      if (!segment && !limit) return zh ? P`${arrived}：没有记录原因` : P`${arrived}: no reason on record`;
      const causes = segment && limit ? P`${segment}${zh ? '，或' : ', or '}${limit}` : (segment ?? [limit!]);
      return zh ? P`${arrived}：${causes}（事件${checkedZh}检查，未逐人记录）` : P`${arrived}: ${causes} (checked ${late ? 'when the engine acted on it' : 'when it arrived'}; not logged per customer)`;
    }
  }
}
