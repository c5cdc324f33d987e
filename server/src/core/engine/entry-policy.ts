import { MS_PER_DAY } from '../clock.js';
import type { z } from 'zod';
import type { ReentrySchema } from '../flow/schema.js';

export interface PastEntry {
  journeyKey: string;
  enteredAt: number;
  active: boolean;
}

/**
 * May this customer enter (again)? A journey already running with the same key never starts
 * twice; beyond that the flow's re-entry policy decides: never, after N days, or always.
 * With a journey key only the history's entries with that key count (the store's entryHistory
 * reads no others for such a candidate); without one ('') every entry does.
 */
export function mayEnter(reentry: z.infer<typeof ReentrySchema>, history: readonly PastEntry[], journeyKey: string, now: number): { ok: boolean; reason?: string } {
  if (history.some((h) => h.active && h.journeyKey === journeyKey)) return { ok: false, reason: 'already-in-journey' };
  const relevant = journeyKey === '' ? history : history.filter((h) => h.journeyKey === journeyKey);
  if (relevant.length === 0) return { ok: true };
  switch (reentry.policy) {
    case 'always':
      return { ok: true };
    case 'never':
      return { ok: false, reason: 'reentry-never' };
    case 'after': {
      const last = Math.max(...relevant.map((h) => h.enteredAt));
      return now - last >= reentry.days! * MS_PER_DAY ? { ok: true } : { ok: false, reason: `reentry-after-${reentry.days}d` };
    }
  }
}
