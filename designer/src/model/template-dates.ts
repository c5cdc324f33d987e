/**
 * A journey made from a template keeps the template's absolute dates: the 双十一大促 template
 * copied after 11 Nov would enter its whole audience at once and pass every dated wait at once
 * (the server warns of it, core/flow/date-checks.ts). A seasonal campaign means "the next one",
 * so a new journey from a template whose dates have gone by moves them to the next occurrence of
 * the season: every startAt and untilDate by the same whole number of years (the spacing between
 * waves stays as designed, and the wall time and offset written in the file stay too), and a
 * campaign tag ending in the old year (double11-2026) takes the new one. Dates still ahead are
 * left alone.
 */

const DATE_KEYS = new Set(['startAt', 'untilDate']);
const ISO = /^(\d{4})(-\d{2}-\d{2}T.*)$/;

type Json = unknown;

/** Every startAt / untilDate text in the flow's nodes. */
function datesOf(v: Json, out: string[] = []): string[] {
  if (Array.isArray(v)) v.forEach((x) => datesOf(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) (DATE_KEYS.has(k) && typeof x === 'string' && ISO.test(x) ? out.push(x) : datesOf(x, out));
  return out;
}

/** The same wall time `years` later; 29 Feb becomes 28 Feb in a year without it. */
function addYears(text: string, years: number): string {
  const [, y, rest] = ISO.exec(text)!;
  const year = Number(y) + years;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const fixed = !leap && rest.startsWith('-02-29') ? `-02-28${rest.slice(6)}` : rest;
  return `${year}${fixed}`;
}

function shift(v: Json, years: number): Json {
  if (Array.isArray(v)) return v.map((x) => shift(x, years));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, DATE_KEYS.has(k) && typeof x === 'string' && ISO.test(x) ? addYears(x, years) : shift(x, years)]));
  return v;
}

/**
 * The whole number of years the template's dates move so the earliest is not past at `now`
 * (0 when none is past or the flow has no dates).
 */
export function yearsToNextSeason(flow: { nodes?: Json }, now: number): number {
  const dates = datesOf(flow.nodes ?? []);
  const earliest = Math.min(...dates.map((d) => Date.parse(d)).filter((t) => !Number.isNaN(t)));
  if (!Number.isFinite(earliest) || earliest >= now) return 0;
  const first = dates.find((d) => Date.parse(d) === earliest)!;
  let years = 1;
  while (Date.parse(addYears(first, years)) < now) years++;
  return years;
}

/** The template's flow with its dates moved to the next season at `now` (unchanged when none is past). */
export function moveTemplateDates<T extends { nodes?: Json; campaign?: Json }>(flow: T, now: number): T {
  const years = yearsToNextSeason(flow, now);
  if (years === 0) return flow;
  const moved = { ...flow, nodes: shift(flow.nodes, years) } as T;
  if (typeof flow.campaign === 'string') {
    const m = /^(.*\D)(\d{4})$/.exec(flow.campaign);
    if (m) (moved as { campaign?: Json }).campaign = `${m[1]}${Number(m[2]) + years}`;
  }
  return moved;
}
