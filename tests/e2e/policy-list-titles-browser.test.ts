/**
 * The contact-rules page (联系规则) named each 屏蔽名单 by its file's id (bad-reviews), where a person
 * expects a name. A list now carries a title (its `# title:` line, core/policy/list-title.ts;
 * GET /api/policy's blockLists): the page says it in the suppression line and offers it in the
 * choices, the id small beside it; a list from before titles is said as 未命名名单（its id）. An admin
 * names a list there too (起名称 / 改名称 beside it); a marketer only reads the titles.
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the case sets up what it needs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2027-03-02T10:00:00+08:00');

describe('block lists by their titles on the contact-rules page', () => {
  const errors: string[] = [];
  const d = designerInBrowser({
    name: 'list-titles',
    clock: () => new VirtualClock(T0),
    errors,
    viewport: { width: 1366, height: 900 },
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'lists', 'bad-reviews.txt'), '# title: 差评顾客\nc000003\n');
      writeFileSync(join(dir, 'lists', 'phone-reminded.txt'), 'c000001\n'); // from before titles
      const policy = join(dir, 'policy.yaml');
      writeFileSync(policy, readFileSync(policy, 'utf8').replace('lists: [do-not-contact]', 'lists: [do-not-contact, bad-reviews, phone-reminded]'));
    },
  });
  const { textOf, signOut } = d;
  let page: Page;
  beforeAll(() => void (page = d.session().page));

  it('says and offers each list by its title, the id small beside it; an untitled one as 未命名名单 with its id', async () => {
    await d.signedIn('admin');
    await page.getByTestId('tab-policy').click();
    const said = page.getByTestId('policy-suppression');
    await textOf(said, '屏蔽名单（名单里的顾客收不到营销）：要求不再联系的顾客、差评顾客、未命名名单（phone-reminded）');
    expect(await said.locator('.policy-name', { hasText: '差评顾客' }).getAttribute('title')).toBe('rules/lists/bad-reviews.txt');
    const choices = page.getByTestId('choices-suppression-lists');
    const choice = (name: string) => choices.locator('label', { has: page.locator(`input[value="${name}"]`) });
    await textOf(choice('bad-reviews'), '差评顾客');
    expect(await choice('bad-reviews').locator('.choice-detail').textContent()).toBe('bad-reviews');
    expect(await choice('do-not-contact').textContent()).toMatch(/要求不再联系的顾客\s*do-not-contact/);
    expect(await choice('phone-reminded').textContent()).toMatch(/未命名名单\s*phone-reminded/);
    // Unticked by its title, saved by its name.
    await choice('bad-reviews').locator('input').uncheck();
    await textOf(said, '屏蔽名单（名单里的顾客收不到营销）：要求不再联系的顾客、未命名名单（phone-reminded）');
    expect(errors).toEqual([]);
  }, 120_000);

  it('lets an admin name a list beside it (起名称 / 改名称), the rule said first and a refusal naming the field; after a reload the title is everywhere; a marketer sees no edit', async () => {
    // The case above left a list unticked and unsaved: put the draft back, so leaving the page asks nothing.
    const discard = page.getByTestId('policy-discard');
    if ((await discard.isVisible()) && (await discard.isEnabled())) await discard.click();
    await d.signedIn('admin');
    await page.getByTestId('tab-policy').click();
    const row = page.getByTestId('list-title-phone-reminded');
    await textOf(row, /未命名名单（phone-reminded）\s*起名称/);
    await textOf(page.getByTestId('list-title-bad-reviews'), /差评顾客\s*bad-reviews\s*改名称/);
    await row.getByTestId('list-title-edit-phone-reminded').click();
    // The rule is said before anything is saved.
    await textOf(row.getByTestId('list-title-rule'), /名单名称：1–60 个字，一行/);
    const input = row.getByTestId('list-title-input');
    const problem = row.getByTestId('list-title-problem');
    // Checked as the server checks it, naming the field, before the round trip.
    await input.fill('   ');
    await row.getByTestId('list-title-save').click();
    await textOf(problem, '「名单名称」不能为空');
    await input.fill('差'.repeat(61));
    await row.getByTestId('list-title-save').click();
    await textOf(problem, '「名单名称」最多 60 个字（现在 61 个）');
    // What the server itself refuses is said in the same words: the title sent swapped for an empty one on the way.
    await page.route('**/api/policy/lists/phone-reminded', (r) => r.continue({ postData: JSON.stringify({ title: ' ' }) }), { times: 1 });
    await input.fill('电话回访过的顾客');
    await row.getByTestId('list-title-save').click();
    await textOf(problem, '「名单名称」不能为空');
    expect(errors.splice(0)).toEqual([expect.stringMatching(/^400 .*\/api\/policy\/lists\/phone-reminded$/)]);
    expect(readFileSync(join(d.rules, 'lists', 'phone-reminded.txt'), 'utf8')).toBe('c000001\n');
    // Saved through the PUT: the title line in the list file, its customer ids unchanged.
    await row.getByTestId('list-title-save').click();
    await textOf(row, /电话回访过的顾客\s*phone-reminded\s*改名称/);
    expect(readFileSync(join(d.rules, 'lists', 'phone-reminded.txt'), 'utf8')).toBe('# title: 电话回访过的顾客\nc000001\n');
    const said = page.getByTestId('policy-suppression');
    const choice = page.getByTestId('choices-suppression-lists').locator('label', { has: page.locator('input[value="phone-reminded"]') });
    await textOf(said, /电话回访过的顾客/);
    // After a reload, everywhere on the page: the suppression line, the choices, the list's own row.
    await page.reload();
    await page.getByTestId('tab-policy').click();
    await textOf(said, '屏蔽名单（名单里的顾客收不到营销）：要求不再联系的顾客、差评顾客、电话回访过的顾客');
    expect(await said.locator('.policy-name', { hasText: '电话回访过的顾客' }).getAttribute('title')).toBe('rules/lists/phone-reminded.txt');
    await textOf(choice, /电话回访过的顾客\s*phone-reminded/);
    await textOf(row, /电话回访过的顾客\s*phone-reminded\s*改名称/);
    await expect(page.locator('body').textContent()).resolves.not.toContain('未命名名单（phone-reminded）');
    await page.getByTestId('list-titles').screenshot({ path: join(SHOTS, 'policy-list-titles.png') });
    // The section speaks Chinese: no English word outside the lists' ids.
    const words = await page.evaluate<string>(`(() => {
      const copy = document.querySelector('[data-testid="list-titles"]').cloneNode(true);
      copy.querySelectorAll('[data-content]').forEach((n) => n.remove());
      return copy.textContent;
    })()`);
    expect(words.match(/[A-Za-z]+/g)).toBeNull();

    // A marketer reads the titles but is offered no edit (and the server refuses one: policy-list-titles-api.test.ts).
    await signOut();
    await d.signIn('marketer');
    await page.getByTestId('tab-policy').click();
    await textOf(said, '屏蔽名单（名单里的顾客收不到营销）：要求不再联系的顾客、差评顾客、电话回访过的顾客');
    expect(await page.getByTestId('list-titles').count()).toBe(0);
    expect(await page.locator('[data-testid^="list-title-edit-"]').count()).toBe(0);
    expect(await page.getByText('改名称').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 120_000);
});
