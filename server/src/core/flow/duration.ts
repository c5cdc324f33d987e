/**
 * Durations in flow files are short strings marketers can read: "2h", "30m", "3d", "1d12h",
 * "90s". Months are not allowed (their length varies); use days.
 */
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
export const DURATION_PATTERN = /^(\d+[wdhms])+$/;

/** Parsed durations: a flow has a handful, and the engine asks for them for every send it reviews. */
const parsed = new Map<string, number>();

export function parseDuration(text: string): number {
  const known = parsed.get(text);
  if (known !== undefined) return known;
  if (!DURATION_PATTERN.test(text)) throw new Error(`"${text}" is not a duration (use e.g. 30m, 2h, 3d, 1d12h)`);
  let total = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)([wdhms])/g)) total += Number(n) * UNIT_MS[unit];
  if (parsed.size >= 1000) parsed.clear();
  parsed.set(text, total);
  return total;
}

export function formatDuration(ms: number): string {
  const parts: string[] = [];
  for (const unit of ['d', 'h', 'm', 's']) {
    const size = UNIT_MS[unit];
    if (ms >= size) {
      parts.push(`${Math.floor(ms / size)}${unit}`);
      ms %= size;
    }
  }
  return parts.join('') || '0s';
}
