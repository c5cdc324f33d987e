import { formatDateTime } from './format.js';
import { longestJourney } from './journey-length.js';
import type { Lang } from './i18n.js';
import type { DraftFlow } from './types.js';

const DAY = 86_400_000;
/** The shortest simulation: a week of the shop, as before. */
export const MIN_SIM_DAYS = 7;
/** Anything but a one-off audience: the customers who entered in the shop's last week. */
export const ENTRY_DAYS = 7;
/** The server's limit (POST /api/flows/:id/simulate, days ≤ 90). */
export const MAX_SIM_DAYS = 90;

/**
 * What the designer's 模拟 runs: from when, for how many days. `from` null means "the last `days`
 * days of the shop" (the server's default). A one-off audience enters once at its startAt, so
 * simulating the last week of the shop would let nobody in (the answer was always "the one-off
 * audience starts outside the simulated days"): its simulation starts at startAt instead.
 */
export interface SimWindow {
  /** The flow file's startAt (ISO with offset) of a one-off audience; null: the shop's last days. */
  from: string | null;
  days: number;
  /**
   * Without `from`: the shop's last `entering` days are replayed (who enters), and the run goes on
   * for the rest of `days` past now, so the last to enter finish their journey too — else those who
   * got the last message are still waiting when it ends, and its conversions read 0.
   */
  entering?: number;
}

/** The one-off audience's start (ms), or null when the entry is not one with a readable startAt. */
export function audienceStart(flow: DraftFlow | undefined): number | null {
  const entry = flow?.nodes.find((n) => n.type === 'entry');
  const tr = entry?.trigger as { type?: unknown; startAt?: unknown } | undefined;
  if (!tr || tr.type !== 'audience' || typeof tr.startAt !== 'string') return null;
  const t = Date.parse(tr.startAt);
  return Number.isFinite(t) ? t : null;
}

/**
 * The window the designer simulates: a one-off audience from its startAt, anything else over the
 * shop's last days; long enough for the longest journey through the flow to play out
 * (journey-length.ts: its longest path's waits, plus a day), at least a
 * week, at most the server's 90 days.
 */
export function simulationWindow(flow: DraftFlow, now: number): SimWindow {
  const start = audienceStart(flow);
  const need = Math.ceil(longestJourney(flow, start ?? now) / DAY) + 1;
  if (start !== null) {
    const entry = flow.nodes.find((n) => n.type === 'entry')!;
    return { from: (entry.trigger as { startAt: string }).startAt, days: Math.min(MAX_SIM_DAYS, Math.max(MIN_SIM_DAYS, need)) };
  }
  return { from: null, days: Math.min(MAX_SIM_DAYS, ENTRY_DAYS + need), entering: ENTRY_DAYS };
}

/**
 * Why the simulation runs this many days, one short note under its head: the journey's longest
 * path (journey-length.ts, its waits added up along it) and what the window makes of it.
 */
export function windowNote(lang: Lang, flow: DraftFlow, now: number): string {
  const zh = lang === 'zh';
  const start = audienceStart(flow);
  const longest = longestJourney(flow, start ?? now);
  const { days, entering } = simulationWindow(flow, now);
  const need = Math.ceil(longest / DAY);
  const path = longest < DAY ? (zh ? '不到 1 天' : 'under a day') : zh ? `约 ${need} 天` : `about ${need} day${need === 1 ? '' : 's'}`;
  if (entering !== undefined) {
    if (entering + need + 1 > MAX_SIM_DAYS) return zh ? `最近 ${entering} 天进入的顾客；旅程最长的一条路径（等待合计）${path}，超过模拟上限：只模拟 ${days} 天，最后进入的顾客走不完` : `Customers who entered in the last ${entering} days; the journey's longest path (its waits added up) takes ${path}, past the limit: only ${days} days are simulated, and the last to enter do not finish`;
    return zh ? `最近 ${entering} 天进入的顾客，再往后模拟 ${days - entering} 天：旅程最长的一条路径（等待合计）${path}，再多 1 天，让最后进入的顾客也走完` : `Customers who entered in the last ${entering} days, then ${days - entering} more days: the journey's longest path (its waits added up) takes ${path}, plus a day so the last to enter finish too`;
  }
  if (need + 1 > MAX_SIM_DAYS) return zh ? `旅程最长的一条路径（等待合计）${path}，超过模拟上限 ${MAX_SIM_DAYS} 天：只模拟前 ${days} 天` : `The journey's longest path (its waits added up) takes ${path}, more than the ${MAX_SIM_DAYS}-day limit: only the first ${days} days are simulated`;
  if (need + 1 < MIN_SIM_DAYS) return zh ? `旅程最长的一条路径（等待合计）${path}，至少模拟 ${MIN_SIM_DAYS} 天` : `The journey's longest path (its waits added up) takes ${path}; at least ${MIN_SIM_DAYS} days are simulated`;
  return zh ? `模拟 ${days} 天：旅程最长的一条路径（等待合计）${path}，再多 1 天，让最后进入的顾客也走完` : `${days} days: the journey's longest path (its waits added up) takes ${path}, plus a day so the last to enter finish too`;
}

/** The window in words, for "正在模拟…" and the result's first line: "最近 7 天", "一次性人群开始时（2026/10/27 09:00）起的 16 天". */
export function windowWords(lang: Lang, w: { from: number | null; days: number; entering?: number }, timeZone?: string): string {
  const zh = lang === 'zh';
  if (w.from === null && w.entering !== undefined && w.days > w.entering) {
    const more = w.days - w.entering;
    return zh ? `最近 ${w.entering} 天进入的顾客（再往后模拟 ${more} 天，让他们走完旅程）` : `the customers who entered in the last ${w.entering} days (and ${more} more day${more === 1 ? '' : 's'} for them to finish)`;
  }
  if (w.from === null) return zh ? `最近 ${w.days} 天` : `the last ${w.days} days`;
  const at = formatDateTime(lang, w.from, timeZone);
  return zh ? `一次性人群开始时（${at}）起的 ${w.days} 天` : `the ${w.days} days from the one-off audience's start (${at})`;
}

/** What a running simulation covers, said while it runs. */
export function runningWords(lang: Lang, flow: DraftFlow, now: number, timeZone?: string): string {
  const w = simulationWindow(flow, now);
  const words = windowWords(lang, { from: w.from === null ? null : Date.parse(w.from), days: w.days, entering: w.entering }, timeZone);
  return lang === 'zh' ? `模拟${words}（在店铺数据的副本上，不会真的发送）` : `Simulating ${words} (on a copy of the shop; nothing is sent)`;
}
