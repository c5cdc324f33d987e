import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * `rekindle import` and a row that is wrong as a whole (too few or too many CSV values, an NDJSON
 * line that is no JSON object): the printed line names the file and line and says what is wrong
 * with the row. It printed `orders.csv:3: (row): expected 6 fields as in the header, found 4`,
 * `(row)` where a field goes. The JSON report keeps `field: "(row)"` for tools.
 */
describe('rekindle import: whole-row errors', () => {
  const RULES = tempDir('rekindle-rules-');
  const dir = tempDir('rekindle-import-rows-');
  let db: string;
  let drop: () => Promise<void>;
  const r = (...args: string[]) => cli(['--db', db, '--rules', RULES, ...args]);

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    db = t.target.url;
    drop = t.drop;
    writeFileSync(join(dir, 'customers.csv'), 'externalId,name\nc1,Li\n');
    await r('import', 'customers', join(dir, 'customers.csv'));
  });
  afterAll(async () => drop?.());

  it('prints file:line and the wrong number of columns, naming the columns left without a value or the extra values', async () => {
    const file = join(dir, 'orders.csv');
    writeFileSync(
      file,
      'externalId,customerExternalId,status,amount,createdAt,paidAt\n' +
        'o1,c1,paid,100,2026-11-01 10:00,2026-11-01 10:05\n' +
        'o2,c1,paid,100\n' +
        'o3,c1,paid,1,200,2026-11-01 10:00,2026-11-01 10:05\n',
    );
    const res = await r('import', 'orders', file);
    expect(res.code).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      `${file}:3: wrong number of columns: expected 6 as in the header, got 4 (no value for createdAt, paidAt)`,
      `${file}:4: wrong number of columns: expected 6 as in the header, got 7 (1 more than the header has: a value with a comma must be in double quotes)`,
    ]);
    expect(res.stderr).not.toContain('(row)');
    const json = JSON.parse((await r('--json', 'import', 'orders', file)).stdout);
    expect(json.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual(['3:(row)', '4:(row)']);
  });

  it('prints file:line and what the NDJSON line is instead of one JSON object', async () => {
    const file = join(dir, 'customers.ndjson');
    writeFileSync(file, '{"externalId":"c2"}\n{oops\n[1,2]\n');
    const res = await r('import', 'customers', file);
    expect(res.code).toBe(1);
    const lines = res.stderr.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:2: the line is not valid JSON: `));
    expect(lines[1]).toBe(`${file}:3: expected one JSON object on the line, got a list`);
    expect(res.stderr).not.toContain('(row)');
  });

  it('prints file:line for a CDNOW line with too many columns', async () => {
    const file = join(dir, 'cdnow.txt');
    writeFileSync(file, '00001 0001 19970101 1 11.77\n00002 0001 19970112 1 12.00 9\n');
    const res = await r('import', 'cdnow', file);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(`${file}:2: wrong number of columns: expected 5 (customer_id cohort_id date num_cds dollar_value) or the master file's 4 (customer_id date num_cds dollar_value), got 6`);
    expect(res.stderr).not.toContain('(row)');
  });
});
