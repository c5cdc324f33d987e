import { describe, expect, it } from '@jest/globals';
import { checkedListTitle, listTitleIn, ListTitleError, withListTitle } from '../../server/src/core/policy/list-title.js';

describe("a block list's title, the `# title:` line at the top of its file", () => {
  it('is read from the comments at the top, not from a comment after the first id; a list without one has none', () => {
    expect(listTitleIn('# title: 差评顾客\nc1\n')).toBe('差评顾客');
    expect(listTitleIn('\uFEFF# from the export\n\n#title:差评顾客  \r\nc1\r\n')).toBe('差评顾客');
    expect(listTitleIn('c1\n# title: 差评顾客\n')).toBeNull();
    expect(listTitleIn('# Customers who asked never to receive marketing\nc1\n')).toBeNull();
    expect(listTitleIn('# title:\nc1\n')).toBeNull();
    expect(listTitleIn('')).toBeNull();
  });

  it('is written first, replacing the one the file had, the other comments and the ids unchanged', () => {
    expect(withListTitle('c1\nc2\n', '差评顾客')).toBe('# title: 差评顾客\nc1\nc2\n');
    expect(withListTitle('# from the export\n# title: 旧名字\nc1\n', '差评顾客')).toBe('# title: 差评顾客\n# from the export\nc1\n');
    expect(withListTitle('# title: 旧名字\nc1\n', null)).toBe('c1\n');
    // A "# title:" after the first id is a comment among the ids, left where it is.
    expect(withListTitle('c1\n# title: x\n', '差评顾客')).toBe('# title: 差评顾客\nc1\n# title: x\n');
    expect(listTitleIn(withListTitle('', '差评顾客'))).toBe('差评顾客');
  });

  it('is one line of 1 to 60 characters, trimmed; anything else is refused saying why', () => {
    expect(checkedListTitle('  差评顾客 ')).toBe('差评顾客');
    expect(checkedListTitle('差'.repeat(60))).toBe('差'.repeat(60));
    expect(checkedListTitle('😀'.repeat(60))).toHaveLength(120); // characters, not UTF-16 units
    for (const [bad, why] of [['', /must not be empty/], [' \t ', /must not be empty/], ['差'.repeat(61), /at most 60 characters \(got 61\)/], ['差评\n顾客', /one line/], [7, /expected text/]] as const) {
      expect(() => checkedListTitle(bad)).toThrow(ListTitleError);
      expect(() => checkedListTitle(bad)).toThrow(why);
    }
  });
});
