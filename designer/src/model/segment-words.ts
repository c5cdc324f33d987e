/**
 * Segments (rules/segments/*.yaml) as a marketer reads them: by the Chinese title the file gives
 * (GET /api/segments `title`), the id only as secondary text. A segment without a title (an old
 * file, or one written by hand) shows by its id, as before.
 */
export interface SegmentInfo {
  name: string;
  title: string | null;
  description: string | null;
}

/** id → title, for the words on cards and in the journeys list. */
export type SegmentTitles = ReadonlyMap<string, string>;
export const NO_SEGMENT_TITLES: SegmentTitles = new Map();

export function segmentTitles(segments: readonly SegmentInfo[]): SegmentTitles {
  return new Map(segments.filter((s) => s.title?.trim()).map((s) => [s.name, s.title!.trim()]));
}

/** A segment in words: its title, else its id. */
export const segmentLabel = (id: unknown, titles: SegmentTitles = NO_SEGMENT_TITLES): string => titles.get(String(id ?? '')) ?? String(id ?? '');

/** What a picker option says: "高价值沉睡客户（sleeping-high-value）", or the bare id without a title. */
export function segmentOptionText(s: SegmentInfo): string {
  return s.title?.trim() ? `${s.title.trim()}（${s.name}）` : s.name;
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
