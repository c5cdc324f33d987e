import { describe, expect, it } from '@jest/globals';
import { conflictWords } from '../../designer/src/model/conflict-words.js';

/**
 * The draft conflict banner (a save refused with 409): it said 被别人 / named the saver as another
 * person also when the saver was the signed-in marketer in another tab (the walkthrough).
 */
describe('the draft conflict banner says who changed the journey', () => {
  const at = Date.parse('2026-12-04T21:25:00+08:00');
  const tz = 'Asia/Shanghai';

  it('says "you, in another tab or window of this browser" when the server says the same login session saved', () => {
    const w = conflictWords('zh', { author: 'li.na', updatedAt: at, by: 'this-session' }, 'li.na', tz);
    expect(w.text).toBe('你在这个浏览器的另一个标签页或窗口里改过这个旅程（2026/12/04 21:25 保存），覆盖了这里打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect(`${w.text} ${w.load} ${w.keep}`).not.toMatch(/别人|对方|li\.na/);
    expect(w.load).toBe('载入另一个标签页的版本（放弃这里的修改）');
    expect(conflictWords('en', { author: 'li.na', updatedAt: at, by: 'this-session' }, 'li.na', tz).text).toMatch(/^You changed this journey in another tab or window of this browser/);
  });

  it('tells the same account signed in on another computer or browser from another tab (it read 你在另一个标签页或窗口里改过)', () => {
    const w = conflictWords('zh', { author: 'li.na', updatedAt: at, by: 'your-other-session' }, 'li.na', tz);
    expect(w.text).toBe('你的账号 li.na 在另一台电脑或另一个浏览器里改过这个旅程（2026/12/04 21:25 保存），覆盖了这里打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect(`${w.text} ${w.load} ${w.keep}`).not.toMatch(/标签页|别人|对方/);
    expect([w.load, w.keep]).toEqual(['载入另一处的版本（放弃这里的修改）', '保留这里的版本（覆盖另一处的修改）']);
    // This very tab (a save whose answer was lost): not another tab.
    const mine = conflictWords('zh', { author: 'li.na', updatedAt: at, by: 'this-tab' }, 'li.na', tz);
    expect(mine.text).toBe('这个标签页在 2026/12/04 21:25 的一次保存已经存上，但没有收到回答。这里的修改还没有保存，自动保存已暂停。');
    expect(mine.load).toBe('载入已存的版本（放弃这里之后的修改）');
    // The same name where the server cannot tell (an older server, or a draft saved before it kept the session): no claim which.
    const unsure = conflictWords('zh', { author: 'li.na', updatedAt: at }, 'li.na', tz);
    expect(unsure.text).toBe('你（li.na）在别处（另一个标签页、窗口或另一台电脑）改过这个旅程（2026/12/04 21:25 保存），覆盖了这里打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect(conflictWords('zh', { author: 'li.na', updatedAt: at, by: 'you' }, 'li.na', tz).text).toBe(unsure.text);
    // The server's word wins over the names (signed-in name not known yet).
    expect(conflictWords('zh', { author: 'li.na', updatedAt: at, by: 'your-other-session' }, null, tz).text).toMatch(/^你的账号 li\.na 在另一台电脑/);
  });

  it('names another saver', () => {
    const w = conflictWords('zh', { author: 'wang.wei', updatedAt: at, by: 'someone-else' }, 'li.na', tz);
    expect(w.text).toBe('wang.wei 在 2026/12/04 21:25 保存了这个旅程的草稿，覆盖了你打开时的版本。这里的修改还没有保存，自动保存已暂停。');
    expect([w.load, w.keep]).toEqual(['载入 wang.wei 的版本（放弃我的修改）', '保留我的版本（覆盖 wang.wei 的修改）']);
    // Nobody signed in known (no session): the saver is named, never said to be "you".
    expect(conflictWords('zh', { author: 'li.na', updatedAt: at }, null, tz).text).toMatch(/^li\.na 在/);
  });

  it('a draft gone: who published or discarded it — you in another tab, someone named, or nobody named (not 被别人)', () => {
    const gone = { author: null, updatedAt: null };
    expect(conflictWords('zh', { ...gone, goneBy: { author: 'li.na', at } }, 'li.na', tz).text).toBe('你在另一个标签页、窗口或另一台电脑上发布或放弃了这个旅程的草稿（2026/12/04 21:25）。这里的修改还没有保存，自动保存已暂停。');
    expect(conflictWords('zh', { ...gone, goneBy: { author: 'wang.wei', at } }, 'li.na', tz).text).toBe('wang.wei 在 2026/12/04 21:25 发布或放弃了这个旅程的草稿。这里的修改还没有保存，自动保存已暂停。');
    const unknown = conflictWords('zh', gone, 'li.na', tz);
    expect(unknown.text).toBe('这个旅程的草稿已在别处发布或放弃。这里的修改还没有保存，自动保存已暂停。');
    expect(`${unknown.text} ${unknown.load} ${unknown.keep}`).not.toMatch(/别人|对方/);
  });
});
