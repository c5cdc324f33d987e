import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { mapRow } from '../../server/src/core/data/import/row-mapper.js';
import { customerColumnOfHeader, withoutFormulaGuard, withoutQuotedTextGuard } from '../../server/src/core/data/import/excel-view.js';
import { excelCsv } from '../../server/src/core/text/excel-sheet.js';
import { CUSTOMER_EXCEL } from '../../server/src/core/text/customer-excel-columns.js';

/**
 * The customers export's Excel variant imported back (core/data/import/excel-view.ts): its Chinese
 * headers as the import's columns, its cells as the customer's data, never the export's guards.
 */
const TZ = 'Asia/Shanghai';
const KEYS = ['externalId', 'name', 'phone', 'wechatId', 'device', 'tags', 'consent_sms', 'lifecycleStage'];

describe('the customers Excel file read by the import', () => {
  it('reads every Excel label as its column, other headers as they are', () => {
    expect(customerColumnOfHeader(Object.values(CUSTOMER_EXCEL).map((c) => c.label))).toEqual(Object.keys(CUSTOMER_EXCEL));
    expect(customerColumnOfHeader(['externalId', 'attr_level', '备注'])).toEqual(['externalId', 'attr_level', '备注']);
  });

  it("maps a row the Excel variant wrote back to the customer's own values", () => {
    const columns = KEYS.map((k) => CUSTOMER_EXCEL[k]);
    const file = excelCsv(columns, [['00123', '=Li "Lee"', '13800138000', '2024-11', 'mobile', '-vip|d11', true, 'silent']], TZ);
    const [header, row] = parse(file.slice(1), { relax_quotes: false }) as string[][];
    const names = customerColumnOfHeader(header);
    const record = Object.fromEntries(names.map((n, i) => [n, row[i]]));
    expect(record).toMatchObject({ externalId: '="00123"', name: `'=Li "Lee"`, phone: '="13800138000"', device: '手机', consent_sms: '是', lifecycleStage: '沉默' });
    expect(mapRow('customers', 'csv', record, TZ)).toEqual({
      ok: true,
      value: expect.objectContaining({ externalId: '00123', name: '=Li "Lee"', phone: '13800138000', wechatId: '2024-11', device: 'mobile', tags: ['-vip', 'd11'], consent: { sms: true } }),
    });
  });

  it('takes off only whole guards', () => {
    expect(withoutQuotedTextGuard('="a""b"')).toBe('a"b');
    expect(withoutQuotedTextGuard('="12"3')).toBe('="12"3');
    expect(withoutQuotedTextGuard('=SUM(A1)')).toBe('=SUM(A1)');
    expect(withoutFormulaGuard("'+86 138")).toBe('+86 138');
    expect(withoutFormulaGuard("'quoted'")).toBe("'quoted'");
  });
});
