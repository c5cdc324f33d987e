/**
 * Publish approval in headless chromium (rules/shop.yaml `approval: {publish: true}`): a marketer's
 * 发布 asks (提交审批, with a note) and nothing goes live; the journeys home lists the request to
 * everyone, lets another admin approve it — then the journey runs — and shows a rejection's reason
 * to the one who asked.
 */
import { appendFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { TEST_PASSWORD } from '../support/http-app.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const FLOW = 'payment-reminder';

describe('the designer: publish approval', () => {
  const d = designerInBrowser({
    name: 'publish-approval',
    clock: () => new VirtualClock(T0),
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      appendFileSync(join(dir, 'shop.yaml'), '\napproval:\n  publish: true\n');
    },
  });
  const { api, errors, textOf, signIn, signedIn } = d;
  let page: Page;
  const flowFile = () => readFileSync(join(d.rules, 'flows', `${FLOW}.flow.yaml`), 'utf8');
  const live = async () => ((await (await api('GET', '/api/flows', undefined, 'analyst')).json()) as { id: string; currentVersion: number | null }[]).find((f) => f.id === FLOW)!.currentVersion;
  beforeAll(async () => {
    ({ page } = d.session());
    await d.session().server.accounts.add('chen.admin', 'admin', TEST_PASSWORD);
  });

  it('the marketer asks in 确认发布, with a note to the approver; nothing goes live', async () => {
    const before = flowFile();
    await signedIn('marketer');
    await page.goto(`${d.session().base}/#/flows/${FLOW}`);
    await page.getByTestId('publish').click();
    await textOf(page.getByTestId('publish-approval'), '本店发布需要审批：提交后，由另一位管理员批准才会上线');
    await textOf(page.getByTestId('publish-confirm'), '提交审批');
    await page.getByTestId('publish-note').fill('双十一前上线，短信文案已按法务意见修改');
    await page.getByTestId('publish-confirm').click();
    await page.getByTestId('publish-dialog').waitFor({ state: 'detached' });
    await textOf(page.getByTestId('message'), /已提交审批（申请 #\d+）：管理员批准后才会上线/);
    expect(await live()).toBeNull();
    expect(flowFile()).toBe(before);
    expect(errors).toEqual([]);
  });

  it('the home lists it; the marketer cannot approve, the one who asked may withdraw', async () => {
    await page.goto(`${d.session().base}/#/`);
    const req = page.getByTestId(`publish-request-${FLOW}`);
    await textOf(req, 'marketer 提交于');
    await textOf(req.getByTestId('publish-request-note'), '双十一前上线，短信文案已按法务意见修改');
    await textOf(page.getByTestId(`home-flow-${FLOW}`).getByTestId('home-pending-approval'), /待审批（申请 #\d+）/);
    // What it does in one line: who enters, how many steps, which messages.
    await textOf(req, /个步骤 · 发送步骤：/);
    expect(await req.getByTestId('publish-request-approve').isDisabled()).toBe(true);
    await textOf(req, '这是你提交的申请，需要另一位管理员批准');
    expect(await req.getByTestId('publish-request-withdraw').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'publish-approval-marketer.png') });
  });

  it('another admin approves on the home, and the journey runs', async () => {
    await page.context().clearCookies();
    await signIn('chen.admin');
    const req = page.getByTestId(`publish-request-${FLOW}`);
    await req.getByTestId('publish-request-approve').click();
    await textOf(page.getByTestId('publish-requests-said'), /已批准申请 #\d+：「.+」v1 已上线/);
    await textOf(page.getByTestId(`home-flow-${FLOW}`), '运行中');
    await d.until(async () => (await page.getByTestId(`home-flow-${FLOW}`).getByTestId('home-pending-approval').count()) === 0, 'the row no longer says 待审批');
    await textOf(page.getByTestId(`publish-decision-${FLOW}`), 'chen.admin 于');
    await textOf(page.getByTestId(`publish-decision-${FLOW}`), '批准上线 · v1');
    expect(await live()).toBe(1);
    // The draft the marketer asked from is what runs now: gone, so the row does not say 有未发布的修改.
    expect((await api('GET', `/api/flows/${FLOW}/draft`, undefined, 'marketer')).status).toBe(204);
    await page.screenshot({ path: join(SHOTS, 'publish-approval-approved.png') });
    expect(errors).toEqual([]);
  });

  it('a rejection asks for a reason, which the marketer reads on the home', async () => {
    const file = (await (await api('GET', `/api/flows/${FLOW}/file`, undefined, 'marketer')).json()) as { flow: Record<string, unknown>; layout: unknown; fileVersion: string };
    const asked = await api('POST', `/api/flows/${FLOW}/publish`, { flow: { ...file.flow, name: '催付提醒（改版）' }, layout: file.layout, ifFileVersion: file.fileVersion }, 'marketer');
    expect(asked.status).toBe(202);
    await page.reload();
    const req = page.getByTestId(`publish-request-${FLOW}`);
    // 查看改动: what the approval would put live, against the running version.
    await req.getByTestId('publish-request-changes').click();
    const changes = page.getByTestId('request-changes');
    await textOf(changes, '批准后上线的内容（与线上 v1 对比）');
    await textOf(changes.getByTestId('request-changes-table'), 'name: 催付提醒（改版）');
    await page.screenshot({ path: join(SHOTS, 'publish-approval-changes.png') });
    await changes.getByTestId('request-changes-close').click();
    await changes.waitFor({ state: 'detached' });
    await req.getByTestId('publish-request-reject').click();
    await page.getByTestId('publish-request-reject-confirm').click();
    await textOf(page.getByTestId('publish-requests-said'), '请写明驳回理由');
    await page.getByTestId('publish-request-reason').fill('短信缺少退订说明');
    await page.getByTestId('publish-request-reject-confirm').click();
    await textOf(page.getByTestId('publish-requests-said'), /已驳回申请 #\d+/);
    await page.context().clearCookies();
    await signIn('marketer');
    const decided = page.locator(`[data-testid="publish-decision-${FLOW}"][data-status="rejected"]`);
    await textOf(decided, '催付提醒（改版）');
    await textOf(decided.getByTestId('publish-decision-reason'), '短信缺少退订说明');
    expect(await live()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'publish-approval-rejected.png') });
    expect(errors).toEqual([]);
  });
});
