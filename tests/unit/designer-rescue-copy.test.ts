import { describe, expect, it } from '@jest/globals';
import { agoOf, rescueKey, rescueOffer, rescueSlot, sameDrawing, type RescueCopy, type RescueStorage } from '../../designer/src/model/rescue-copy.js';
import { rescueWords } from '../../designer/src/model/rescue-words.js';
import type { DraftFlow } from '../../designer/src/model/types.js';

/** localStorage's contract over a Map. */
function memoryStorage(): RescueStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}
const flow = (duration: string): DraftFlow => ({ id: 'f', name: 'F', nodes: [{ id: 'w', type: 'wait', duration }, { id: 'x', type: 'exit' }] });
const layout = { positions: { w: { x: 0, y: 0 }, x: { x: 0, y: 200 } } };
const copy = (duration: string, extra: Partial<RescueCopy> = {}): RescueCopy => ({ flow: flow(duration), layout, baseVersion: 1, revision: 3, draftAt: 900, keptAt: 1_000, ...extra });
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
    const server = { flow: flow('3d'), layout, version: 1, revision: 3, draftAt: 900 };
    expect(rescueOffer(slot, server, 5_000)).toBeNull();
    slot.keep(copy('7d'));
    expect(rescueOffer(slot, server, 1_000 + 5 * MIN)).toEqual({ copy: copy('7d'), ago: { unit: 'minutes', n: 5 }, outdated: null, showing: { draft: true, version: 1 } });
    // Someone saved the draft after the copy's revision: restoring would overwrite that.
    expect(rescueOffer(slot, { ...server, revision: 4, draftAt: 950 }, 1_000)?.outdated).toEqual({ kind: 'draft' });
    // The keepalive save on closing the page got through after all: nothing to offer, nothing kept.
    expect(rescueOffer(slot, { ...server, flow: flow('7d'), revision: 4 }, 1_000)).toBeNull();
    expect(slot.read()).toBeNull();
  });

  it('says how long ago in whole minutes, hours or days', () => {
    expect(agoOf(0, 59_999)).toEqual({ unit: 'now', n: 0 });
    expect(agoOf(10_000, 0)).toEqual({ unit: 'now', n: 0 }); // a clock set back says "just now"
    expect(agoOf(0, 59 * MIN)).toEqual({ unit: 'minutes', n: 59 });
    expect(agoOf(0, 150 * MIN)).toEqual({ unit: 'hours', n: 2 });
    expect(agoOf(0, 3 * 24 * 60 * MIN)).toEqual({ unit: 'days', n: 3 });
  });

  it('says a copy made on another live version is outdated: someone published v2 since, and restoring takes their change back', () => {
    // No draft on v1; the marketer's saves failed and they went Back; someone else published v2 (no draft either).
    const s = memoryStorage();
    const slot = rescueSlot(s, 'm', 'f');
    slot.keep(copy('7d', { baseVersion: 1, revision: null, draftAt: null }));
    const v2 = { flow: flow('5d'), layout, version: 2, revision: null, draftAt: null };
    const offer = rescueOffer(slot, v2, 1_000)!;
    expect(offer.outdated).toEqual({ kind: 'published', from: 1, to: 2 });
    expect(offer.showing).toEqual({ draft: false, version: 2 });
    const words = rescueWords('zh', offer, '刚才');
    expect(words.offer).toBe('这个浏览器里保留着刚才没能保存到服务器的修改（只在这台电脑上）。画布上现在是线上 v2，不是这些修改。这个旅程在那之后已经发布了新版本（v2），恢复会覆盖那些改动：这些修改是在 v1 上做的。');
    expect(words.restored).toBe('已恢复这个浏览器里的修改（在 v1 上做的），它替换了线上 v2 的内容：发布前请点「对比线上版本」检查，不要时按 Ctrl+Z 撤销');
    // A copy made before the journey was first published says so too.
    slot.keep(copy('7d', { baseVersion: null, revision: 2, draftAt: 900 }));
    const first = rescueOffer(slot, { ...v2, version: 1 }, 1_000)!;
    expect(first.outdated).toEqual({ kind: 'published', from: null, to: 1 });
    expect(rescueWords('zh', first, '刚才').offer).toContain('这个旅程在那之后已经发布了新版本（v1），恢复会覆盖那些改动：这些修改是在发布之前做的。');
    // Someone published v2 and started a new draft on it: published, not "the draft changed".
    slot.keep(copy('7d', { baseVersion: 1, revision: 1, draftAt: 900 }));
    expect(rescueOffer(slot, { ...v2, revision: 1, draftAt: 5_000 }, 1_000)!.outdated).toEqual({ kind: 'published', from: 1, to: 2 });
  });

  it('says a copy is outdated when its draft was replaced by another with the same revision number (revisions restart at 1)', () => {
    const s = memoryStorage();
    const slot = rescueSlot(s, 'm', 'f');
    slot.keep(copy('7d', { revision: 1, draftAt: 900 }));
    const server = { flow: flow('3d'), layout, version: 1, revision: 1, draftAt: 900 };
    expect(rescueOffer(slot, server, 1_000)!.outdated).toBeNull();
    // The draft was discarded and someone saved a new one: revision 1 again, saved at another time.
    expect(rescueOffer(slot, { ...server, draftAt: 4_000 }, 1_000)!.outdated).toEqual({ kind: 'draft' });
    // The draft was discarded: nothing on the server but the live version.
    expect(rescueOffer(slot, { ...server, revision: null, draftAt: null }, 1_000)!.outdated).toEqual({ kind: 'draft' });
    expect(rescueWords('zh', rescueOffer(slot, { ...server, draftAt: 4_000 }, 1_000)!, '刚才').offer).toBe('这个浏览器里保留着刚才没能保存到服务器的修改（只在这台电脑上）。画布上现在是服务器上保存的草稿，不是这些修改。服务器上的草稿在那之后又有改动，恢复会覆盖那些改动。');
    // A copy kept before the draft's time was stored is judged by its revision alone.
    s.setItem(rescueKey('m', 'f'), JSON.stringify({ ...copy('7d', { revision: 1 }), draftAt: undefined }));
    expect(slot.read()?.draftAt).toBeNull();
    expect(rescueOffer(slot, { ...server, draftAt: 4_000 }, 1_000)!.outdated).toBeNull();
  });

  it('tells the marketer what stays on the canvas when the copy is dropped', () => {
    const s = memoryStorage();
    const slot = rescueSlot(s, 'm', 'f');
    slot.keep(copy('7d'));
    const server = { flow: flow('3d'), layout, version: 1, revision: 3, draftAt: 900 };
    const words = rescueWords('zh', rescueOffer(slot, server, 1_000)!, '刚才');
    expect(words.restored).toBe('已恢复这个浏览器里的修改，会自动保存为草稿（按 Ctrl+Z 可撤销）');
    expect(words.dropped).toBe('已丢弃这个浏览器里的修改，画布上是服务器上保存的草稿');
    expect(rescueWords('zh', rescueOffer(slot, { ...server, revision: null, draftAt: null, version: null }, 1_000)!, '刚才').dropped).toBe('已丢弃这个浏览器里的修改，画布上是服务器上的旅程');
  });
});
