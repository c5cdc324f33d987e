/**
 * 导入淘宝/天猫订单 on the customers page, in headless chromium (run under flock /work/wt/browser.lock):
 * an admin picks the seller-center export as downloaded (GBK bytes) and reads what came in and the
 * refused row by its line in the file; the customers are then found. A marketer is not offered it
 * (the API refuses them too); a file that is no order export is refused in words, importing nothing.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import iconv from 'iconv-lite';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const FIXTURE = join(process.cwd(), 'tests/fixtures/taobao/orders-export-gbk.csv');

describe('the designer: a Taobao export imported from the customers page', () => {
  const d = designerInBrowser({ name: 'taobao-import', clock: () => new VirtualClock(T0) });
  const { errors, textOf, signIn, signedIn } = d;
  let page: Page;
  beforeAll(() => {
    ({ page } = d.session());
  });

  it('is not offered to a marketer', async () => {
    await signedIn('marketer');
    await page.getByTestId('tab-customers').click();
    await page.getByTestId('customer-search').waitFor();
    expect(await page.getByTestId('taobao-import').count()).toBe(0);
  });

  it('imports the GBK export for an admin: what came in, the refused row by its line, the buyers found', async () => {
    await page.context().clearCookies();
    await signIn('admin');
    await page.getByTestId('tab-customers').click();
    await page.getByTestId('taobao-file').setInputFiles(FIXTURE);
    await textOf(page.getByTestId('taobao-summary'), '「orders-export-gbk.csv」已导入：顾客新增 3、更新 0、未变 0；订单新增 5、更新 0、未变 0；1 行没有导入（见下）');
    await textOf(page.getByTestId('taobao-errors'), '第 7 行 · 买家会员名：不能为空');
    await page.screenshot({ path: join(SHOTS, 'taobao-import.png') });
    await page.getByTestId('customer-search').fill('小红帽2020');
    await page.getByTestId('customer-search').press('Enter');
    await textOf(page.locator('.customer-list'), '小红帽2020 · 王芳');
  });

  it('shows how much of a large export is uploaded, then that it is being imported, then what came in', async () => {
    // 20,000 orders (~3 MB of GBK) over a line throttled to 1 MB/s: the page counts the upload up.
    const header = '订单编号,买家会员名,买家实际支付金额,订单状态,收货人姓名,收货地址,联系手机,订单创建时间,订单付款时间,宝贝标题,宝贝种类,宝贝总数量,店铺优惠券,订单备注';
    const rows = Array.from({ length: 20_000 }, (_, i) => `${2026110100000000 + i},买家${i % 500},59.00,交易成功,张三,浙江省 杭州市 西湖区 文三路1号,13800000000,2026-11-01 10:00:00,2026-11-01 10:01:00,纯棉短袖T恤 ${'款'.repeat(40)},,1,,`);
    const big = join(tempDir('rekindle-taobao-browser-'), 'ExportOrderList.csv');
    writeFileSync(big, iconv.encode([header, ...rows].join('\r\n') + '\r\n', 'gb18030'));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 1_000_000 });
    try {
      await page.getByTestId('taobao-file').setInputFiles(big);
      await textOf(page.getByTestId('taobao-busy'), /^正在上传「ExportOrderList\.csv」… [1-9]\d?%（\d+\.\d \/ \d\.\d MB）$/);
      await page.screenshot({ path: join(SHOTS, 'taobao-upload-progress.png') });
      // The import itself (20,000 orders) took over 15 s on a loaded 2-core machine (CI run, 6 Dec 2026): the
      // page says 正在导入 the whole time, so a longer wait tests the same thing.
      await textOf(page.getByTestId('taobao-summary'), /^「ExportOrderList\.csv」已导入：顾客新增 500、更新 0、未变 0；订单新增 20000、/, 60_000);
    } finally {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await cdp.detach();
    }
    expect(await page.getByTestId('taobao-busy').count()).toBe(0);
  }, 120_000);

  it('refuses a file that is no order export in words, importing nothing', async () => {
    const other = join(tempDir('rekindle-taobao-browser-'), '顾客名单.csv');
    writeFileSync(other, iconv.encode('externalId,name\nc9,赵六\n', 'gb18030'));
    await page.getByTestId('taobao-file').setInputFiles(other);
    await textOf(page.getByTestId('taobao-failed'), /^「顾客名单\.csv」没有导入：这不是淘宝\/天猫卖家中心的订单导出：缺少列 订单编号、买家会员名、/);
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
  });
});
