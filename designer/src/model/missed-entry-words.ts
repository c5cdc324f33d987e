import type { Lang } from './i18n.js';
import { durationWords } from './duration.js';
import { eventLabel } from './summary.js';

/** One entry of `missedEntries` in GET /api/customers/:id/journey (server/src/core/engine/missed-entries.ts). */
export interface MissedEntryView {
  flowId: string;
  eventId: number;
  event: string;
  journeyKey: string | null;
  occurredAt: string;
  receivedAt: string;
  reason: {
    kind: string;
    since?: string;
    by?: string | null;
    until?: string | null;
    untilBy?: string | null;
    untilStatus?: string | null;
    firstPublishedAt?: string;
    maxAge?: string;
    enteredAt?: string;
    days?: number;
    segment?: string | null;
    limited?: boolean;
  };
}

/**
 * Why an event of the customer started no journey, in the marketer's words (both languages):
 * the same reasons `rekindle explain` gives in English. `when` writes an ISO instant in the shop's time.
 */
export function missedEntryWords(lang: Lang, m: MissedEntryView, when: (iso: string | null | undefined) => string): string {
  const zh = lang === 'zh';
  const r = m.reason;
  const ev = `${eventLabel(lang, m.event)}${m.journeyKey ? ` #${m.journeyKey}` : ''}`;
  const arrived = zh ? `${ev}（${when(m.receivedAt)} 到达）` : `${ev} (arrived ${when(m.receivedAt)})`;
  switch (r.kind) {
    case 'pending':
      return zh ? `${arrived}：还在引擎的待处理队列中` : `${arrived}: not acted on yet`;
    case 'not-published':
      return zh ? `${arrived}：当时旅程还没有发布（首次发布于 ${when(r.firstPublishedAt)}），没有进入` : `${arrived}: the journey was not published yet (first published ${when(r.firstPublishedAt)})`;
    case 'paused':
    case 'stopped': {
      const state = zh ? (r.kind === 'paused' ? '暂停' : '停止') : r.kind;
      const who = r.by ? (zh ? `${r.by} ` : ` by ${r.by}`) : '';
      const untilWho = r.untilBy ? (zh ? `${r.untilBy} ` : ` by ${r.untilBy}`) : '';
      const back = zh ? (r.untilStatus === 'active' ? '恢复' : r.untilStatus === 'stopped' ? '停止' : '暂停') : r.untilStatus === 'active' ? 'resumed' : (r.untilStatus ?? '');
      if (zh) return `${arrived}：当时旅程已${state}（${who}于 ${when(r.since)} ${state}，${r.until ? `${untilWho}于 ${when(r.until)} ${back}` : `至今仍${state}`}），没有进入；${state}期间到达的事件之后不会补上`;
      return `${arrived}: the journey was ${state} (${state}${who} at ${when(r.since)}, ${r.until ? `${back}${untilWho} at ${when(r.until)}` : `still ${state}`}); events that arrive meanwhile are not caught up later`;
    }
    case 'event-too-old':
      return zh
        ? `${arrived}：事件发生于 ${when(m.occurredAt)}，到达时已超过入口的事件有效期（${durationWords(lang, r.maxAge)}），没有进入`
        : `${arrived}: it happened ${when(m.occurredAt)}, older than the entry's ${durationWords(lang, r.maxAge)} limit`;
    case 'already-in-journey':
      return zh ? `${arrived}：顾客已经在这个旅程中（${when(r.enteredAt)} 进入）` : `${arrived}: already in this journey (entered ${when(r.enteredAt)})`;
    case 'reentry-never':
      return zh ? `${arrived}：此旅程不允许重复进入（顾客曾于 ${when(r.enteredAt)} 进入）` : `${arrived}: this journey lets nobody in twice (entered ${when(r.enteredAt)})`;
    case 'reentry-after':
      return zh ? `${arrived}：此旅程 ${r.days} 天内不允许再次进入（上次进入：${when(r.enteredAt)}）` : `${arrived}: re-entry only after ${r.days} days (last entered ${when(r.enteredAt)})`;
    default: {
      const causes = [r.segment ? (zh ? `顾客当时不在入口人群「${r.segment}」中` : `not in the entry's segment "${r.segment}" then`) : null, r.limited ? (zh ? '入口分组人数已满' : "the entry's group was full") : null].filter(Boolean);
      if (causes.length === 0) return zh ? `${arrived}：没有记录原因` : `${arrived}: no reason on record`;
      return zh ? `${arrived}：${causes.join('，或')}（事件到达时检查，未逐人记录）` : `${arrived}: ${causes.join(', or ')} (checked when it arrived; not logged per customer)`;
    }
  }
}
