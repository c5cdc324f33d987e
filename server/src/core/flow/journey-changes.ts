/**
 * What changed between a flow's live version and a drawing of it (a draft, a file), node by node:
 * the one comparison behind the designer's 对比线上版本, its 有未发布的修改 badge, which cards the
 * live numbers may be shown on, and the journeys home's "unpublished changes". Pure and free of
 * imports: the designer compiles it too (designer/src/model/diff.ts), so the editor, the diff and
 * the server can never disagree about whether a draft differs (the editor said 有未发布的修改 after
 * every edit was undone, while 对比线上版本 found no difference — walkthrough).
 *
 * Content only: the positions of the cards are not part of a version (versions keep the flow), so
 * a drawing whose cards were only moved is the live journey.
 */
export interface NodeChanges {
  added: string[];
  removed: string[];
  changed: string[];
  /** Flow settings (name, caps, exitOn…) differ. */
  settings: boolean;
}

/** A flow as far as this comparison reads it: its steps by id, everything else its settings. */
export interface JourneyShape {
  nodes: readonly { id: string }[];
}

/** JSON with every object's keys sorted: two flows equal but for key order read the same. */
const canon = (v: unknown): string => JSON.stringify(v, (_k, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => a.localeCompare(b))) : x));

export function nodeChanges(live: JourneyShape, draft: JourneyShape): NodeChanges {
  const before = new Map(live.nodes.map((n) => [n.id, n]));
  const after = new Map(draft.nodes.map((n) => [n.id, n]));
  const { nodes: _a, ...liveSettings } = live;
  const { nodes: _b, ...draftSettings } = draft;
  return {
    added: draft.nodes.filter((n) => !before.has(n.id)).map((n) => n.id),
    removed: live.nodes.filter((n) => !after.has(n.id)).map((n) => n.id),
    changed: draft.nodes.filter((n) => before.has(n.id) && canon(before.get(n.id)) !== canon(n)).map((n) => n.id),
    settings: canon(liveSettings) !== canon(draftSettings),
  };
}

export const hasChanges = (c: NodeChanges): boolean => c.settings || c.added.length + c.removed.length + c.changed.length > 0;

/** A stored draft's flow (any JSON: drafts are kept whatever their problems) has steps to compare. */
function isJourney(v: unknown): v is JourneyShape {
  const nodes = (v as { nodes?: unknown } | null)?.nodes;
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray(nodes) && nodes.every((n) => typeof n === 'object' && n !== null && typeof (n as { id?: unknown }).id === 'string');
}

/** The drawing is the live version's journey: nothing of it is unpublished (a malformed drawing never is). */
export function sameJourney(live: JourneyShape, drawing: unknown): boolean {
  return isJourney(drawing) && !hasChanges(nodeChanges(live, drawing));
}
