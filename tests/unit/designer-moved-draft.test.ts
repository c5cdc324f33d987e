import { describe, expect, it } from '@jest/globals';
import { carriedDraft, movedDraftWords } from '../../designer/src/model/moved-draft.js';

/** The other tab of a journey 确认发布 gave its real id (walk-mkt): where it went, in words. */
describe('a draft moved to another id at its first publish', () => {
  const moved = { flowId: 'order-created', author: 'li.na', at: Date.parse('2026-12-04T21:25:00+08:00'), version: 1 };

  it('says who published it when, the old and the new id, and that saving here would make a duplicate', () => {
    const w = movedDraftWords('zh', 'journey-20261204', moved, 'Asia/Shanghai');
    expect(w.text).toBe('li.na 在 2026/12/04 21:25 发布了这个旅程，旅程 ID 从「journey-20261204」改成了「order-created」（线上 v1）。这里的修改还没有保存，自动保存已暂停；不会再存到「journey-20261204」，那样会多出一个重复的旅程。');
    expect(w.open).toBe('打开「order-created」（放弃这里的修改）');
    expect(w.carry).toBe('把这里的修改带到「order-created」（存为它的草稿）');
    // Renamed but not published yet (the publish failed after the rename): no version said.
    expect(movedDraftWords('zh', 'journey-20261204', { ...moved, version: null }, 'Asia/Shanghai').text).toContain('改成了「order-created」。');
    expect(movedDraftWords('en', 'journey-20261204', moved, 'Asia/Shanghai').text).toMatch(/^li\.na published this journey at .* its id changed from "journey-20261204" to "order-created" \(live v1\)\./);
  });

  it('carries the drawing over under the new id, steps unchanged', () => {
    const flow = { id: 'journey-20261204', name: '两个标签页', nodes: [{ id: 'start', type: 'entry' as const, label: 'B 的修改' }] };
    expect(carriedDraft(flow, moved)).toEqual({ ...flow, id: 'order-created' });
  });
});
