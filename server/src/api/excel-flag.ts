import { z } from 'zod';

/**
 * `?excel=1` on a CSV export: write it for Excel (a UTF-8 byte order mark first, without which
 * Excel on Chinese Windows reads the file as GBK and garbles every name). 1/true or 0/false.
 */
export const ExcelFlag = z
  .enum(['1', 'true', '0', 'false'], { error: 'expected 1, true, 0 or false' })
  .optional()
  .transform((v) => v === '1' || v === 'true');
