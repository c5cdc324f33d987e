import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { fixedClock } from '../../server/src/core/clock.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A NUL character (U+0000) in a request's path, query or JSON body is a 400 naming where it is, on
 * both dialects. PostgreSQL cannot compare text holding one: a NUL in a customer id in the path, a
 * search, an account name or a sign-in name answered 500 there.
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

describe.each(DIALECTS)('NUL characters in requests (%s)', (dialect) => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-nul-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
    await addCustomers(api.app.get(DataSource), [{ externalId: 'n-1' }], NOW - 86_400_000);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const refused = (res: { status: number; body: { message?: unknown } }, where: string) => {
    expect({ status: res.status, message: res.body.message }).toEqual({ status: 400, message: `${where}: contains the NUL character (U+0000), which is not accepted` });
  };

  it('in a path segment: the segment is named', async () => {
    refused(await api.http('analyst').get('/api/customers/n%00-1'), 'path segment 3 of 3');
    refused(await api.http('admin').delete('/api/customers/n%00-1'), 'path segment 3 of 3');
    refused(await api.http('admin').post('/api/recycle-bin/%00/restore').send({}), 'path segment 3 of 4');
    refused(await api.http('admin').delete('/api/users/a%00b'), 'path segment 3 of 3');
    refused(await api.http('admin').delete('/api/tokens/t%00'), 'path segment 3 of 3');
  });

  it('in a query parameter: the parameter is named', async () => {
    refused(await api.http('analyst').get('/api/customers?search=%00'), 'query parameter "search"');
    refused(await api.http('admin').get('/api/audit?actor=x%00'), 'query parameter "actor"');
  });

  it('in a JSON body: the field is named, for anyone (sign-in too)', async () => {
    refused(await api.http('anonymous').post('/api/auth/sign-in').send({ username: 'ad\u0000min', password: 'x' }), 'username');
    refused(await api.http('admin').post('/api/segments/preview').send({ conditions: { all: [{ fact: 'city', operator: 'equal', value: 'a\u0000' }] } }), 'conditions.all[0].value');
  });

  it('nothing else changes: a customer id, search and event without NUL are answered as before', async () => {
    expect((await api.http('analyst').get('/api/customers/n-1')).status).toBe(200);
    expect((await api.http('analyst').get('/api/customers?search=n-')).status).toBe(200);
    // Events keep their own checks, the same as the token fast path's: a NUL in a property is stored escaped in JSON text.
    const ev = await api.http('admin').post('/api/events').send({ type: 'x', customerExternalId: 'n-1', occurredAt: '2026-11-01T10:00:00+08:00', idempotencyKey: 'nul-1', properties: { note: 'a\u0000b' } });
    expect(ev.status).toBe(200);
    expect(ev.body.accepted).toBe(1);
    const badKey = await api.http('admin').post('/api/events').send({ type: 'x', customerExternalId: 'n-1', occurredAt: '2026-11-01T10:00:00+08:00', idempotencyKey: 'nu\u0000l' });
    expect(badKey.status).toBe(400);
    expect(JSON.stringify(badKey.body)).toContain('idempotencyKey: contains a control character (U+0000)');
  });
});
