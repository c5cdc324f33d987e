import { describe, expect, it } from '@jest/globals';
import { conflictWords } from '../../designer/src/model/conflict-words.js';

/**
 * The draft conflict banner (a save refused with 409): it said 被别人 / named the saver as another
 * person also when the saver was the signed-in marketer in another tab (the walkthrough).
 */
describe('the draft conflict banner says who changed the journey', () => {
  const at = Date.parse('2026-12-04T21:25:00+08:00');
  const tz = 'Asia/Shanghai';

  it('says "you, in another tab or window" when the saver is the signed-in marketer', () => {
    const w = conflictWords('zh', { author: 'li.na', updatedAt: at }, 'li.na', tz);
    expect(w.text).toBe('你在另一个标签页或窗口里改过这个旅程（2026/12/04 21:25 保存），覆盖了这里打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect(`${w.text} ${w.load} ${w.keep}`).not.toMatch(/别人|对方|li\.na/);
    expect(w.load).toBe('载入另一个标签页的版本（放弃这里的修改）');
    expect(conflictWords('en', { author: 'li.na', updatedAt: at }, 'li.na', tz).text).toMatch(/^You changed this journey in another tab or window/);
  });

  it('names another saver', () => {
    const w = conflictWords('zh', { author: 'wang.wei', updatedAt: at }, 'li.na', tz);
    expect(w.text).toBe('wang.wei 在 2026/12/04 21:25 保存了这个旅程的草稿，覆盖了你打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect([w.load, w.keep]).toEqual(['载入 wang.wei 的版本（放弃我的修改）', '保留我的版本（覆盖 wang.wei 的修改）']);
    // Nobody signed in known (no session): the saver is named, never said to be "you".
    expect(conflictWords('zh', { author: 'li.na', updatedAt: at }, null, tz).text).toMatch(/^li\.na 在/);
  });

  it('a draft gone: who published or discarded it — you in another tab, someone named, or nobody named (not 被别人)', () => {
    const gone = { author: null, updatedAt: null };
    expect(conflictWords('zh', { ...gone, goneBy: { author: 'li.na', at } }, 'li.na', tz).text).toBe('你在另一个标签页或窗口里发布或放弃了这个旅程的草稿（2026/12/04 21:25）。这里的修改还没有保存，自动保存已暂停。');
    expect(conflictWords('zh', { ...gone, goneBy: { author: 'wang.wei', at } }, 'li.na', tz).text).toBe('wang.wei 在 2026/12/04 21:25 发布或放弃了这个旅程的草稿。这里的修改还没有保存，自动保存已暂停。');
    const unknown = conflictWords('zh', gone, 'li.na', tz);
    expect(unknown.text).toBe('这个旅程的草稿已在别处发布或放弃。这里的修改还没有保存，自动保存已暂停。');
    expect(`${unknown.text} ${unknown.load} ${unknown.keep}`).not.toMatch(/别人|对方/);
  });
});
