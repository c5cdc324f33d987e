import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A number in a query (`?limit=`, `?offset=`, `?before=`, `?revision=`) that is not one answers a
 * 400 saying which parameter, what it takes and what came: `limit: expected a whole number from 1
 * to 1000, got "abc"`. They said "limit: Invalid input: expected number, received NaN" (z.coerce),
 * which names neither the range nor the value (api/validation/whole-number.ts).
 */
process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');

describe('query numbers say what they take and what came', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  const rules = tempDir('rekindle-query-numbers-');
  for (const d of ['segments', 'flows']) mkdirSync(join(rules, d), { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const refused = async (role: 'admin' | 'marketer' | 'analyst', path: string, method: 'get' | 'delete' = 'get') => {
    const res = await api.http(role)[method](path);
    expect({ status: res.status, error: res.body.error, statusCode: res.body.statusCode }).toEqual({ status: 400, error: 'Bad Request', statusCode: 400 });
    return res.body.message as string[];
  };

  it('names the parameter, its range and the value sent, for text, fractions, signs and numbers out of range', async () => {
    expect(await refused('analyst', '/api/customers?limit=abc')).toEqual(['limit: expected a whole number from 1 to 1000, got "abc"']);
    expect(await refused('analyst', '/api/customers?limit=1.5')).toEqual(['limit: expected a whole number from 1 to 1000, got "1.5"']);
    expect(await refused('analyst', '/api/customers?limit=5000')).toEqual(['limit: expected a whole number from 1 to 1000, got "5000"']);
    expect(await refused('analyst', '/api/customers?offset=-1')).toEqual(['offset: expected a whole number from 0 to 2147483647, got "-1"']);
    expect(await refused('analyst', '/api/recycle-bin?limit=&offset=x')).toEqual(['limit: expected a whole number from 1 to 1000, got ""', 'offset: expected a whole number from 0 to 2147483647, got "x"']);
    expect(await refused('admin', '/api/audit?limit=abc')).toEqual(['limit: expected a whole number from 1 to 1000, got "abc"']);
    expect(await refused('admin', '/api/audit?before=1e3')).toEqual(['before: expected a whole number from 1 to 2147483647, got "1e3"']);
    expect(await refused('analyst', '/api/publish-requests?limit=many')).toEqual(['limit: expected a whole number from 1 to 500, got "many"']);
    expect(await refused('marketer', '/api/flows/gift-card/draft?revision=two', 'delete')).toEqual(['revision: expected a whole number from 1 to 2147483647, got "two"']);
  });

  it('takes whole numbers as before, and the defaults when left out', async () => {
    expect((await api.http('analyst').get('/api/customers?limit=2&offset=0').expect(200)).body).toEqual({ total: 0, items: [] });
    await api.http('analyst').get('/api/customers').expect(200);
    expect((await api.http('admin').get('/api/audit?limit=1&before=2147483647').expect(200)).body.entries.length).toBeLessThanOrEqual(1);
    await api.http('analyst').get('/api/publish-requests?limit=500').expect(200);
  });
});
