import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { importRows } from '../../server/src/persistence/importer.js';
import { CustomerEntity, CustomerFactsEntity } from '../../server/src/persistence/entities/index.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

/**
 * Several batches (one transaction each, facts refreshed per batch) and a source read in more
 * than ten chunks are what is pinned here; 12,000 rows in batches of 5,000 give three batches,
 * the last one partial (50,000 rows in the default batches of 25,000 gave two, for four times
 * the time). Bulk speed is measured by bench:import, not here.
 */
const ROWS = 12_000;
const BATCH = 5_000;

/** The file is generated chunk by chunk while it is read: it never exists whole in memory. */
function* customersCsv(rows: number): Generator<string> {
  yield 'externalId,name,email,province,tags,consent_sms\n';
  for (let i = 0; i < rows; i += 1000) {
    let chunk = '';
    for (let j = i; j < Math.min(rows, i + 1000); j++) chunk += `s${j},Name ${j},s${j}@example.com,浙江,${j % 2 ? 'vip' : ''},${j % 3 ? 'yes' : 'no'}\n`;
    yield chunk;
  }
}

describe.each(DIALECTS)('streamed import of %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  it(`imports ${ROWS} generated rows in batches, refreshing facts, then re-imports as unchanged`, async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    let progressCalls = 0;
    let batches = 0;
    const started = Date.now();
    const r = await importRows(db.dataSource, {
      kind: 'customers',
      format: 'csv',
      source: customersCsv(ROWS),
      file: 'generated.csv',
      timezone: 'Asia/Shanghai',
      clock: fixedClock(Date.parse('2026-02-01T00:00:00Z')),
      batchSize: BATCH,
      onRows: () => batches++,
      onBytes: () => {
        progressCalls++;
        peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore);
      },
    });
    const ms = Date.now() - started;
    expect(r).toMatchObject({ rows: ROWS, created: ROWS, failed: 0 });
    expect(progressCalls).toBeGreaterThanOrEqual(ROWS / 1000);
    expect(batches).toBe(Math.ceil(ROWS / BATCH));
    // Heap growth depends on when GC runs, so it is printed, not asserted; laziness of the reader
    // itself is pinned in tests/unit/data-import-reader.test.ts.
    expect(await db.dataSource.manager.count(CustomerEntity)).toBe(ROWS);
    expect(await db.dataSource.manager.count(CustomerFactsEntity)).toBe(ROWS);
    process.stdout.write(`[${dialect}] imported ${ROWS} customers in ${ms} ms (${Math.round(ROWS / (ms / 1000))} rows/s), heap growth peak ${Math.round(peak / 1048576)} MB\n`);

    const again = Date.now();
    const r2 = await importRows(db.dataSource, { kind: 'customers', format: 'csv', source: customersCsv(ROWS), file: 'generated.csv', timezone: 'Asia/Shanghai', batchSize: BATCH, clock: fixedClock(Date.parse('2026-02-02T00:00:00Z')) });
    expect(r2).toMatchObject({ created: 0, updated: 0, unchanged: ROWS });
    process.stdout.write(`[${dialect}] re-import (all unchanged) in ${Date.now() - again} ms\n`);
  }, 180_000);
});
