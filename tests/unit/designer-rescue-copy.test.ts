import { describe, expect, it } from '@jest/globals';
import { agoOf, rescueKey, rescueOffer, rescueSlot, sameDrawing, type RescueCopy, type RescueStorage } from '../../designer/src/model/rescue-copy.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** localStorage's contract over a Map. */
function memoryStorage(): RescueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
const flow = (duration: string): DraftFlow => ({ id: 'f', name: 'F', nodes: [{ id: 'w', type: 'wait', duration }, { id: 'x', type: 'exit' }] });
const layout = { positions: { w: { x: 0, y: 0 }, x: { x: 0, y: 200 } } };
const copy = (duration: string, extra: Partial<RescueCopy> = {}): RescueCopy => ({ flow: flow(duration), layout, baseVersion: 1, revision: 3, keptAt: 1_000, ...extra });
const MIN = 60_000;

describe('the rescue copy of an unsaved drawing kept in the browser', () => {
  it('keeps one copy per account and flow, reads it back whole, and drops it', () => {
    const s = memoryStorage();
    const mine = rescueSlot(s, 'marketer', 'f');
    expect(mine.read()).toBeNull();
    expect(mine.keep(copy('3d'))).toBe(true);
    expect(mine.read()).toEqual(copy('3d'));
    // Another account in the same browser, or another flow, has its own (empty) slot.
    expect(rescueSlot(s, 'other', 'f').read()).toBeNull();
    expect(rescueSlot(s, 'marketer', 'g').read()).toBeNull();
    expect(rescueKey('a.b', 'c')).not.toBe(rescueKey('a', 'b.c'));
    expect(rescueKey('a:b', 'c')).not.toBe(rescueKey('a', 'b:c'));
    mine.keep(copy('4d', { keptAt: 2_000 }));
    expect(mine.read()?.flow).toEqual(flow('4d'));
    mine.drop();
    expect(mine.read()).toBeNull();
    expect(s.map.size).toBe(0);
  });

  it('says it could not keep the copy when the browser refuses storage, and reads nothing from a broken entry', () => {
    const full: RescueStorage = { getItem: () => null, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => { throw new Error('denied'); } };
    expect(rescueSlot(full, 'm', 'f').keep(copy('3d'))).toBe(false);
    expect(() => rescueSlot(full, 'm', 'f').drop()).not.toThrow();
    expect(rescueSlot(null, 'm', 'f').keep(copy('3d'))).toBe(false);
    const s = memoryStorage();
    for (const text of ['{not json', '"a string"', '{"flow":{"id":"f"},"layout":{"positions":{}},"keptAt":1}', JSON.stringify({ ...copy('3d'), keptAt: 'yesterday' })]) {
      s.setItem(rescueKey('m', 'f'), text);
      expect(rescueSlot(s, 'm', 'f').read()).toBeNull();
    }
  });

  it('compares drawings by content, not by the order of their keys', () => {
    const reordered = { nodes: flow('3d').nodes.map((n) => Object.fromEntries(Object.entries(n).reverse())), name: 'F', id: 'f' } as DraftFlow;
    expect(sameDrawing({ flow: flow('3d'), layout }, { flow: reordered, layout })).toBe(true);
    expect(sameDrawing({ flow: flow('3d'), layout }, { flow: flow('4d'), layout })).toBe(false);
    expect(sameDrawing({ flow: flow('3d'), layout }, { flow: flow('3d'), layout: { positions: { ...layout.positions, w: { x: 40, y: 0 } } } })).toBe(false);
  });

  it('offers a copy that differs from the server, saying how long ago and whether the server moved on; drops one the server already has', () => {
    const s = memoryStorage();
    const slot = rescueSlot(s, 'm', 'f');
    expect(rescueOffer(slot, { flow: flow('3d'), layout, revision: 3 }, 5_000)).toBeNull();
    slot.keep(copy('7d'));
    expect(rescueOffer(slot, { flow: flow('3d'), layout, revision: 3 }, 1_000 + 5 * MIN)).toEqual({ copy: copy('7d'), ago: { unit: 'minutes', n: 5 }, outdated: false });
    // Someone saved the draft after the copy's revision: restoring would overwrite that.
    expect(rescueOffer(slot, { flow: flow('3d'), layout, revision: 4 }, 1_000)?.outdated).toBe(true);
    // The keepalive save on closing the page got through after all: nothing to offer, nothing kept.
    expect(rescueOffer(slot, { flow: flow('7d'), layout, revision: 4 }, 1_000)).toBeNull();
    expect(slot.read()).toBeNull();
  });

  it('says how long ago in whole minutes, hours or days', () => {
    expect(agoOf(0, 59_999)).toEqual({ unit: 'now', n: 0 });
    expect(agoOf(10_000, 0)).toEqual({ unit: 'now', n: 0 }); // a clock set back says "just now"
    expect(agoOf(0, 59 * MIN)).toEqual({ unit: 'minutes', n: 59 });
    expect(agoOf(0, 150 * MIN)).toEqual({ unit: 'hours', n: 2 });
    expect(agoOf(0, 3 * 24 * 60 * MIN)).toEqual({ unit: 'days', n: 3 });
  });
});
