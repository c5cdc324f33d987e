/**
 * The walkthrough: `rekindle simulate new-product-launch --copy-of <shop> --db <copy>`, then the
 * server started on the copy. The journeys home showed the simulation's figures (模拟数据，截至 …),
 * but the journey's canvas showed no number on any card and its 实时数据 was greyed out: the journey
 * was never published in the live shop, and GET /api/flows/:id/counts read the flow's own id, where
 * the copy keeps the simulation under `<id>~simulated` (runtime/simulated-flow.ts). The counts and
 * the flows list now read a simulation's copy as the home, the funnel, the sends and the A/B report
 * already did. And the server on the copy sends nothing and moves no journey (runtime/simulation-copy-hold.ts):
 * the designer says so over every view, 这是模拟副本：不会发送任何消息，旅程不会继续. Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the copy is made as `rekindle simulate --copy-of` makes it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { MS_PER_DAY, MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { flowFunnel } from '../../server/src/persistence/flow-report.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { publishSimulatedFlow } from '../../server/src/runtime/simulated-flow.js';
import { designerInBrowser } from '../support/designer-browser.js';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { markSimulationCopy } from '../../server/src/persistence/simulation-copy-mark.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2027-04-19T12:00:00+08:00');
const FROM = Date.parse('2027-04-20T00:00:00+08:00');
const ID = 'new-product-launch';

describe("a journey's page on a server opened on a simulation's copy", () => {
  const errors: string[] = [];
  let entered = 0;
  // What `rekindle simulate new-product-launch --copy-of shop.sqlite --db copy.sqlite` leaves in the
  // copy, the mark included, before the server starts on it (it decides then that it sends nothing).
  const fillCopy = async (target: DatabaseTarget, rulesDir: string) => {
    const ds = await openDatabase(target);
    try {
      const workspace = openWorkspace(rulesDir);
      const tz = workspace.shop.timezone;
      await bulkWriteShop(ds, generateDemoShop({ customers: 400, seed: 7, now: NOW, timezone: tz }), { timezone: tz, now: NOW });
      await markSimulationCopy(ds, { flowId: ID, from: FROM, to: FROM + 2 * MS_PER_DAY }, NOW);
      const clock = new VirtualClock(FROM);
      const rt = createEngineRuntime(ds, workspace, clock);
      const { flow } = loadValidFlow(workspace.rulesDir, ID, rt.rules);
      const { flowId } = await publishSimulatedFlow(ds, rt.flows, flow, 'simulate', FROM);
      await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: FROM + 2 * MS_PER_DAY, step: MS_PER_HOUR });
      entered = (await flowFunnel(ds, flowId, flow.nodes.map((n) => ({ id: n.id, type: n.type })))).nodes.find((n) => n.nodeId === 'start')!.entered;
    } finally {
      await ds.destroy();
    }
  };
  const d = designerInBrowser({ name: 'simulation-copy', clock: () => new VirtualClock(NOW), errors, viewport: { width: 1366, height: 768 }, database: fillCopy });
  const { textOf, node, signOut } = d;
  let page: Page;

  beforeAll(async () => {
    page = d.session().page;
    expect(entered).toBeGreaterThan(0);
  }, 180_000);

  it('says over the page that this is a simulation\'s copy: nothing is sent, no journey moves on (这是模拟副本)', async () => {
    await d.signedIn();
    await textOf(page.getByTestId('simulation-copy'), '这是模拟副本（new-product-launch，2027/04/20 – 2027/04/22）：不会发送任何消息，旅程不会继续，也不能发布、暂停或停止旅程（草稿可以照常编辑）。');
    // Over every view: the journey's page too.
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('start').waitFor();
    await textOf(page.getByTestId('simulation-copy'), '这是模拟副本');
    expect(errors).toEqual([]);
  }, 120_000);

  it("shows the simulation's numbers on the canvas's cards, said to be the simulation's, as the home shows them (实时数据 was greyed out, the cards had none)", async () => {
    await d.signedIn();
    await textOf(page.getByTestId('home-simulated'), '模拟数据，截至');
    await page.goto(`${d.session().base}/#/flows/${ID}`);
    await node('start').waitFor();
    const live = page.getByTestId('live-counts');
    expect(await live.isDisabled()).toBe(false);
    await live.click();
    await textOf(page.getByTestId('counts-note'), '画布上是模拟数据，截至 2027/04/20 10:00（店铺时间）');
    expect(await page.getByTestId('counts-note').textContent()).not.toContain('实时数字');
    await textOf(page.getByTestId('counts-start'), `进入 ${entered}`);
    // A send step's responses by group read the simulation too (they were not offered: never published).
    await page.locator('.react-flow__controls-fitview').click();
    await d.viewSettled();
    await d.select('early-sms');
    await page.getByTestId('group-response').waitFor();
    expect(errors).toEqual([]);
  }, 120_000);

  it("refuses saving the 触达规则 there and says why as it is: the rules folder is the live shop's own, so saving would change the live shop (not 正式店铺不会有任何变化)", async () => {
    const policyFile = join(d.rules, 'policy.yaml');
    const before = readFileSync(policyFile, 'utf8');
    await page.goto(`${d.session().base}/`);
    await page.getByTestId('sign-in-username').or(page.getByTestId('session-user')).first().waitFor();
    if (!(await page.getByTestId('session-user').textContent())?.includes('admin')) {
      if (await page.getByTestId('session-user').isVisible()) {
        await signOut();
      }
      await d.signIn('admin');
    }
    await page.goto(`${d.session().base}/#/policy`);
    await page.getByTestId('cap-max-0').waitFor();
    await page.getByTestId('cap-max-0').fill('9');
    await page.getByTestId('policy-save').click();
    const said = await textOf(page.getByTestId('policy-status'), /^没有保存：这是模拟副本，副本只复制了数据库。/);
    expect(said).toBe('没有保存：这是模拟副本，副本只复制了数据库。触达规则、屏蔽名单和人群是店铺自己的规则文件，在这里保存会直接改掉正式店铺正在用的文件，而不是副本的。请到正式店铺的服务器上修改；旅程草稿可以照常编辑');
    expect(said).not.toContain('不会有任何变化');
    // The edit stays on the page; the live shop's file is as it was.
    expect(await page.getByTestId('cap-max-0').inputValue()).toBe('9');
    expect(readFileSync(policyFile, 'utf8')).toBe(before);
    expect(errors.splice(0)).toEqual([expect.stringMatching(/^409 .*\/api\/policy$/)]);
  }, 120_000);
});
