/**
 * Seasons in the shop's time zone. Clothing shops plan by season (seed 004: summer wear is
 * launched south to north), so "bought last season" is a fact marketers use.
 * Winter of year Y runs from December Y to February Y+1 and is keyed "Y-winter".
 */
export type Season = 'spring' | 'summer' | 'autumn' | 'winter';
const ORDER: Season[] = ['spring', 'summer', 'autumn', 'winter'];

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timezone: string): Intl.DateTimeFormat {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formatters.set(timezone, f);
  }
  return f;
}

const HOUR = 3_600_000;
const UTC_DAY = 86_400_000;
/** UTC offsets by time zone and hour: Intl is slow, and offsets only change on the hour (DST). */
const offsets = new Map<string, Map<number, number>>();
/**
 * The offset of a whole UTC day, by time zone and day, when its first and last hours have the same
 * one (no transition that day: nearly every day); NaN for a day with a transition, whose hours are
 * looked up one by one. Why: an import's orders fall on ~700 days but ~17,000 hours, and each hour
 * missing from the cache costs an `Intl` call (formatToParts, tens of µs): at 300,000 orders that was
 * several per cent of the parser thread. Two calls a day instead of up to 24.
 */
const dayOffsets = new Map<string, Map<number, number>>();

/** Offset of `timezone` from UTC at the start of a UTC hour, in ms (cached). */
function hourOffset(hour: number, timezone: string): number {
  let byHour = offsets.get(timezone);
  if (!byHour) offsets.set(timezone, (byHour = new Map()));
  let off = byHour.get(hour);
  if (off === undefined) {
    const at = hour * HOUR;
    const p = Object.fromEntries(formatter(timezone).formatToParts(new Date(at)).map((x) => [x.type, x.value]));
    off = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute)) - at;
    if (byHour.size > 200_000) byHour.clear(); // bounded: a long-running server never grows without limit
    byHour.set(hour, off);
  }
  return off;
}

/** Offset of `timezone` from UTC at an instant, in ms (cached per UTC day, or per hour on a day with a transition). */
export function offsetAt(ms: number, timezone: string): number {
  let byDay = dayOffsets.get(timezone);
  if (!byDay) dayOffsets.set(timezone, (byDay = new Map()));
  const day = Math.floor(ms / UTC_DAY);
  let off = byDay.get(day);
  if (off === undefined) {
    const first = hourOffset(day * 24, timezone);
    off = first === hourOffset(day * 24 + 23, timezone) ? first : Number.NaN;
    if (byDay.size > 100_000) byDay.clear(); // bounded, as the hours' cache
    byDay.set(day, off);
  }
  return Number.isNaN(off) ? hourOffset(Math.floor(ms / HOUR), timezone) : off;
}

/** Calendar date (year, month 1-12, day) of an instant in a time zone. */
export function localDate(ms: number, timezone: string): { year: number; month: number; day: number } {
  const d = new Date(ms + offsetAt(ms, timezone));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function seasonOfMonth(month: number): Season {
  if (month >= 3 && month <= 5) return 'spring';
  if (month >= 6 && month <= 8) return 'summer';
  if (month >= 9 && month <= 11) return 'autumn';
  return 'winter';
}

export interface SeasonKey {
  year: number;
  season: Season;
}

export function seasonKeyOf(ms: number, timezone: string): SeasonKey {
  const { year, month } = localDate(ms, timezone);
  const season = seasonOfMonth(month);
  return { year: season === 'winter' && month <= 2 ? year - 1 : year, season };
}

export function formatSeasonKey(k: SeasonKey): string {
  return `${k.year}-${k.season}`;
}

export function previousSeason(k: SeasonKey): SeasonKey {
  const i = ORDER.indexOf(k.season);
  return i === 0 ? { year: k.year - 1, season: 'winter' } : { year: k.year, season: ORDER[i - 1] };
}

export function sameSeasonLastYear(k: SeasonKey): SeasonKey {
  return { year: k.year - 1, season: k.season };
}

/** True if the instant falls on 11 November in the shop's time zone. */
export function isDouble11Day(ms: number, timezone: string): boolean {
  const d = localDate(ms, timezone);
  return d.month === 11 && d.day === 11;
}

/** What the facts need of an order's local calendar day (see dayFacts). */
export interface DayFacts {
  /** formatSeasonKey(seasonKeyOf(ms)) */
  seasonKey: string;
  /** The local year, as text (the Double 11 years set). */
  year: string;
  /** isDouble11Day(ms) */
  double11: boolean;
}

const DAY = 86_400_000;
const days = new Map<string, Map<number, DayFacts>>();

/**
 * The season key, year and Double 11 flag of an instant's local day, cached per time zone and
 * local day: a bulk import adds a million orders to facts, and building a Date, a season key
 * object and its text per order was a visible share of it (orders fall on a few hundred days).
 */
export function dayFacts(ms: number, timezone: string): DayFacts {
  let byDay = days.get(timezone);
  if (!byDay) days.set(timezone, (byDay = new Map()));
  const day = Math.floor((ms + offsetAt(ms, timezone)) / DAY);
  let f = byDay.get(day);
  if (f === undefined) {
    const d = localDate(ms, timezone);
    f = { seasonKey: formatSeasonKey(seasonKeyOf(ms, timezone)), year: String(d.year), double11: d.month === 11 && d.day === 11 };
    if (byDay.size > 100_000) byDay.clear(); // bounded, as offsetAt's cache
    byDay.set(day, f);
  }
  return f;
}
