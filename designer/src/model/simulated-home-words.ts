import { formatDateTime } from './format.js';
import type { Lang } from './i18n.js';

/**
 * The home row of a flow whose figures are a simulation's (a server opened on a simulation's
 * copy): its 7 and 30 days end at the simulation's last step, not today, so the row says so —
 * otherwise "最近 7 天 进入 4,468" reads as this week's live journeys.
 */
export function simulatedHomeWords(lang: Lang, simulatedAt: number | null | undefined, timeZone?: string): string | null {
  if (simulatedAt === null || simulatedAt === undefined) return null;
  const when = formatDateTime(lang, simulatedAt, timeZone);
  return lang === 'zh' ? `模拟数据，截至 ${when}` : `simulated, up to ${when}`;
}
