import type { History } from './history.js';
import { layoutOf } from './layout.js';
import { sameDrawing, type RescueStorage } from './rescue-copy.js';
import { storedJson } from './stored-json.js';
import type { DraftFlow, Position } from './types.js';

/**
 * The editor's undo/redo steps kept in the browser's sessionStorage, so a reload of the page (or a
 * tab the browser restarts) can still 撤销 what was done before it; autosave already keeps the
 * drawing itself as the server's draft. One entry per account and journey; the tab's session only.
 *
 * Only the steps are trusted from storage, never the drawing: on opening, the kept steps are taken
 * back only when the drawing they were kept with is the very drawing the server returned (the same
 * draft). A draft saved since from another tab or device is another drawing: its steps here are
 * dropped, so an undo can never put an older drawing over it.
 *
 * Bounded: the nearest `steps` on each side and at most `chars` characters of JSON (sessionStorage
 * holds a few MB for the whole site; a huge journey's fifty whole drawings must not fill it).
 * Storage that is full first gives up other journeys' steps; storage that still refuses (full,
 * disabled) never breaks editing: the steps are then in memory only.
 * Pure: the storage is given, so it is tested without a browser.
 */

/** What a step is (useDrawing's Drawing): the journey and where its boxes are. */
export interface KeptDrawing {
  flow: DraftFlow;
  positions: Record<string, Position>;
}

export interface KeptLimits {
  /** Steps kept each way (undo and redo). */
  steps: number;
  /** The stored entry's size at most, in characters of JSON. */
  chars: number;
}
export const KEPT_LIMITS: KeptLimits = { steps: 50, chars: 1_000_000 };

interface Stored {
  v: 1;
  past: KeptDrawing[];
  present: KeptDrawing;
  future: KeptDrawing[];
}

export interface HistorySlot {
  /**
   * The kept steps around `server` (the drawing the server returned on opening), or null: none kept,
   * unreadable, or kept with another drawing (then they are dropped).
   */
  restore(server: KeptDrawing): History<KeptDrawing> | null;
  /** Keeps the steps (bounded); false when the browser would not (nothing is then kept at all). */
  keep(h: History<KeptDrawing>): boolean;
  drop(): void;
}

/** ":" is encoded in both parts, so no account and journey pair shares another pair's key. */
export const historyKey = (user: string, flowId: string) => `rekindle.undo:${encodeURIComponent(user)}:${encodeURIComponent(flowId)}`;
const PREFIX = 'rekindle.undo:';

/** sessionStorage's contract as used here: the rescue copy's, and the keys it holds (to make room). */
export interface HistoryStorage extends RescueStorage {
  readonly length?: number;
  key?(index: number): string | null;
}

/**
 * Takes out the kept steps of every other journey: the storage is full, and the journey being
 * edited now matters more than one edited earlier in this tab.
 */
function makeRoom(storage: HistoryStorage, keep: string): boolean {
  if (typeof storage.key !== 'function' || typeof storage.length !== 'number') return false;
  const others: string[] = [];
  for (let i = 0; i < storage.length; i++) {
    const k = storage.key(i);
    if (k && k.startsWith(PREFIX) && k !== keep) others.push(k);
  }
  for (const k of others) storage.removeItem(k);
  return others.length > 0;
}

/**
 * The steps nearest the present that fit: at most `steps` each way, then while the JSON is longer
 * than `chars` the farthest step of the longer side goes (of a redo
 * step and an undo step as far, the redo). null: the drawing alone does not fit.
 */
export function boundedHistory(h: History<KeptDrawing>, limits: KeptLimits = KEPT_LIMITS): Stored | null {
  const past = h.past.slice(-limits.steps);
  const future = h.future.slice(0, limits.steps);
  const size = (d: KeptDrawing) => JSON.stringify(d).length + 1;
  const presentSize = size(h.present);
  const pastSizes = past.map(size);
  const futureSizes = future.map(size);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // The wrapper's own characters ({"v":1,"past":[],...}) are few; 64 covers them.
  let total = 64 + presentSize + sum(pastSizes) + sum(futureSizes);
  if (64 + presentSize > limits.chars) return null;
  while (total > limits.chars) {
    if (futureSizes.length >= pastSizes.length) {
      future.pop();
      total -= futureSizes.pop() ?? 0;
    } else {
      past.shift();
      total -= pastSizes.shift() ?? 0;
    }
  }
  return { v: 1, past, present: h.present, future };
}

export function historySlot(storage: HistoryStorage | null, user: string, flowId: string, limits: KeptLimits = KEPT_LIMITS): HistorySlot {
  const key = historyKey(user, flowId);
  const drop = () => {
    try {
      storage?.removeItem(key);
    } catch {
      // nothing kept, nothing to drop
    }
  };
  return {
    restore(server) {
      let kept: Stored | null;
      try {
        kept = parseStored(storage?.getItem(key) ?? null);
      } catch {
        return null;
      }
      if (!kept) return null;
      const drawingOf = (d: KeptDrawing) => ({ flow: d.flow, layout: layoutOf(d.flow, d.positions) });
      if (!sameDrawing(drawingOf(kept.present), drawingOf(server))) {
        drop();
        return null;
      }
      // The present is the server's own drawing, not the kept one (they are the same drawing).
      return { past: kept.past, present: server, future: kept.future };
    },
    keep(h) {
      if (!storage) return false;
      const bounded = boundedHistory(h, limits);
      if (!bounded) {
        drop(); // a copy kept earlier would no longer be the drawing's steps
        return false;
      }
      const text = JSON.stringify(bounded);
      try {
        storage.setItem(key, text);
        return true;
      } catch {
        // Full: room is made by dropping other journeys' steps, then tried once more.
        try {
          if (makeRoom(storage, key)) {
            storage.setItem(key, text);
            return true;
          }
        } catch {
          // still full, or the storage refuses altogether
        }
        drop(); // an older entry left in place would be steps of an older drawing
        return false;
      }
    },
    drop,
  };
}

const isDrawing = (d: unknown): d is KeptDrawing => {
  const x = d as Partial<KeptDrawing> | null;
  return !!x && typeof x === 'object' && !!x.flow && typeof x.flow === 'object' && Array.isArray(x.flow.nodes) && !!x.positions && typeof x.positions === 'object';
};

/** A stored entry, or null when there is none or it is not one (written by hand, another shape). */
function parseStored(text: string | null): Stored | null {
  const s = storedJson(text) as Partial<Stored> | null;
  if (!s || typeof s !== 'object' || s.v !== 1 || !isDrawing(s.present)) return null;
  if (!Array.isArray(s.past) || !Array.isArray(s.future) || !s.past.every(isDrawing) || !s.future.every(isDrawing)) return null;
  return { v: 1, past: s.past, present: s.present, future: s.future };
}
