/**
 * Bulk imports of events apply the rule of `POST /api/events`: an occurredAt more than 1 day ahead
 * of the clock is refused. Before, `POST /api/import/events` and `rekindle import events` stored an
 * event stamped years ahead, which then sat in the engine's future forever. As for any bad row of
 * an import: the row is refused whole, named by file, line and field, and the other rows are
 * imported.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { parseRows, type ParsedRow } from '../../server/src/core/data/import/parsed-rows.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { threadRowParser } from '../../server/src/runtime/import-parser.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const DAY = 24 * MS_PER_HOUR;
/** The server's clock in the HTTP cases: days behind the real one, so the route is seen to use the shop's clock. */
const NOW = Date.parse('2026-11-01T10:00:00+08:00');
const HEADER = 'type,customerExternalId,occurredAt,idempotencyKey,properties';
const iso = (ms: number) => new Date(ms).toISOString();
/** The idempotency keys of the stored events (the ones these tests import), sorted. */
const eventKeys = async (ds: DataSource) =>
  (await queryRows(ds, "SELECT idempotency_key FROM customer_events WHERE type = 'coupon_clicked' ORDER BY idempotency_key")).map((r) => String(r.idempotency_key));
/** Events stored stamped more than 1 day after `now` (an inbox row has its event: none there either). */
const aheadStored = async (ds: DataSource, now: number) => Number((await queryRows(ds, 'SELECT COUNT(*) AS n FROM customer_events WHERE occurred_at > ?', [now + DAY]))[0]?.n ?? 0);

describe('event imports refuse an occurredAt more than 1 day ahead of the clock', () => {
  let t: TestApp;
  let drop: () => Promise<void>;
  let ds: DataSource;
  let db: string;
  const rules = tempDir('rekindle-future-events-rules-');
  const dir = tempDir('rekindle-future-events-');

  beforeAll(async () => {
    const target = await freshTarget('sqlite', { migrated: true });
    drop = target.drop;
    db = target.target.url;
    for (const d of ['segments', 'flows']) mkdirSync(join(rules, d));
    cpSync('rules/shop.yaml', join(rules, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir: rules, clock: new VirtualClock(NOW), schedulers: false });
    ds = t.app.get(DataSource);
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name\nc1,Li\nc2,Wang\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
    await drop?.();
  });

  it('POST /api/import/events (CSV) refuses each row more than 1 day ahead, naming line and field, with the message of POST /api/events; 20 hours ahead is still taken', async () => {
    const csv = [
      HEADER,
      `coupon_clicked,c1,${iso(NOW - MS_PER_HOUR)},a-ok,`,
      `coupon_clicked,c1,${iso(NOW + 2 * DAY)},a-ahead,`,
      `coupon_clicked,c2,2099-11-11T10:00:00+08:00,a-years,`,
      `coupon_clicked,c2,${iso(NOW + 20 * MS_PER_HOUR)},a-near,`,
    ].join('\n');
    const r = await t.http().post('/api/import/events').set('Content-Type', 'text/csv').send(csv).expect(200);
    expect(r.body).toMatchObject({ rows: 4, created: 2, failed: 2 });
    // The same words as POST /api/events answers for the same event.
    const single = await t.http().post('/api/events').send({ type: 'coupon_clicked', customerExternalId: 'c1', occurredAt: iso(NOW + 2 * DAY), idempotencyKey: 'single-ahead' }).expect(400);
    expect(JSON.stringify(single.body)).toContain(r.body.errors[0].message);
    expect(r.body.errors).toEqual([
      { line: 3, field: 'occurredAt', message: `more than 1 day ahead of the server clock (${iso(NOW + 2 * DAY)}, server time ${iso(NOW)}): an event is sent when it has happened; send the time it happened, with its offset` },
      { line: 4, field: 'occurredAt', message: expect.stringMatching(/^more than 1 day ahead of the server clock \(2099-11-11T02:00:00\.000Z, server time /) },
    ]);
    // Nothing of a refused row is written: no event, no inbox row.
    expect(await eventKeys(ds)).toEqual(['a-near', 'a-ok']);
    expect(await aheadStored(ds, NOW)).toBe(0);
  });

  it('POST /api/import/events (NDJSON) names the line and field the same way', async () => {
    const body = [
      { type: 'coupon_clicked', customerExternalId: 'c1', occurredAt: iso(NOW - DAY), idempotencyKey: 'n-ok' },
      { type: 'coupon_clicked', customerExternalId: 'c1', occurredAt: iso(NOW + 3 * DAY), idempotencyKey: 'n-ahead' },
    ].map((x) => JSON.stringify(x)).join('\n') + '\n';
    const r = await t.http().post('/api/import/events').set('Content-Type', 'application/x-ndjson').send(body).expect(200);
    expect(r.body).toMatchObject({ rows: 2, created: 1, failed: 1 });
    expect(r.body.errors.map((e: { line: number; field: string }) => `${e.line}:${e.field}`)).toEqual(['2:occurredAt']);
    expect(await eventKeys(ds)).not.toContain('n-ahead');
  });

  it('rekindle import events prints file:line: field: why for the row, imports the others and exits 1', async () => {
    const now = Date.now();
    const file = join(dir, 'events.csv');
    writeFileSync(file, [HEADER, `coupon_clicked,c1,${iso(now - DAY)},cli-ok,`, `coupon_clicked,c2,${iso(now + 2 * DAY)},cli-ahead,`].join('\n') + '\n');
    const res = await cli(['--db', db, '--rules', rules, 'import', 'events', file]);
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3: occurredAt: more than 1 day ahead of the server clock \\(${iso(now + 2 * DAY).replace(/\./g, '\\.')}, server time `, 'm'));
    expect(res.stderr).not.toMatch(/\n\s+at /);
    expect(await eventKeys(ds)).toContain('cli-ok');
    expect(await eventKeys(ds)).not.toContain('cli-ahead');
  });

  it('the parser thread (the built code: the server, large files) refuses the same rows', async () => {
    const parser = threadRowParser(10, new URL('../../dist/server/src/runtime/import-parse-thread.js', import.meta.url));
    if (!parser) throw new Error('dist/ is not built: run `npx tsc -p tsconfig.build.json` first');
    const text = [HEADER, `coupon_clicked,c1,${iso(NOW)},t-ok,`, `coupon_clicked,c1,${iso(NOW + 2 * DAY)},t-ahead,`].join('\n');
    const collect = async (blocks: AsyncIterable<ParsedRow[]>) => {
      const out: ParsedRow[] = [];
      for await (const b of blocks) out.push(...b);
      return out;
    };
    const opts = { timezone: 'Asia/Shanghai', now: NOW };
    const inThread = await collect(parser('events', 'csv', [Buffer.from(text)], opts));
    expect(inThread).toEqual(await collect(parseRows('events', 'csv', [Buffer.from(text)], opts)));
    expect(inThread.map((r) => r.issues?.map((i) => `${r.line}:${i.field}`) ?? [])).toEqual([[], ['3:occurredAt']]);
  });
});
