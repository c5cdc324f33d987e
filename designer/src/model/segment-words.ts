/**
 * Segments (rules/segments/*.yaml) as a marketer reads them: by the Chinese title the file gives
 * (GET /api/segments `title`), the id only as secondary text. A segment without a title (an old
 * file, or one written by hand) shows by its id, as before.
 */
export interface SegmentInfo {
  name: string;
  title: string | null;
  description: string | null;
  /** The rule (GET /api/segments `conditions`): said in words under the picker (segment-rule-words.ts). */
  conditions?: unknown;
  /** The hash of its file's text (GET /api/segments `revision`): sent back with an edit, refused (409) when the file changed since. */
  revision?: string | null;
  /** Journeys running or paused that use it (GET /api/segments `liveJourneys`): an edit changes them from their next run. */
  liveJourneys?: LiveJourney[];
  /** Publish approval is on and live journeys use it (GET /api/segments `editNeedsAdmin`): only an admin may edit it in place. */
  editNeedsAdmin?: boolean;
}

/** A running or paused journey using a segment, and how: who enters (`entry`) or which way customers go (`branch`). */
export interface LiveJourney {
  flowId: string;
  name: string;
  status: 'active' | 'paused';
  uses: ('entry' | 'branch')[];
}

/** id → title, for the words on cards and in the journeys list. */
export type SegmentTitles = ReadonlyMap<string, string>;
export const NO_SEGMENT_TITLES: SegmentTitles = new Map();

export function segmentTitles(segments: readonly SegmentInfo[]): SegmentTitles {
  return new Map(segments.filter((s) => s.title?.trim()).map((s) => [s.name, s.title!.trim()]));
}

/** A segment in words: its title, else its id. */
export const segmentLabel = (id: unknown, titles: SegmentTitles = NO_SEGMENT_TITLES): string => titles.get(String(id ?? '')) ?? String(id ?? '');

/**
 * What a picker option says: the title ("高价值沉睡客户"); the id after it only when another of
 * `all` has the same title, so the two can be told apart; the bare id without a title. Every
 * option used to end in its id ("去年同季买过裙装（bought-dress-same-season-last-year）"), which
 * means nothing to a marketer; the id is in the option's tooltip (segmentOptionHint).
 */
export function segmentOptionText(s: SegmentInfo, all: readonly SegmentInfo[] = [s]): string {
  const title = s.title?.trim();
  if (!title) return s.name;
  const twin = all.some((o) => o.name !== s.name && o.title?.trim() === title);
  return twin ? `${title}（${s.name}）` : title;
}

/** The option's tooltip, for whoever needs the file: its description and id ("…\nrules/segments: sleeping-high-value"). */
export function segmentOptionHint(s: SegmentInfo): string {
  return [s.description?.trim(), `rules/segments: ${s.name}`].filter(Boolean).join('\n');
}

/**
 * The segments a search keeps: every word typed (split on spaces) must appear in the title, the
 * id or the description, case-insensitively, so "沉睡 高价值" and "sleeping" both find
 * sleeping-high-value. The selected segment always stays, so the select never loses its value.
 */
export function searchSegments(segments: readonly SegmentInfo[], query: string, keep?: string): SegmentInfo[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return [...segments];
  return segments.filter((s) => s.name === keep || words.every((w) => `${s.title ?? ''} ${s.name} ${s.description ?? ''}`.toLowerCase().includes(w)));
}
