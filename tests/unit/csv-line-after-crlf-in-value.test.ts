import { describe, expect, it } from '@jest/globals';
import { csvRecordBlocks } from '../../server/src/core/data/import/csv-records.js';

/**
 * Walked on 4 Dec 2026: a customers file whose row 2 has a name with a line break typed on Windows
 * (`"两行\r\n名字"`, CR LF inside the quotes) had its bad e-mail on line 4 reported as
 * `customers.csv:5`: csv-parse counts that CR LF as two lines. Rows are named by the line they end
 * on in the file, as an editor numbers it.
 */
const lines = async (text: string) => {
  const out: number[] = [];
  for await (const block of csvRecordBlocks([text])) for (const r of block) out.push(r.line);
  return out;
};

describe('CSV line numbers after a line break inside a quoted value', () => {
  it('count a CR LF inside quotes as one line, whatever the file\'s own line ending', async () => {
    expect(await lines('externalId,name,email\r\nx1,"两行\r\n名字",a@b.cn\r\nx2,ok,bad@\r\n')).toEqual([1, 3, 4]);
    expect(await lines('externalId,name,email\nx1,"两行\r\n名字",a@b.cn\nx2,ok,bad@\n')).toEqual([1, 3, 4]);
    expect(await lines('a,b\r\n"x\r\ny\r\nw",1\r\nz,2\r\n"p\r\nq",3\r\nr,4\r\n')).toEqual([1, 4, 5, 7, 8]);
    // A LF inside quotes was counted right already.
    expect(await lines('a,b\r\n"x\ny",1\r\nz,2\r\n')).toEqual([1, 3, 4]);
  });
});
