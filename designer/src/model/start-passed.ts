/**
 * A journey on the home list whose one-off audience start has gone by before it ever ran: copied
 * from last season, or left as a draft past its date. Published now, everyone would enter at once
 * (core/flow/date-checks.ts warns of it in the editor); the list marks it 已过期 so the marketer
 * sees it without opening each journey. A journey that has been published is not marked: its
 * audience entered when the start came (or enters at its next tick), that start did its job.
 */
export function startPassed(flow: { version: number | null; trigger: Record<string, unknown> | null }, now: number): boolean {
  const tr = flow.trigger;
  if (flow.version !== null || !tr || tr.type !== 'audience' || typeof tr.startAt !== 'string') return false;
  const start = Date.parse(tr.startAt);
  return Number.isFinite(start) && start < now;
}
