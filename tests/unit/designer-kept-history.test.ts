import { describe, expect, it } from '@jest/globals';
import { record, start, type History } from '../../designer/src/model/history.js';
import { boundedHistory, historyKey, historySlot, type KeptDrawing } from '../../designer/src/model/kept-history.js';
import type { RescueStorage } from '../../designer/src/model/rescue-copy.js';

/** sessionStorage's contract over a Map. */
function memoryStorage(): RescueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
const drawing = (duration: string, x = 0): KeptDrawing => ({ flow: { id: 'f', name: 'F', nodes: [{ id: 'w', type: 'wait', duration }, { id: 'x', type: 'exit' }] }, positions: { w: { x, y: 0 }, x: { x: 0, y: 200 } } });
/** Three edits of the wait: 1d → 2d → 3d → 4d. */
const edited = (): History<KeptDrawing> => ['2d', '3d', '4d'].reduce((h, d) => record(h, drawing(d)), start(drawing('1d')));

describe('the undo steps of a journey kept in the browser for a reload', () => {
  it('gives the steps back around the drawing the server returned when it is the drawing they were kept with', () => {
    const s = memoryStorage();
    const slot = historySlot(s, 'marketer', 'f');
    expect(slot.restore(drawing('4d'))).toBeNull();
    expect(slot.keep(edited())).toBe(true);
    // The server gives the same drawing back with its keys in another order, its positions rounded.
    const server: KeptDrawing = { positions: { x: { x: 0, y: 200 }, w: { x: 0.2, y: 0 } }, flow: { nodes: drawing('4d').flow.nodes, name: 'F', id: 'f' } };
    const h = historySlot(s, 'marketer', 'f').restore(server);
    expect(h?.past.map((d) => d.flow.nodes[0])).toEqual(['1d', '2d', '3d'].map((duration) => ({ id: 'w', type: 'wait', duration })));
    expect(h?.present).toBe(server); // the server's drawing, never the kept one
    expect(h?.future).toEqual([]);
    expect(h?.group).toBeUndefined(); // the next typing is a step of its own
  });

  it('drops the steps when the server returned another drawing (a draft saved since from another tab or device)', () => {
    const s = memoryStorage();
    const slot = historySlot(s, 'marketer', 'f');
    slot.keep(edited());
    expect(slot.restore(drawing('9d'))).toBeNull();
    expect(s.map.size).toBe(0);
    // A box moved elsewhere is another drawing too.
    slot.keep(edited());
    expect(slot.restore(drawing('4d', 300))).toBeNull();
    expect(s.map.size).toBe(0);
  });

  it('keeps one entry per account and journey, and drops it', () => {
    const s = memoryStorage();
    historySlot(s, 'marketer', 'f').keep(edited());
    expect(historySlot(s, 'other', 'f').restore(drawing('4d'))).toBeNull();
    expect(historySlot(s, 'marketer', 'g').restore(drawing('4d'))).toBeNull();
    expect(historyKey('a:b', 'c')).not.toBe(historyKey('a', 'b:c'));
    historySlot(s, 'marketer', 'f').drop();
    expect(s.map.size).toBe(0);
  });

  it('keeps at most the nearest steps each way', () => {
    let h = start(drawing('0d'));
    for (let i = 1; i <= 70; i++) h = record(h, drawing(`${i}d`));
    const b = boundedHistory({ ...h, future: Array.from({ length: 60 }, (_, i) => drawing(`${100 + i}d`)) }, { steps: 50, chars: 10_000_000 });
    expect(b?.past.length).toBe(50);
    expect(b?.past[0].flow.nodes[0]).toMatchObject({ duration: '20d' });
    expect(b?.past[49].flow.nodes[0]).toMatchObject({ duration: '69d' });
    expect(b?.future.length).toBe(50);
    expect(b?.future[0].flow.nodes[0]).toMatchObject({ duration: '100d' });
  });

  it('keeps a huge journey within the size cap, its farthest steps going first, and nothing when the drawing alone is too big', () => {
    const one = JSON.stringify(drawing('1d')).length;
    const b = boundedHistory({ past: [drawing('1d'), drawing('2d'), drawing('3d')], present: drawing('4d'), future: [drawing('5d'), drawing('6d')] }, { steps: 50, chars: 64 + 4 * (one + 1) });
    expect(b?.past.map((d) => d.flow.nodes[0])).toMatchObject([{ duration: '2d' }, { duration: '3d' }]);
    expect(b?.future.map((d) => d.flow.nodes[0])).toMatchObject([{ duration: '5d' }]);
    expect(JSON.stringify(b).length).toBeLessThanOrEqual(64 + 4 * (one + 1));
    const s = memoryStorage();
    const slot = historySlot(s, 'm', 'f', { steps: 50, chars: one });
    historySlot(s, 'm', 'f').keep(edited()); // kept earlier, under the default cap
    expect(slot.keep(edited())).toBe(false);
    expect(s.map.size).toBe(0); // the earlier steps are not left behind as if they were these
  });

  it('goes on without kept steps when the browser refuses storage, and reads nothing from a broken entry', () => {
    const full: RescueStorage = { getItem: () => { throw new Error('SecurityError'); }, setItem: () => { throw new Error('QuotaExceededError'); }, removeItem: () => { throw new Error('denied'); } };
    expect(historySlot(full, 'm', 'f').keep(edited())).toBe(false);
    expect(historySlot(full, 'm', 'f').restore(drawing('4d'))).toBeNull();
    expect(() => historySlot(full, 'm', 'f').drop()).not.toThrow();
    expect(historySlot(null, 'm', 'f').keep(edited())).toBe(false);
    // Full: what was kept before is taken out, not left as the steps of an older drawing.
    const s = memoryStorage();
    historySlot(s, 'm', 'f').keep(edited());
    const quota: RescueStorage = { ...s, setItem: () => { throw new Error('QuotaExceededError'); } };
    expect(historySlot(quota, 'm', 'f').keep(record(edited(), drawing('5d')))).toBe(false);
    expect(s.map.size).toBe(0);
    for (const text of ['{not json', '"a string"', '{"v":1,"past":[],"future":[]}', JSON.stringify({ v: 1, past: [{ flow: {} }], present: drawing('4d'), future: [] }), JSON.stringify({ v: 2, past: [], present: drawing('4d'), future: [] })]) {
      s.setItem(historyKey('m', 'f'), text);
      expect(historySlot(s, 'm', 'f').restore(drawing('4d'))).toBeNull();
    }
  });

  it("makes room when the storage is full by dropping other journeys' steps, never the rescue copy or anything else", () => {
    const map = new Map<string, string>();
    // sessionStorage with room for 1,200 characters in all: one journey's steps and the rescue copy.
    const full = () => [...map.values()].reduce((n, v) => n + v.length, 0);
    const s = {
      get length() {
        return map.size;
      },
      key: (i: number) => [...map.keys()][i] ?? null,
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => {
        if (full() - (map.get(k)?.length ?? 0) + v.length > 1_200) throw new Error('QuotaExceededError');
        map.set(k, v);
      },
      removeItem: (k: string) => void map.delete(k),
    };
    map.set('rekindle.rescue:m:f', 'x'.repeat(100));
    expect(historySlot(s, 'm', 'g').keep(edited())).toBe(true);
    expect(historySlot(s, 'm', 'f').keep(edited())).toBe(true);
    expect([...map.keys()].sort()).toEqual(['rekindle.rescue:m:f', historyKey('m', 'f')]);
    expect(historySlot(s, 'm', 'f').restore(drawing('4d'))?.past).toHaveLength(3);
  });
});
