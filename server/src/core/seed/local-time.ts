import { localDate } from '../facts/season.js';
import { MS_PER_DAY } from '../clock.js';

/**
 * Calendar arithmetic in the shop's time zone without an Intl call per order: the zone's UTC
 * offset is looked up once per UTC day and cached (a shop's history spans a few thousand days).
 * "Local ms" are epoch ms shifted by the offset, so local midnight is a multiple of a day.
 */
export class LocalTime {
  private readonly offsets = new Map<number, number>();
  private readonly formatter: Intl.DateTimeFormat;

  constructor(readonly timezone: string) {
    this.formatter = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** UTC offset of the zone at this instant, in ms. */
  offset(ms: number): number {
    const day = Math.floor(ms / MS_PER_DAY);
    let off = this.offsets.get(day);
    if (off === undefined) {
      const noon = day * MS_PER_DAY + MS_PER_DAY / 2;
      const p = Object.fromEntries(this.formatter.formatToParts(new Date(noon)).map((x) => [x.type, x.value]));
      const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
      off = asUtc - noon;
      this.offsets.set(day, off);
    }
    return off;
  }

  toLocal(ms: number): number {
    return ms + this.offset(ms);
  }

  fromLocal(localMs: number): number {
    return localMs - this.offset(localMs - this.offset(localMs));
  }

  /** Instant of local midnight starting the given calendar day. */
  midnight(year: number, month: number, day: number): number {
    return this.fromLocal(Date.UTC(year, month - 1, day));
  }

  /** Calendar date of an instant (the exact Intl path, used rarely). */
  date(ms: number): { year: number; month: number; day: number } {
    return localDate(ms, this.timezone);
  }

  /** Month (1–12) and year of an instant via the cached offset. */
  monthOf(ms: number): { year: number; month: number } {
    const d = new Date(this.toLocal(ms));
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1 };
  }
}
