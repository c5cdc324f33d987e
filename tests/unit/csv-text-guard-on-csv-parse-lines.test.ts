import { describe, expect, it } from '@jest/globals';
import { csvRecordBlocks } from '../../server/src/core/data/import/csv-records.js';

/**
 * Excel's ="…" text guard on a line the fast path hands to csv-parse (the line also has a quoted
 * comma or a line break inside quotes): csv-parse refused it ("a quote is found on field 0"),
 * so a Taobao export whose address held a comma was refused from that line on. It is now read
 * as the text inside, as the fast path reads it, on every line after the hand-over too.
 */
async function records(chunks: (string | Buffer)[]) {
  const out: { line: number; fields: string[] }[] = [];
  for await (const b of csvRecordBlocks(chunks)) out.push(...b);
  return out;
}

describe('="…" on lines csv-parse reads', () => {
  it('reads the guarded field as its text on a line with a quoted comma, and on the lines after it', async () => {
    const r = await records(['id,who,address\n="0012",a,plain\n="0013",b,"杭州市, 西湖区"\n="0014",="c",x\n']);
    expect(r).toEqual([
      { line: 1, fields: ['id', 'who', 'address'] },
      { line: 2, fields: ['0012', 'a', 'plain'] },
      { line: 3, fields: ['0013', 'b', '杭州市, 西湖区'] },
      { line: 4, fields: ['0014', 'c', 'x'] },
    ]);
  });

  it('keeps line numbers across a quoted line break, reads a guard split between chunks, and leaves ="" inside quotes as text', async () => {
    const r = await records(['\uFEFFid,note\n="1","two\nlines"\n', '="2",x =\n=', '"3","say =""hi"""\n']);
    expect(r).toEqual([
      { line: 1, fields: ['id', 'note'] },
      { line: 3, fields: ['1', 'two\nlines'] },
      { line: 4, fields: ['2', 'x ='] },
      { line: 5, fields: ['3', 'say ="hi"'] },
    ]);
  });

  it('still refuses a stray quote inside a field, naming its line', async () => {
    await expect(records(['id,name\n="1","a,b"\n2,bu"yer\n'])).rejects.toThrow(/line 3/);
  });
});
