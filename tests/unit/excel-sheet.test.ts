import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { excelCell, excelCsv, excelLine, excelTime, nameBesideId } from '../../server/src/core/text/excel-sheet.js';
import { reasonWords, sendStatusWords } from '../../server/src/core/text/excel-words.js';

describe('the Excel variant of a CSV export', () => {
  it('writes an instant on the shop clock as Excel reads a date-time, from epoch ms or an ISO string', () => {
    expect(excelTime(Date.parse('2025-11-20T11:13:48.363Z'), 'Asia/Shanghai')).toBe('2025-11-20 19:13:48');
    expect(excelTime('2025-11-20T19:13:48+08:00', 'Asia/Shanghai')).toBe('2025-11-20 19:13:48');
    expect(excelCell('time', '2025-11-20T11:13:48.363Z', 'Asia/Shanghai')).toBe('2025-11-20 19:13:48');
  });

  it('writes a share as a percentage with two decimals, and a difference of rates in points', () => {
    expect(excelCell('ratio', 0.07314, 'UTC')).toBe('7.31');
    expect(excelCell('points', -0.0125, 'UTC')).toBe('-1.25');
    expect(excelCell('ratio', null, 'UTC')).toBe('');
    // Two decimals always, as the docs promise: the funnel's 转化率(%) read 10.1 for 10.10.
    expect(excelCell('ratio', 0.101, 'UTC')).toBe('10.10');
    expect(excelCell('ratio', 0, 'UTC')).toBe('0.00');
    expect(excelCell('points', -0.00001, 'UTC')).toBe('0.00');
  });

  it('keeps ids, phone numbers and codes that Excel would read as numbers or dates as text, and guards formulas', () => {
    const cells = ['13800138000', '00123', '2024-11', '+86 138 0013 8000', '1E5'].map((v) => excelCell('id', v, 'UTC'));
    expect(cells).toEqual(['"=""13800138000"""', '"=""00123"""', '"=""2024-11"""', '"=""+86 138 0013 8000"""', '"=""1E5"""']);
    // Read back as a CSV reader (and Excel) sees the cell: a formula whose value is the text itself.
    expect(parse(cells.join(',') + '\n')[0]).toEqual(['="13800138000"', '="00123"', '="2024-11"', '="+86 138 0013 8000"', '="1E5"']);
    expect(excelCell('id', 'SAVE10', 'UTC')).toBe('SAVE10');
    expect(excelCell('id', '=HYPERLINK("x")', 'UTC')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(excelCell('text', '-2+3', 'UTC')).toBe(`'-2+3`);
  });

  it('starts with a byte order mark and the Chinese header row', () => {
    const csv = excelCsv([{ label: '步骤', kind: 'id' }, { label: '转化率(%)', kind: 'ratio' }, { label: '是否充足', kind: 'flag' }], [['send', 0.5, true]], 'UTC');
    expect(csv).toBe('\uFEFF步骤,转化率(%),是否充足\nsend,50.00,是\n');
  });

  it('moves a name appended last to beside the id it names, keeping every other column in order', () => {
    expect(nameBesideId(5)).toEqual([0, 1, 4, 2, 3]);
    expect(nameBesideId(3)).toEqual([0, 1, 2]);
  });

  it('writes a p-value as the designer shows it: four decimals, < 0.0001 below that', () => {
    expect([0.0312456789, 0.5, 0.00012345, 0.0000123, null].map((p) => excelCell('pvalue', p, 'UTC'))).toEqual(['0.0312', '0.5000', '0.0001', '< 0.0001', '']);
  });

  it('writes a column of codes in words, an unknown code as it is', () => {
    const columns = [{ label: '状态', kind: 'text', words: sendStatusWords }, { label: '原因', kind: 'text', words: reasonWords }] as const;
    expect(excelLine(columns, ['blocked', 'no-consent:sms'], 'UTC')).toBe('被拦截,没有短信营销许可\n');
    expect(excelLine(columns, ['mystery', '=cmd'], 'UTC')).toBe(`mystery,'=cmd\n`);
    expect(excelLine(columns, ['sent', null], 'UTC')).toBe('已发送,\n');
  });
});
