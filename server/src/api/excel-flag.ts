import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';

/**
 * `?excel=1` on a CSV export: write its Excel variant (core/text/excel-sheet.ts; a UTF-8 byte order mark first, without which
 * Excel on Chinese Windows reads the file as GBK and garbles every name). 1/true or 0/false.
 */
export const ExcelFlag = z
  .enum(['1', 'true', '0', 'false'], { error: 'expected 1, true, 0 or false' })
  .optional()
  .transform((v) => v === '1' || v === 'true');

/**
 * `?format=json|csv[&excel=1]` of a report that answers JSON or CSV (an experiment's, a flow's
 * funnel): whether to write CSV and whether for Excel, or a 400 naming the field at fault.
 */
export function reportFormat(format: string | undefined, excelParam: string | undefined): { csv: boolean; excel: boolean } {
  let excel: boolean;
  try {
    excel = ExcelFlag.parse(excelParam);
  } catch (e) {
    throw new BadRequestException(e instanceof z.ZodError ? `excel: ${e.issues[0].message}` : (e as Error).message);
  }
  if (format !== undefined && format !== 'json' && format !== 'csv') throw new BadRequestException(`format: "${format}" is not json or csv`);
  excelOnlyForCsv(excel, format);
  return { csv: format === 'csv', excel };
}

/** A 400 for `excel=1` on anything but a CSV (the send log's, a report's). */
export function excelOnlyForCsv(excel: boolean, format: string | undefined): void {
  if (excel && format !== 'csv') throw new BadRequestException('excel: only for format=csv (a spreadsheet opens CSV)');
}
