import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:30:00+08:00');

/**
 * Walkthrough twelve: a marketer built the entry's audience in place (就地新建受众 → POST
 * /api/segments, rules/segments/<id>.yaml), simulated the journey, and publishing it was refused
 * with "unknown rule": the designer reads the segment files per request, the engine read them once
 * at start, so only a restart let the journey out. The engine now follows the folder
 * (runtime/segment-rules-on-disk.ts): a segment saved or edited while the server runs is the one
 * that publishing checks and the daily entry selects by.
 */
describe('a segment saved while the server runs', () => {
  let api: TestApp;
  let ds: DataSource;
  let drop: () => Promise<void>;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-segment-live-rules-');

  beforeAll(async () => {
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const t = await freshTarget('sqlite', { migrated: true });
    drop = t.drop;
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    await addCustomers(ds, [{ externalId: 'west-1', province: '新疆' }, { externalId: 'east-1', province: '浙江' }], T0);
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const entered = async () => (await queryRows(ds, "SELECT c.external_id AS id FROM enrollments e JOIN customers c ON c.id = e.customer_id WHERE e.flow_id = 'far-west-hello' ORDER BY 1")).map((r) => r.id);

  it('is known when the journey on it is published, and its customers enter', async () => {
    const conditions = { all: [{ fact: 'province', operator: 'equal', value: '新疆' }] };
    await api.http('marketer').post('/api/segments').send({ name: 'Far west', id: 'far-west', conditions }).expect(201);
    writeFileSync(
      join(rules, 'flows', 'far-west-hello.flow.yaml'),
      [
        'id: far-west-hello',
        'name: Far west hello',
        'nodes:',
        '  - id: start',
        '    type: entry',
        '    trigger: { type: schedule, segment: far-west, every: hour }',
        '    next: hello',
        '  - id: hello',
        '    type: send',
        '    channel: sms',
        '    template: "{{customer.name}}，好久不见 退订回T"',
        '    next: done',
        '  - id: done',
        '    type: exit',
        '',
      ].join('\n'),
    );
    const pub = await api.http('marketer').post('/api/flows/far-west-hello/publish').send({});
    expect(pub.body.problems ?? []).toEqual([]);
    expect(pub.status).toBe(200);
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await entered()).toEqual(['west-1']);
  });

  it('selects by the file as it is now after an edit (a git pull), not as it was at start', async () => {
    writeFileSync(join(rules, 'segments', 'far-west.yaml'), 'name: far-west\ntitle: Far west\nconditions:\n  any:\n    - fact: province\n      operator: in\n      value: [新疆, 浙江]\n');
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await entered()).toEqual(['east-1', 'west-1']);
  });

  it('goes on with the last segments that parsed while a file is broken', async () => {
    writeFileSync(join(rules, 'segments', 'far-west.yaml'), 'name: far-west\nconditions:\n  all:\n    - fact: provinse\n      operator: equal\n      value: 新疆\n');
    clock.advance(MS_PER_HOUR);
    await api.http().post('/api/engine/tick').expect(200);
    expect(await entered()).toEqual(['east-1', 'west-1']);
  });
});
