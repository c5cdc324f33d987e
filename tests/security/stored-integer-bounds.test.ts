import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Ids, versions and revisions in a request are at most what the database stores (2,147,483,647):
 * above it, a 400 naming the field on both dialects. PostgreSQL refused the query comparing such a
 * number with an integer column ("out of range for type integer"), and the answer was a 500.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');
const HUGE = 123_456_789_012_345;

describe.each(DIALECTS)('numbers beyond the stored integers (%s)', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-int-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const named = (res: { status: number; body: { message?: unknown } }, field: string) => {
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body.message)).toContain(`${field}: Too big: expected number to be <=2147483647`);
  };

  it('the audit log paged from an id beyond them', async () => {
    const res = await api.http('admin').get(`/api/audit?before=${HUGE}`);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: [`before: expected a whole number from 1 to 2147483647, got "${HUGE}"`] });
    expect((await api.http('admin').get('/api/audit?before=2147483647')).status).toBe(200);
  });

  it('a published version beyond them', async () => {
    const res = await api.http('analyst').get(`/api/flows/payment-reminder/versions/${HUGE}`);
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: [`version: expected a whole number from 1 to 2147483647, got "${HUGE}"`] });
    expect((await api.http('analyst').get('/api/flows/payment-reminder/versions/2147483647')).status).toBe(404);
  });

  it('a publish request numbered beyond them, or not a number: 400 naming the id and what it takes', async () => {
    for (const bad of [String(HUGE), 'abc', '1.5']) {
      const res = await api.http('analyst').get(`/api/publish-requests/${bad}`);
      expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: [`id: expected a whole number from 1 to 2147483647, got "${bad}"`] });
    }
    expect((await api.http('analyst').get('/api/publish-requests/2147483647')).status).toBe(404);
    expect((await api.http('anonymous').get('/api/publish-requests/1')).status).toBe(401);
  });

  it('a draft saved on a revision or base version beyond them', async () => {
    const flow = { id: 'payment-reminder', name: 'x', nodes: [] };
    named(await api.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow, revision: HUGE }), 'revision');
    named(await api.http('marketer').put('/api/flows/payment-reminder/draft').send({ flow, revision: null, baseVersion: HUGE }), 'baseVersion');
  });
});
