/**
 * Editing a saved 人群 in place, as a marketer does it: on a live journey's entry step, 编辑 opens
 * the audience builder on the audience's conditions; saving names the live journey it changes and
 * asks first; once confirmed the file is changed and the size under the picker is the new one. A
 * save over someone else's newer one is refused in words, with 重新载入. A condition step's saved
 * audience offers the same 编辑. With publish approval on, a marketer is told up front that only an
 * admin may change an audience a live journey uses, and offered no save — also when the journey
 * went live after the page loaded (编辑 reads the audience again first). Headless chromium through
 * playwright-core against the real server (run under the browser lock, tests/support).
 */
import { appendFileSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import type { Flow } from '../../server/src/core/flow/schema.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');

describe('the designer: editing a saved 人群 in place', () => {
  const d = designerInBrowser({
    name: 'segment-edit',
    clock: () => new VirtualClock(T0),
    timeout: 30_000,
    failureShot: 'segment-edit-failure.png',
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'segments', 'west.yaml'), 'name: west\ntitle: 西部顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 新疆\n');
      writeFileSync(join(dir, 'segments', 'east.yaml'), 'name: east\ntitle: 东部顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 浙江\n');
      writeFileSync(
        join(dir, 'flows', 'west-hello.flow.yaml'),
        ['id: west-hello', 'name: 西部问候', 'nodes:', '  - id: start', '    type: entry', '    trigger: { type: schedule, segment: west, every: day }', '    next: check', '  - id: check', '    type: condition', '    rule: east', '    yes: hello', '    no: done', '  - id: hello', '    type: send', '    channel: sms', '    template: "{{customer.name}}，好久不见 退订回T"', '    next: done', '  - id: done', '    type: exit', ''].join('\n'),
      );
    },
  });
  const { errors, textOf, signedIn, inspector, select, viewSettled } = d;
  let page: Page;
  let base: string;
  beforeAll(async () => {
    ({ page, base } = d.session());
    await addCustomers(d.session().server.app.get(DataSource), [{ externalId: 'west-1', province: '新疆' }, { externalId: 'east-1', province: '浙江' }, { externalId: 'east-2', province: '浙江' }], T0 - 86_400_000);
    const pub = await d.api('POST', '/api/flows/west-hello/publish', {}, 'marketer');
    expect(pub.status).toBe(200);
  });

  const openEntry = async () => {
    await signedIn();
    await page.goto(`${base}/#/flows/west-hello`);
    await viewSettled();
    await select('start');
    return inspector('start').locator('[data-field="trigger.segment"]');
  };

  it('edits the condition of the live journey\'s audience: names the journey, asks, saves, and shows the new size', async () => {
    const where = await openEntry();
    await textOf(where.getByTestId('segment-count'), '现在约 1 位顾客');
    await where.getByTestId('audience-edit').click();
    const form = where.getByTestId('inline-audience');
    await textOf(form.locator('legend'), /^编辑人群「西部顾客」/);
    expect(await form.getByTestId('audience-name').inputValue()).toBe('西部顾客');
    const row = form.getByTestId('rule-row').first();
    expect(await row.getByTestId('rule-value').inputValue()).toBe('新疆');
    await row.getByTestId('rule-value').selectOption('浙江');
    await textOf(form.getByTestId('rule-count'), /匹配 2 \/ 3 位顾客/);
    await form.getByTestId('audience-save').click();
    // Asked first, naming the live journey and what changes for it.
    const confirm = form.getByTestId('audience-edit-confirm');
    await textOf(confirm, /正在运行的旅程「西部问候」（谁能进入）在用这个人群。保存后，从它们的下一次运行起就按新条件决定/);
    expect(readFileSync(join(d.rules, 'segments', 'west.yaml'), 'utf8')).toContain('value: 新疆');
    // Said in Chinese only (the journey's name is Chinese here): no English word left untranslated.
    for (const text of [await confirm.innerText(), await form.locator('legend').innerText(), await where.getByTestId('segment-how-to-change').innerText()]) expect(text).not.toMatch(/[A-Za-z]/);
    await page.screenshot({ path: join(SHOTS, 'segment-edit-confirm.png') });
    await confirm.getByTestId('audience-edit-confirm-save').click();
    await textOf(where.getByTestId('audience-saved'), /^已修改人群「西部顾客」。 正在运行的旅程「西部问候」/);
    await textOf(where.getByTestId('segment-count'), '现在约 2 位顾客');
    await textOf(where.getByTestId('segment-rule'), /^条件：省份 = 浙江/);
    expect(readFileSync(join(d.rules, 'segments', 'west.yaml'), 'utf8')).toBe('name: west\ntitle: 西部顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 浙江\n');
    await page.screenshot({ path: join(SHOTS, 'segment-edit-saved.png') });
    expect(errors).toEqual([]);
  });

  it('says in words that someone else saved it in between, and reloads their conditions to edit again', async () => {
    const where = await openEntry();
    await where.getByTestId('audience-edit').click();
    const form = where.getByTestId('inline-audience');
    // Someone else saves it meanwhile (their revision is read from the list, as the designer does).
    const list = (await (await d.api('GET', '/api/segments')).json()) as { rules: { name: string; revision: string }[] };
    const theirs = { name: '西部顾客', conditions: { all: [{ fact: 'province', operator: 'equal', value: '上海' }] }, revision: list.rules.find((r) => r.name === 'west')!.revision };
    expect((await d.api('PUT', '/api/segments/west', theirs, 'admin')).status).toBe(200);
    const text = readFileSync(join(d.rules, 'segments', 'west.yaml'), 'utf8');
    await form.getByTestId('rule-row').first().getByTestId('rule-value').selectOption('新疆');
    await form.getByTestId('audience-save').click();
    await form.getByTestId('audience-edit-confirm').getByTestId('audience-edit-confirm-save').click();
    await textOf(form.getByTestId('audience-error'), /^没有保存：你打开这个人群之后，别人已经保存过它/);
    expect(readFileSync(join(d.rules, 'segments', 'west.yaml'), 'utf8')).toBe(text);
    await page.screenshot({ path: join(SHOTS, 'segment-edit-conflict.png') });
    await form.getByTestId('audience-edit-reload').click();
    await d.until(async () => (await form.getByTestId('rule-row').first().getByTestId('rule-value').inputValue()) === '上海', 'the reloaded conditions');
    expect(await form.getByTestId('audience-error').count()).toBe(0);
    // The 409 above is the point; nothing else may have failed.
    expect(errors.filter((e) => !/409/.test(e))).toEqual([]);
    errors.splice(0, errors.length);
  });
  it('offers the same 编辑 on a condition step\'s saved audience: opens the editor on its rule and saves it', async () => {
    await openEntry();
    await select('check');
    const where = inspector('check').locator('[data-field="rule"]');
    // 编辑 alone: a new audience or a copy is built on the entry step.
    expect(await where.getByTestId('audience-build').count()).toBe(0);
    expect(await where.getByTestId('audience-copy').count()).toBe(0);
    await where.getByTestId('audience-edit').click();
    const form = where.getByTestId('inline-audience');
    await textOf(form.locator('legend'), /^编辑人群「东部顾客」/);
    const row = form.getByTestId('rule-row').first();
    expect(await row.getByTestId('rule-value').inputValue()).toBe('浙江');
    await row.getByTestId('rule-value').selectOption('上海');
    await form.getByTestId('audience-save').click();
    await textOf(form.getByTestId('audience-edit-confirm'), /正在运行的旅程「西部问候」（顾客走哪条分支）在用这个人群/);
    await form.getByTestId('audience-edit-confirm-save').click();
    await textOf(where.getByTestId('audience-saved'), /^已修改人群「东部顾客」/);
    expect(readFileSync(join(d.rules, 'segments', 'east.yaml'), 'utf8')).toContain('value: 上海');
    await page.screenshot({ path: join(SHOTS, 'segment-edit-condition-step.png') });
    expect(errors).toEqual([]);
  });
});

describe('the designer: a 人群 a live journey uses, with publish approval on', () => {
  const north = { id: 'north-hello', name: '北部问候', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'north', every: 'day' }, next: 'done' }, { id: 'done', type: 'exit' }] };
  const flow = { id: 'west-hello', name: '西部问候', nodes: [{ id: 'start', type: 'entry', trigger: { type: 'schedule', segment: 'west', every: 'day' }, next: 'check' }, { id: 'check', type: 'condition', rule: 'west', yes: 'done', no: 'done' }, { id: 'done', type: 'exit' }] };
  const d = designerInBrowser({
    name: 'segment-edit-approval',
    clock: () => new VirtualClock(T0),
    timeout: 30_000,
    failureShot: 'segment-edit-approval-failure.png',
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      appendFileSync(join(dir, 'shop.yaml'), '\napproval:\n  publish: true\n');
      writeFileSync(join(dir, 'flows', 'west-hello.flow.yaml'), JSON.stringify(flow)); // JSON is YAML
      writeFileSync(join(dir, 'segments', 'west.yaml'), 'name: west\ntitle: 西部顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 新疆\n');
      // Not live when the page loads: it goes live while the marketer looks at it.
      writeFileSync(join(dir, 'flows', 'north-hello.flow.yaml'), JSON.stringify(north));
      writeFileSync(join(dir, 'segments', 'north.yaml'), 'name: north\ntitle: 北部顾客\nconditions:\n  all:\n    - fact: province\n      operator: equal\n      value: 黑龙江\n');
    },
  });
  const { errors, textOf, signedIn, inspector, select, viewSettled } = d;
  beforeAll(async () => {
    // Live already (approved before): what approval guards is a change to who enters it.
    await new FlowRepository(d.session().server.app.get(DataSource)).publish(flow as unknown as Flow, 'admin', T0);
  });

  it('tells a marketer before any edit that only an admin may change it, and offers no save, on the entry and the condition step', async () => {
    const page = d.session().page;
    await signedIn('marketer');
    await page.goto(`${d.session().base}/#/flows/west-hello`);
    await viewSettled();
    for (const [step, field] of [['start', 'trigger.segment'], ['check', 'rule']] as const) {
      await select(step);
      const where = inspector(step).locator(`[data-field="${field}"]`);
      await textOf(where.getByTestId('audience-edit-needs-admin'), '只有管理员可以修改这个人群：本店开启了发布审批，而正在运行的旅程「西部问候」在用它，改它就等于不经审批改变这些旅程。请找管理员修改。');
      expect(await where.getByTestId('audience-edit').count()).toBe(0);
      expect(await where.getByTestId('audience-save').count()).toBe(0);
    }
    // A copy to change for this journey only is still offered on the entry step.
    await select('start');
    const entry = inspector('start').locator('[data-field="trigger.segment"]');
    await entry.getByTestId('audience-copy').waitFor();
    await textOf(entry.getByTestId('segment-how-to-change'), /^只想让这一步换条件：点下面的「以…为起点新建」/);
    await page.screenshot({ path: join(SHOTS, 'segment-edit-needs-admin.png') });
    expect(errors).toEqual([]);
  });

  it('reads the 人群 again at 编辑: a journey that went live on it after the page loaded makes it the admin notice, not an editor whose save is refused', async () => {
    const page = d.session().page;
    await signedIn('marketer');
    await page.goto(`${d.session().base}/#/flows/north-hello`);
    await viewSettled();
    await select('start');
    const where = inspector('start').locator('[data-field="trigger.segment"]');
    // Nothing live uses it yet: 编辑 is offered.
    await where.getByTestId('audience-edit').waitFor();
    expect(await where.getByTestId('audience-edit-needs-admin').count()).toBe(0);
    // Meanwhile the journey goes live (approved elsewhere).
    await new FlowRepository(d.session().server.app.get(DataSource)).publish(north as unknown as Flow, 'admin', T0);
    await where.getByTestId('audience-edit').click();
    await textOf(where.getByTestId('audience-edit-needs-admin'), '只有管理员可以修改这个人群：本店开启了发布审批，而正在运行的旅程「北部问候」在用它，改它就等于不经审批改变这些旅程。请找管理员修改。');
    expect(await where.getByTestId('inline-audience').count()).toBe(0);
    expect(await where.getByTestId('audience-edit').count()).toBe(0);
    expect(errors).toEqual([]);
  });
});
