import { MS_PER_HOUR } from '../clock.js';
import type { Trigger } from '../flow/schema.js';
import { nextLocalTime } from './local-time.js';

/**
 * The next instant a schedule or audience entry is due, after the last run (or after the flow
 * was published). Null when it never runs again (a one-off audience that already ran).
 */
export function nextEntryRun(trigger: Trigger, lastRunAt: number | null, publishedAt: number, timezone: string): number | null {
  const from = lastRunAt ?? publishedAt - 1;
  switch (trigger.type) {
    case 'schedule': {
      if (trigger.every === 'day') return nextLocalTime(from, trigger.at, timezone);
      const minute = Number(trigger.at.split(':')[1]);
      let t = Math.floor(from / MS_PER_HOUR) * MS_PER_HOUR + minute * 60_000;
      while (t <= from) t += MS_PER_HOUR;
      return t;
    }
    case 'audience':
      return lastRunAt === null ? Date.parse(trigger.startAt) : null;
    case 'event':
      return null;
  }
}
