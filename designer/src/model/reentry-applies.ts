import type { Lang } from './i18n.js';
import type { DraftNode } from './types.js';

/**
 * Whether 重复进入 (the entry's `reentry`) means anything for a trigger. A one-off audience
 * (一次性人群) enters once, at its start time, and never runs again (server/src/core/engine/
 * schedule.ts), so the choice changes nothing there: the inspector shows why instead of the
 * choice, and `rekindle validate` warns about a file that sets it (core/flow/reentry-checks.ts).
 * An event and a schedule (定时圈选人群) let a customer in again: the choice stays.
 */
export function reentryApplies(trigger: unknown): boolean {
  return ((trigger ?? {}) as Record<string, unknown>).type !== 'audience';
}

/** Why 重复进入 is not offered, said where the choice would be. */
export function reentryNote(lang: Lang): string {
  return lang === 'zh'
    ? '一次性人群只在开始时间进入一次，之后不会再运行，所以不用设置重复进入。想让顾客定期再进入，请把入口改成「定时圈选人群」或事件触发'
    : 'A one-off audience enters once, at its start time, and never runs again, so re-entry has nothing to decide. For customers to enter again, use a schedule or an event trigger';
}

/**
 * The entry with its trigger changed to another kind (事件触发 / 定时圈选人群 / 一次性人群): a
 * one-off audience takes re-entry back to 不允许 (what it does anyway), so no choice made for an
 * event trigger is left in the file where it means nothing.
 */
export function entryWithTrigger(entry: DraftNode, trigger: Record<string, unknown>): DraftNode {
  if (reentryApplies(trigger)) return { ...entry, trigger };
  return { ...entry, trigger, reentry: { policy: 'never' } };
}
