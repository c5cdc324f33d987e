import { parseShopInstant } from './shop-instant.js';

/**
 * A day of the shop's calendar (`2027-05-04`) as [its midnight, the next midnight) in its time
 * zone: an analyst reading "the sends of 4 May" (walkthrough twelve) had to export the whole log
 * and cut it by hand, where a day cut at UTC midnight would take eight hours of the day before in
 * Shanghai. Throws a message naming `what` (the option or field) and the value; shared by
 * `rekindle export sends --day` and `GET /api/sends?day=`.
 */
export function shopDay(text: string, what: string, timezone: string): { scheduledFrom: number; scheduledBefore: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new Error(`${what}: expected a date such as 2027-05-04, got "${text}"`);
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  if (date.getUTCDate() !== Number(m[3]) || date.getUTCMonth() !== Number(m[2]) - 1) {
    const days = new Date(Date.UTC(Number(m[1]), Number(m[2]), 0)).getUTCDate();
    throw new Error(Number(m[2]) >= 1 && Number(m[2]) <= 12 ? `${what}: "${text}" is not a date: ${m[1]}-${m[2]} has ${days} days` : `${what}: "${text}" is not a date: there is no month ${m[2]}`);
  }
  const next = new Date(date.getTime() + 86_400_000).toISOString().slice(0, 10);
  return { scheduledFrom: parseShopInstant(text, what, timezone), scheduledBefore: parseShopInstant(next, what, timezone) };
}
