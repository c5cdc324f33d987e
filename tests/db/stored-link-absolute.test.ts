/**
 * With a public base URL (rules/channels.yaml `publicBaseUrl`, else REKINDLE_PUBLIC_BASE_URL) the
 * body the engine stores is the body the customer gets: `{{link}}` renders `<base>/r/<token>`.
 * It used to store `/r/<token>` and leave the base to the dispatcher, whose rewrite missed a link
 * right after Chinese text (`付款后立即发货：/r/…`), so the send log, the export and the provider
 * all had a link no customer could open. A held-back send still reads 〈链接〉 (it keeps no token);
 * without any base URL the link stays relative, as documented (docs/channels.md). Both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime, type EngineRuntimeOptions } from '../../server/src/runtime/engine-runtime.js';
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
    { id: 'sms', type: 'send', channel: 'sms', template: '{{customer.name}}，付款后立即发货：{{link}} 回T退订', link: 'https://shop.example/pay', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

type Row = { external_id: string; status: string; body: string; link_token: string | null };

/** The rules folder with its channels.yaml's publicBaseUrl set (or left out), as a shop would write it. */
function rulesWith(publicBaseUrl: string | null): string {
  const rules = tempDir('rekindle-abs-links-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  writeFileSync(join(rules, 'channels.yaml'), publicBaseUrl ? `publicBaseUrl: ${publicBaseUrl}\n` : '# no publicBaseUrl\n');
  return rules;
}

describe.each(DIALECTS)('stored message bodies and the public base URL on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  /** Two customers step through the send: one with consent (queued), one without (blocked). Returns their rows. */
  async function run(prefix: string, rules: string, opts: EngineRuntimeOptions = {}): Promise<Row[]> {
    const rt = createEngineRuntime(db.dataSource, { rulesDir: rules, shop: defaultShopConfig }, new VirtualClock(T0), opts);
    // A flow and trigger of its own: the flows of the cases before are live in the same database.
    await rt.flows.publish(FlowSchema.parse({ ...flow, id: `links-${prefix}`, nodes: flow.nodes.map((n) => (n.type === 'entry' ? { ...n, trigger: { type: 'event', event: `go-${prefix}` } } : n)) }), 'test', T0 - MS_PER_HOUR);
    const [yes, no] = await addCustomers(
      db.dataSource,
      [
        { externalId: `${prefix}-consents`, name: '小王', phone: '13900000001', consent: { sms: true } },
        { externalId: `${prefix}-no-consent`, name: '小李', phone: '13900000002', consent: { sms: false } },
      ],
      T0 - MS_PER_DAY,
    );
    await rt.engine.onEvents([await addEvent(db.dataSource, yes, `go-${prefix}`, {}, T0), await addEvent(db.dataSource, no, `go-${prefix}`, {}, T0)]);
    await rt.engine.tick();
    return queryRows<Row>(db.dataSource, 'SELECT c.external_id, s.status, s.body, s.link_token FROM sends s JOIN customers c ON c.id = s.customer_id WHERE c.external_id LIKE ? ORDER BY c.external_id', [`${prefix}-%`]);
  }

  it("rules/channels.yaml's publicBaseUrl: the stored body carries <base>/r/<token>, even right after Chinese text", async () => {
    const [queued, blocked] = await run('file', rulesWith('https://crm.shop.example.com'));
    expect(queued.status).toBe('queued');
    expect(queued.link_token).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(queued.body).toBe(`小王，付款后立即发货：https://crm.shop.example.com/r/${queued.link_token} 回T退订`);
    // Held back: no token kept, and no half of a URL left in front of the stand-in.
    expect(blocked.status).toBe('blocked');
    expect(blocked.link_token).toBeNull();
    expect(blocked.body).toBe('小李，付款后立即发货：〈链接〉 回T退订');
  });

  it('REKINDLE_PUBLIC_BASE_URL stands in when the file sets none (npm start: the demo server\'s own address)', async () => {
    const before = process.env.REKINDLE_PUBLIC_BASE_URL;
    process.env.REKINDLE_PUBLIC_BASE_URL = 'http://127.0.0.1:3511';
    let rows: Row[];
    try {
      rows = await run('env', rulesWith(null));
    } finally {
      if (before === undefined) delete process.env.REKINDLE_PUBLIC_BASE_URL;
      else process.env.REKINDLE_PUBLIC_BASE_URL = before;
    }
    expect(rows[0].body).toBe(`小王，付款后立即发货：http://127.0.0.1:3511/r/${rows[0].link_token} 回T退订`);
    expect(rows[1].body).toBe('小李，付款后立即发货：〈链接〉 回T退订');
  });

  it('a base URL handed to the runtime (the server passes its own) is used; none at all keeps the link relative', async () => {
    const [given] = await run('given', rulesWith(null), { publicBaseUrl: 'https://crm.example.org' });
    expect(given.body).toBe(`小王，付款后立即发货：https://crm.example.org/r/${given.link_token} 回T退订`);
    const [relative] = await run('none', rulesWith(null), { publicBaseUrl: null });
    expect(relative.body).toBe(`小王，付款后立即发货：/r/${relative.link_token} 回T退订`);
  });
});
