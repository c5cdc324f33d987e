/**
 * A rules file's YAML slip in the editor's words, on the line to change: a key indented one
 * step too far was "Nested mappings are not allowed in compact mappings" on the line above it.
 */
import { describe, expect, it } from '@jest/globals';
import { readYaml } from '../../server/src/core/flow/yaml-location.js';

const first = (text: string) => readYaml(text).syntaxErrors[0];

describe('a YAML slip said in words', () => {
  it('names the line indented too far, not the one above it', () => {
    expect(first('nodes:\n  - id: wait-2h\n    label: 等待 2 小时\n      duration: 2h\n    next: x\n')).toEqual({
      line: 4,
      message: 'this line is indented further than line 3 above it, which already has its value: keys of one level start in the same column',
    });
  });

  it('says a value with ": " in it needs quotes', () => {
    expect(first('label: 注意: 等待\n')).toEqual({ line: 1, message: 'a value holds ": " (as in "note: a: b"): put the value in quotes, e.g. note: "a: b"' });
  });

  it('says a tab, a key given twice, an open quote and an open [ list in words', () => {
    expect(first('a:\n\tb: 1\n')).toMatchObject({ line: 2, message: 'this line is indented with a tab: YAML indents with spaces only' });
    expect(first('id: x\nduration: 2h\nduration: 3h\n')).toEqual({ line: 3, message: '"duration" is given twice in the same place: keep one' });
    expect(first('label: "x\n')!.message).toBe('a quoted value is not closed: a " or \' has no partner before the end of the file');
    expect(first('events: [a, b\n')!.message).toMatch(/^a list in \[ \] is not closed with \]/);
  });

  it('names a full-width colon after a key and a full-width space in the indentation', () => {
    const flow = 'id: x\nnodes:\n  - id: wait-a\n    type: wait\n    duration：24h\n    next: y\n';
    expect(first(flow)).toEqual({ line: 5, message: '"duration：" has a full-width colon ： (from a Chinese input method): YAML needs a half-width colon and a space, e.g. duration: …' });
    expect(first('id: x\nname：催付时机测试\nnodes: []\n')).toMatchObject({ line: 2, message: expect.stringMatching(/^"name：" has a full-width colon/) });
    expect(first('id: x\nnodes:\n  - id: a\n    next：b\n')).toMatchObject({ line: 4, message: expect.stringMatching(/^"next：" has a full-width colon/) });
    expect(first('nodes:\n  - id: a\n  \u3000 type: wait\n')).toMatchObject({ line: 3, message: expect.stringMatching(/^this line is indented with a full-width space/) });
    // A full-width colon inside a value is the marketer's text, not a slip.
    expect(readYaml('label: 提醒：付款\nnote: a\n').syntaxErrors).toEqual([]);
  });

  it('passes on what it has no words for as the parser said it, without its position', () => {
    const e = first('a: {b: 1 c: 2}\n');
    expect(e).toBeDefined();
    expect(e!.message).not.toMatch(/at line \d+, column/);
  });
});
