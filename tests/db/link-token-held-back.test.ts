/**
 * Only a message that is going out stores a link token: a held-back send (no consent, a cap) keeps
 * its body as it would have been sent with 〈链接〉 where the link was — its token is never stored,
 * so a /r/<token> in the send log, explain or the customer view would lead nowhere (it used to be
 * kept, a dead link an analyst could only read as broken). Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';
import { addCustomers, addEvent } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/** 10:00 in Shanghai on 5 Nov 2026 (outside quiet hours). */
const T0 = Date.parse('2026-11-05T02:00:00Z');

const flow = FlowSchema.parse({
  id: 'links',
  name: 'A tracked link',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'event', event: 'go' }, next: 'sms' },
    { id: 'sms', type: 'send', channel: 'sms', template: '{{customer.name}}，看看新品：{{link}}', link: 'https://shop.example/new', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

describe.each(DIALECTS)('link tokens of held-back sends on %s', (dialect) => {
  let db: TestDatabase;
  let rt: EngineRuntime;

  beforeAll(async () => {
    db = await openTestDatabase(dialect);
    const rules = tempDir('rekindle-links-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const clock = new VirtualClock(T0);
    rt = createEngineRuntime(db.dataSource, { rulesDir: rules, shop: defaultShopConfig }, clock);
    await rt.flows.publish(flow, 'test', T0 - MS_PER_HOUR);
    const [yes, no] = await addCustomers(
      db.dataSource,
      [
        { externalId: 'consents', name: '小王', phone: '13900000001', consent: { sms: true } },
        { externalId: 'no-consent', name: '小李', phone: '13900000002', consent: { sms: false } },
      ],
      T0 - MS_PER_DAY,
    );
    await rt.engine.onEvents([await addEvent(db.dataSource, yes, 'go', {}, T0), await addEvent(db.dataSource, no, 'go', {}, T0)]);
    await rt.engine.tick();
  });
  afterAll(async () => db?.close());

  it('a queued send stores the token its body links to; a blocked one stores none and its body says where the link would have been', async () => {
    const rows = await queryRows<{ external_id: string; status: string; reason: string | null; body: string; link_token: string | null }>(
      db.dataSource,
      'SELECT c.external_id, s.status, s.reason, s.body, s.link_token FROM sends s JOIN customers c ON c.id = s.customer_id ORDER BY c.external_id',
    );
    expect(rows.map((r) => [r.external_id, r.status, r.reason])).toEqual([
      ['consents', 'queued', null],
      ['no-consent', 'blocked', 'no-consent:sms'],
    ]);
    const [queued, blocked] = rows;
    expect(queued.link_token).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(queued.body).toBe(`小王，看看新品：/r/${queued.link_token}`);
    expect(blocked.body).toBe('小李，看看新品：〈链接〉');
    expect(blocked.link_token).toBeNull();
  });
});
