import { formatDateTime } from './format.js';
import { translate, type Lang } from './i18n.js';
import { segmentLabel, type SegmentTitles } from './segment-words.js';

/** The server's next run of a running journey (GET /api/flows/:id/counts `nextRun`). */
export interface NextRun {
  at: number;
  timezone: string;
  trigger: unknown;
}

/**
 * Beside the live numbers of a journey entered on a schedule: when its audience is next drawn, in
 * the shop's time zone (the server's, not the browser's), and what that run does. A daily journey
 * published at 15:00 showed 进入 0 until the next morning's run with no word of why or until when.
 * `nobodyYet`: no customer has entered (the numbers are all 0), said first.
 */
export function nextRunWords(lang: Lang, next: NextRun, nobodyYet: boolean, titles?: SegmentTitles): string {
  return translate(lang, nobodyYet ? 'live.nextRunNobodyYet' : 'live.nextRun')
    .replace('{when}', formatDateTime(lang, next.at, next.timezone))
    .replace('{zone}', next.timezone)
    .replace('{what}', runWords(lang, next.trigger, titles));
}

/**
 * Beside a paused journey entered on a schedule or a one-off audience, in place of its next run
 * (the server gives none while paused). After 暂停 the note went on saying 下次运行：明天 09:00 …
 * 符合条件的顾客进入旅程 until the next read, and nothing said what a pause does to the runs: none
 * while paused, and on resume the one missed run at once (core/engine/journey-engine.ts
 * runDueEntries: the next run after the last is already due), so a journey resumed at 23:00 draws
 * its 09:00 audience at 23:00. Null for an event entry (the intake line says its pause).
 */
export function pausedRunWords(lang: Lang, trigger: unknown, titles?: SegmentTitles): string | null {
  const type = ((trigger ?? {}) as Record<string, unknown>).type;
  if (type !== 'schedule' && type !== 'audience') return null;
  return translate(lang, type === 'audience' ? 'live.pausedOnce' : 'live.paused').replace('{what}', runWords(lang, trigger, titles));
}

/** What the run does: which audience it draws, and how often. */
function runWords(lang: Lang, trigger: unknown, titles?: SegmentTitles): string {
  const tr = (trigger ?? {}) as Record<string, unknown>;
  const segment = segmentLabel(tr.segment, titles);
  const at = String(tr.at ?? '09:00');
  const key = tr.type === 'audience' ? 'live.what.once' : tr.every === 'hour' ? 'live.what.hourly' : 'live.what.daily';
  return translate(lang, key).replace('{segment}', segment).replace('{at}', at).replace('{minute}', at.split(':')[1] ?? '00');
}
