/**
 * With a public base URL the send log holds the links customers get: `npm start` gives the server
 * REKINDLE_PUBLIC_BASE_URL=http://127.0.0.1:<port>, and the preview already showed
 * `http://127.0.0.1:3511/r/…`, but the payment reminder's stored body read `…发货～ /r/<token>`
 * after `POST /api/engine/tick` (the engine's send step rendered the relative path), as did the
 * messages of `rekindle simulate --copy-of`. The CLI reads the base URL as `rekindle validate`
 * and the server do (rules/channels.yaml, else REKINDLE_PUBLIC_BASE_URL); without one the links
 * stay relative (docs/channels.md).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { cli } from '../support/cli.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const BASE = 'http://127.0.0.1:3511';

describe('the server with REKINDLE_PUBLIC_BASE_URL (npm start) and no publicBaseUrl in rules/channels.yaml', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const clock = new VirtualClock(T0);
  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    // The base URL comes with the server's settings only, not the process environment.
    api = await createTestApp({ database: t.target, rulesDir: join(process.cwd(), 'rules'), clock, schedulers: false, settings: loadSettings({ LOG_LEVEL: 'silent', REKINDLE_PUBLIC_BASE_URL: BASE }) });
    await addCustomers(api.app.get(DataSource), [{ externalId: 'buyer-1', name: '小王', phone: '13900000001', consent: { sms: true } }], T0);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it("stores the payment reminder with the link on the server's address, as the preview shows it", async () => {
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    const event = { customerExternalId: 'buyer-1', type: 'order_created', properties: { orderId: 'o-1' }, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'order_created:o-1' };
    await api.http().post('/api/events').send(event).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(2 * MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    const res = await api.http('marketer').get('/api/sends?flowId=payment-reminder&format=ndjson').expect(200);
    const rows = String(res.text).trim().split('\n').map((l) => JSON.parse(l) as { body: string; status: string });
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe('queued');
    expect(rows[0].body).toMatch(new RegExp(`[^\\x21-\\x7e]${BASE.replace(/[.]/g, '\\.')}/r/[A-Za-z0-9_-]{12}(?![\\w-])`));
    expect(rows[0].body).not.toMatch(/[^\x21-\x7e]\/r\//);
  });
});

describe('rekindle simulate --copy-of and the public base URL', () => {
  const dir = tempDir('rekindle-sim-links-');
  const shop = join(dir, 'shop.sqlite');
  beforeAll(async () => {
    const seeded = await cli(['--rules', 'rules', '--db', shop, 'seed', '--customers', '2000', '--seed', '42', '--now', '2026-11-20']);
    expect(seeded.code).toBe(0);
  }, 120_000);

  async function simulatedBodies(name: string, env: string | undefined): Promise<string[]> {
    const before = process.env.REKINDLE_PUBLIC_BASE_URL;
    if (env === undefined) delete process.env.REKINDLE_PUBLIC_BASE_URL;
    else process.env.REKINDLE_PUBLIC_BASE_URL = env;
    try {
      const copy = join(dir, `${name}.sqlite`);
      const r = await cli(['--rules', 'rules', 'simulate', 'payment-reminder', '--db', copy, '--copy-of', shop, '--from', '2026-11-18', '--days', '1']);
      expect(r.code).toBe(0);
      const ds = await openDatabase({ url: copy });
      try {
        const rows = await queryRows<{ body: string }>(ds, "SELECT body FROM sends WHERE flow_id = 'payment-reminder~simulated' AND link_token IS NOT NULL");
        return rows.map((x) => x.body);
      } finally {
        await ds.destroy();
      }
    } finally {
      if (before === undefined) delete process.env.REKINDLE_PUBLIC_BASE_URL;
      else process.env.REKINDLE_PUBLIC_BASE_URL = before;
    }
  }

  it('with REKINDLE_PUBLIC_BASE_URL set for the CLI, the copy stores absolute links', async () => {
    const bodies = await simulatedBodies('with-base', BASE);
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b).toMatch(new RegExp(`[^\\x21-\\x7e]${BASE.replace(/[.]/g, '\\.')}/r/[A-Za-z0-9_-]{12}(?![\\w-])`));
  }, 120_000);

  it('without any base URL they stay relative, as documented', async () => {
    const bodies = await simulatedBodies('without-base', undefined);
    expect(bodies.length).toBeGreaterThan(0);
    for (const b of bodies) expect(b).toMatch(/[^\x21-\x7e]\/r\/[A-Za-z0-9_-]{12}(?![\w-])/);
  }, 120_000);
});
