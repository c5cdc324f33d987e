/**
 * The contact-rules page (联系规则) named each 屏蔽名单 by its file's id (bad-reviews), where a person
 * expects a name. A list now carries a title (its `# title:` line, core/policy/list-title.ts;
 * GET /api/policy's blockLists): the page says it in the suppression line and offers it in the
 * choices, the id small beside it; a list from before titles is said as 未命名名单（its id）.
 * Headless chromium through playwright-core against the real server (run under
 * flock /work/wt/browser.lock); the case sets up what it needs.
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser } from '../support/designer-browser.js';

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
  const { textOf } = d;
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
});
