import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import { funnelCsv } from '../../server/src/persistence/flow-report.js';
import { PolicyFile } from '../../server/src/persistence/policy-file.js';
import { cli } from '../support/cli.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertCustomer, insertSend } from '../support/outbox-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * The Excel exports said a send held back by a block list by the list's file id
 * (在屏蔽名单「bad-reviews」中) where the designer says its title (在屏蔽名单「差评顾客」中). They now
 * read the shop's titles once per export (PolicyFile.titledLists) and say a titled list by its title,
 * an untitled one by its id. The plain CSV keeps the code.
 */
async function rekindle(...args: string[]) {
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`rekindle ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout;
}

describe('a send held back by a block list, in the Excel exports', () => {
  let db: TestDatabase;
  const rules = tempDir('rekindle-export-list-titles-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
  writeFileSync(join(rules, 'lists', 'bad-reviews.txt'), '# title: 差评顾客\nc-a\nc-b\n');
  writeFileSync(join(rules, 'lists', 'phone-reminded.txt'), 'c-c\n'); // from before titles
  const at = Date.parse('2026-11-11T00:00:00Z');

  beforeAll(async () => {
    db = await openTestDatabase('sqlite');
    const ds = db.dataSource;
    for (const [id, reason] of [
      ['c-a', 'blocked:list:bad-reviews'],
      ['c-b', 'blocked:list:bad-reviews'],
      ['c-c', 'blocked:list:phone-reminded'],
    ] as const) {
      const customerId = await insertCustomer(ds, { externalId: id, phone: '1' });
      await insertSend(ds, { customerId, flowId: 'winback', channel: 'sms', status: 'blocked', reason, scheduledAt: at });
    }
    await db.dataSource.destroy(); // the CLI opens its own connection to the file
  });
  afterAll(async () => {
    await db?.close();
  });

  it('says a titled list by its title and an untitled one by its id, reading the titles once for the whole export', async () => {
    const read = jest.spyOn(PolicyFile.prototype, 'titledLists');
    const titles = jest.spyOn(PolicyFile.prototype, 'listTitle');
    try {
      const csv = await rekindle('--db', db.target.url, '--rules', rules, 'export', 'sends', '--excel');
      const rows = parse(csv, { columns: true, bom: true }) as Record<string, string>[];
      expect(rows.map((r) => [r['顾客编号'], r['原因']])).toEqual([
        ['c-a', '在屏蔽名单「差评顾客」中'],
        ['c-b', '在屏蔽名单「差评顾客」中'],
        ['c-c', '在屏蔽名单「phone-reminded」中'],
      ]);
      // Once per export, one file head per list: never once per row.
      expect(read).toHaveBeenCalledTimes(1);
      expect(titles.mock.calls.map((c) => c[0]).sort()).toEqual(new PolicyFile(rules).listNames().sort());
    } finally {
      read.mockRestore();
      titles.mockRestore();
    }
  });

  it('keeps the code in the plain CSV (integrations match on it)', async () => {
    const rows = parse(await rekindle('--db', db.target.url, '--rules', rules, 'export', 'sends'), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.reason)).toEqual(['blocked:list:bad-reviews', 'blocked:list:bad-reviews', 'blocked:list:phone-reminded']);
  });

  it('heads the funnel\'s held-back columns with the list\'s title in the Excel variant, its code in the plain CSV', () => {
    const node = { nodeId: 'sms', type: 'send', entered: 3, waiting: 0, sent: 0, blocked: { 'blocked:blocked:list:bad-reviews': 2, 'blocked:blocked:list:phone-reminded': 1 }, failed: 0, failedErrors: {}, responded: 0, clicked: 0, redeemed: 0, redeemedAfterEnd: 0, converted: 0, exited: 0, messageCost: 0, queued: 0, couponCost: 0 };
    // The funnel's keys are <status>:<reason>, the reason itself blocked:list:<name> (flowFunnel).
    const f = { flowId: 'winback', nodes: [node] } as unknown as Parameters<typeof funnelCsv>[0];
    const excel = funnelCsv(f, { excel: true, timezone: 'Asia/Shanghai', listTitles: new PolicyFile(rules).titledLists() });
    const head = Object.keys((parse(excel, { columns: true, bom: true }) as Record<string, string>[])[0]);
    expect(head).toEqual(expect.arrayContaining(['被拦截:在屏蔽名单「差评顾客」中', '被拦截:在屏蔽名单「phone-reminded」中']));
    expect(funnelCsv(f).split('\n')[0]).toContain('blocked:list:bad-reviews');
  });
});
