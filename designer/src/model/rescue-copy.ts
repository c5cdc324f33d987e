import { storedJson } from './stored-json.js';
import type { DraftFlow, Layout } from './types.js';

/**
 * The rescue copy: a drawing the server has not confirmed, kept in the browser (localStorage) so
 * an edit made while the server could not be reached outlives the editor, the tab and a reload.
 * One copy per account and flow (two people sharing a browser never see each other's). Written
 * when a save fails or the editor or page closes with unsaved changes; dropped once the server
 * confirms that drawing, on publish and discard, and when the marketer says to drop it. Pure:
 * the storage is given, so it is tested without a browser.
 */
export interface RescueCopy {
  flow: DraftFlow;
  layout: Layout;
  /** The live version and the draft revision the drawing was made on (what the server had then). */
  baseVersion: number | null;
  revision: number | null;
  /**
   * When the server saved that revision of the draft (its updatedAt; null: no draft, or a copy kept
   * before this was stored). Revisions start again at 1 when a draft is published or discarded and
   * made anew, so the revision alone does not tell the draft the copy was made on from a later one.
   */
  draftAt: number | null;
  /** When it was kept (ms). */
  keptAt: number;
}

/** The part of the Web Storage API used (localStorage in the designer, a Map in tests). */
export interface RescueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** One account's copy of one flow. */
export interface RescueSlot {
  read(): RescueCopy | null;
  /** false: the browser would not keep it (storage full or disabled); the caller must not claim it is kept. */
  keep(copy: RescueCopy): boolean;
  drop(): void;
}

/** ":" is encoded in both parts, so no account and flow pair shares another pair's key. */
export const rescueKey = (user: string, flowId: string) => `rekindle.rescue:${encodeURIComponent(user)}:${encodeURIComponent(flowId)}`;

export function rescueSlot(storage: RescueStorage | null, user: string, flowId: string): RescueSlot {
  const key = rescueKey(user, flowId);
  // Storage can throw on every call (disabled by the browser's privacy settings, full): the editor
  // goes on without a rescue copy rather than failing to open or to save.
  return {
    read() {
      try {
        return parseCopy(storage?.getItem(key) ?? null);
      } catch {
        return null;
      }
    },
    keep(copy) {
      try {
        if (!storage) return false;
        storage.setItem(key, JSON.stringify(copy));
        return true;
      } catch {
        return false;
      }
    },
    drop() {
      try {
        storage?.removeItem(key);
      } catch {
        // nothing kept, nothing to drop
      }
    },
  };
}

/** A stored copy, or null when there is none or it is not one (written by hand, an older shape). */
function parseCopy(text: string | null): RescueCopy | null {
  const c = storedJson(text) as Partial<RescueCopy> | null;
  if (!c || typeof c !== 'object' || !c.flow || !Array.isArray(c.flow.nodes) || typeof c.flow.id !== 'string') return null;
  if (!c.layout || typeof c.layout.positions !== 'object' || typeof c.keptAt !== 'number') return null;
  return { flow: c.flow, layout: c.layout, baseVersion: c.baseVersion ?? null, revision: c.revision ?? null, draftAt: typeof c.draftAt === 'number' ? c.draftAt : null, keptAt: c.keptAt };
}

/** JSON with object keys sorted: the server may give a flow back with its keys in another order. */
export function sameDrawing(a: { flow: DraftFlow; layout: Layout }, b: { flow: DraftFlow; layout: Layout }): boolean {
  return canonical({ flow: a.flow, layout: a.layout }) === canonical({ flow: b.flow, layout: b.layout });
}
function canonical(v: unknown): string {
  return JSON.stringify(v, (_, x: unknown) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([p], [q]) => (p < q ? -1 : p > q ? 1 : 0))) : x));
}

/** How long ago, in the unit the banner says it in. */
export type Ago = { unit: 'now' | 'minutes' | 'hours' | 'days'; n: number };
export function agoOf(keptAt: number, now: number): Ago {
  const minutes = Math.floor(Math.max(0, now - keptAt) / 60_000);
  if (minutes < 1) return { unit: 'now', n: 0 };
  if (minutes < 60) return { unit: 'minutes', n: minutes };
  if (minutes < 24 * 60) return { unit: 'hours', n: Math.floor(minutes / 60) };
  return { unit: 'days', n: Math.floor(minutes / (24 * 60)) };
}

/**
 * How the server moved on since the copy was made, so restoring it overwrites someone's change:
 * `published`, the journey has another live version than the one the copy was made on (`from`,
 * null: not published then); `draft`, the server's draft was saved again, discarded or replaced.
 */
export type Outdated = { kind: 'published'; from: number | null; to: number } | { kind: 'draft' };

/** What the server has for the flow now, as the editor opened it. */
export interface ServerDrawing {
  flow: DraftFlow;
  layout: Layout;
  /** The live version (null: never published). */
  version: number | null;
  /** The draft's revision and updatedAt (both null: no draft; the canvas shows the live version or the file). */
  revision: number | null;
  draftAt: number | null;
}

/** What the editor offers on opening a flow: the copy, and whether the server moved on since it was made. */
export interface RescueOffer {
  copy: RescueCopy;
  ago: Ago;
  /** null: the server has what the copy was made on; restoring changes only what this browser changed. */
  outdated: Outdated | null;
  /** What the canvas shows until the marketer chooses: the server's draft, else the live version (null: neither). */
  showing: { draft: boolean; version: number | null };
}

export function outdatedOf(copy: RescueCopy, server: Omit<ServerDrawing, 'flow' | 'layout'>): Outdated | null {
  // Published since (by someone else: publishing here drops the copy): the copy holds the old
  // version's drawing, so restoring takes back whatever the new version changed.
  if (copy.baseVersion !== server.version) return server.version !== null ? { kind: 'published', from: copy.baseVersion, to: server.version } : { kind: 'draft' };
  if (copy.revision !== server.revision) return { kind: 'draft' };
  // The same revision number of another draft (the old one was published or discarded, a new one saved).
  if (copy.revision !== null && copy.draftAt !== null && copy.draftAt !== server.draftAt) return { kind: 'draft' };
  return null;
}

/**
 * The offer for a flow as the server has it now: null when there is no copy, or the copy is what
 * the server already has (the copy is then dropped: the keepalive save on closing the page, or a
 * save whose answer never arrived, got through after all).
 */
export function rescueOffer(slot: RescueSlot, server: ServerDrawing, now: number): RescueOffer | null {
  const copy = slot.read();
  if (!copy) return null;
  if (sameDrawing(copy, server)) {
    slot.drop();
    return null;
  }
  return { copy, ago: agoOf(copy.keptAt, now), outdated: outdatedOf(copy, server), showing: { draft: server.revision !== null, version: server.version } };
}
