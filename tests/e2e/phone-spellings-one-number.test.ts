process.env.REKINDLE_QUIET = '1';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from '@jest/globals';
import { storedPhone } from '../../server/src/core/data/phone.js';
import { freshTarget } from '../support/databases.js';
import { cli } from '../support/cli.js';
import { tempDir } from '../support/temp-dirs.js';

/**
 * Walked on 4 Dec 2026: a tea shop's customer list wrote 云南普洱迷's phone `+8613871012233`, the
 * seller center's export `138 7101 2233`. Each import stored its own spelling over the other's, so
 * every re-import reported those customers "updated", and a search for the 11 digits the customer
 * reads out found nobody whose number had spaces or +86. A mainland mobile is now stored as its 11
 * digits, from every import and the API; other numbers stay as written.
 */
describe('a mainland mobile number, however a file writes it', () => {
  it('is stored as its 11 digits; a landline or a Hong Kong number is kept as written', () => {
    for (const s of ['+86 139 1234 5678', '+8613912345678', '0086-139-1234-5678', '86 13912345678', '139 1234 5678', '139-1234-5678', '(139) 1234 5678', '13912345678']) expect(storedPhone(s)).toBe('13912345678');
    for (const s of ['0571-8888 8888', '+852 9123 4567', '12345', '+86 139 1234 567', 'ask at the door']) expect(storedPhone(s)).toBe(s);
  });

  it('makes the customer list and the seller-center export agree: the second import changes nobody, and the export shows the 11 digits', async () => {
    const { target, drop } = await freshTarget('sqlite', { migrated: true });
    try {
      const dir = tempDir('rekindle-phones-');
      const rules = tempDir('rekindle-phones-rules-');
      writeFileSync(join(dir, 'customers.csv'), 'externalId,name,phone,province,city\n云南普洱迷,杨光,+8613871012233,云南,昆明\n小鹿乱撞2019,陈晓露,136 1234 5670,广东,广州\nhk_visitor,何家明,+852 9123 4567,香港,香港\n');
      const header = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题';
      const rows = [
        '="2026111812340001",云南普洱迷,158.00,交易成功,杨光,云南省 昆明市 五华区,138 7101 2233,2026-11-18 18:08:44,2026-11-18 18:23:41,铁观音 浓香型 500g',
        '="2026083012340002",小鹿乱撞2019,560.00,交易成功,陈晓露,广东省 广州市 天河区,\'13612345670,2026-08-30 10:36:00,2026-08-30 10:51:46,手工紫砂壶 西施壶',
        '="2026071812340003",hk_visitor,128.00,交易成功,何家明,香港特别行政区 香港 九龙,+852 9123 4567,2026-07-18 20:00:00,2026-07-18 20:31:31,福鼎白茶 寿眉 饼茶',
      ];
      writeFileSync(join(dir, 'export.csv'), iconv.encode([header, ...rows].join('\r\n') + '\r\n', 'gbk'));
      const run = (...args: string[]) => cli(['--db', target.url, '--rules', rules, '--json', ...args]);
      expect(JSON.parse((await run('import', 'customers', join(dir, 'customers.csv'))).stdout)).toMatchObject({ created: 3, failed: 0 });
      const taobao = JSON.parse((await run('import', 'taobao', join(dir, 'export.csv'))).stdout);
      expect(taobao.customers).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
      expect(JSON.parse((await run('import', 'customers', join(dir, 'customers.csv'))).stdout)).toMatchObject({ updated: 0, unchanged: 3 });
      expect((await cli(['--db', target.url, '--rules', rules, 'export', 'customers', '--out', join(dir, 'out.csv')])).code).toBe(0);
      const phones = readFileSync(join(dir, 'out.csv'), 'utf8').split('\n').slice(1).filter(Boolean).map((l) => l.split(',').slice(0, 3).join(','));
      expect(phones.sort()).toEqual(["hk_visitor,何家明,'+852 9123 4567", '云南普洱迷,杨光,13871012233', '小鹿乱撞2019,陈晓露,13612345670'].sort());
    } finally {
      await drop();
    }
  }, 60_000);
});
