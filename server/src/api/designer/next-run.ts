import { nextEntryRun } from '../../core/engine/schedule.js';
import type { PublishedFlow } from '../../core/engine/ports.js';
import type { Trigger } from '../../core/flow/schema.js';
import { homeTrigger } from './home-trigger.js';

/** When a running flow's audience is next drawn, and what that run does (its published entry). */
export interface NextRun {
  /** The instant (ms); the designer writes it in the shop's time zone, `timezone`. */
  at: number;
  timezone: string;
  /** The published entry's trigger: which segment, every day or hour, at what time. */
  trigger: Trigger;
}

/**
 * The next run of a published, running flow entered on a schedule or a one-off audience, as the
 * engine will find it due (core/engine/schedule.ts, the same function the engine's tick asks).
 * Null for a paused or stopped flow, an event trigger (no run: customers enter as events come)
 * and a one-off audience that already ran. Said on the journeys home (下次运行) and beside a
 * flow's live numbers, where a daily journey published at 15:00 read 进入 0 until tomorrow's
 * 10:00 with no word of why.
 */
export function nextRunOf(p: PublishedFlow | undefined, timezone: string): NextRun | null {
  if (!p || p.status !== 'active') return null;
  const trigger = homeTrigger(p.version.flow, null);
  if (!trigger) return null;
  try {
    const at = nextEntryRun(trigger, p.lastRunAt, p.version.publishedAt, timezone);
    return at === null ? null : { at, timezone, trigger };
  } catch {
    // A trigger the engine cannot schedule (an old version's bad time) has no next run to show.
    return null;
  }
}
