import { describe, expect, it } from '@jest/globals';
import { csvSyntaxError } from '../../server/src/core/data/import/csv-syntax.js';
import { parseTaobaoExport, TaobaoFormatError } from '../../server/src/core/data/import/taobao.js';

/**
 * Walked on 3 Dec 2026: rows appended with LF to a CRLF orders file were refused as
 * `mixed.csv:4: a quote is found on field 5 at line 4, value is "2026-10-01 10:01\n"` — csv-parse's
 * words, counting fields from 0 and naming no cause. Now the column counts from 1 and the two usual
 * causes are said.
 */
describe('a CSV quote csv-parse refuses is said in the import\'s words', () => {
  it('names mixed line ends (CRLF file, LF rows appended) instead of a field counted from 0', async () => {
    const mixed = 'externalId,customerExternalId,status\r\nw6,c1,paid\r\n"w7",c1,paid\n"w8",c1,paid\n';
    const bad = await csvSyntaxError([mixed]);
    expect(bad).toEqual({ line: 4, message: expect.stringContaining("the line before ends in LF alone while the file's lines end in CRLF") });
    expect(bad!.message).not.toMatch(/field \d|value is/);
  });

  it('names a stray " inside an unquoted value by its column counted from 1, with the fix', async () => {
    const bad = await csvSyntaxError(['a,b,c\n1,x"y,3\n']);
    expect(bad).toEqual({ line: 2, message: 'column 2: a " inside a value that is not in quotes ("x"): put the whole value in double quotes and double each " inside it ("a ""b"" c")' });
  });

  it('says the same in the Taobao export, which has its own reader', async () => {
    const text = '订单编号,买家会员名,买家实际支付金额,订单状态,订单创建时间\r\n1001,buyer,10,交易成功,2026-10-01 10:00:00\r\n1002,buyer,10,交易成功,2026-10-01 10:00:00\n"1003",buyer,10,交易成功,2026-10-01 10:00:00\n';
    await expect(parseTaobaoExport(text, 'Asia/Shanghai')).rejects.toThrow(TaobaoFormatError);
    await expect(parseTaobaoExport(text, 'Asia/Shanghai')).rejects.toThrow(/^line 4: a " opens a value, but the line before ends in LF alone/);
  });
});
