/**
 * A broken audience file as a marketer meets it (twenty-eighth wave): since b8f8712 the server
 * sets a segment file with a mistake aside (GET /api/segments `broken`) instead of failing every
 * segment, but the designer only left it out of the picker, so the audience just went missing and a
 * journey using it failed at publish. Now the picker lists it disabled with the cause, and the card
 * and inspector of a step using it say so before publishing. Headless chromium through
 * playwright-core against the real server (run under flock /work/wt/browser.lock).
 */
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-05T10:00:00+08:00');
const SAID = '「mobile-customers」的文件有错（第 7 行 conditions.all[0].fact），暂时不能用，请让开发同事修好';

describe('the designer: a broken audience file', () => {
  const d = designerInBrowser({
    name: 'broken-audience',
    clock: () => new VirtualClock(T0),
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      const f = join(dir, 'segments', 'mobile-customers.yaml');
      writeFileSync(f, readFileSync(f, 'utf8').replace('fact: device', 'fact: devic'));
    },
  });
  const { errors, textOf, signedIn, newJourney, node, inspector, add } = d;
  let page: Page;
  let base: string;
  beforeAll(() => void ({ page, base } = d.session()));

  it('shows the journey step that uses it, on the card and in the inspector, with the cause in Chinese', async () => {
    await signedIn();
    await page.goto(`${base}/#/flows/double11-campaign`);
    await textOf(page.getByTestId('broken-audience-is-mobile'), SAID);
    await node('is-mobile').click();
    await textOf(inspector('is-mobile').getByTestId('segment-broken'), SAID);
    await page.screenshot({ path: join(SHOTS, 'broken-audience-card.png') });
    expect(errors).toEqual([]);
  });

  it('lists it in the audience picker as not selectable, with the one that uses it', async () => {
    await signedIn();
    await newJourney('坏人群文件');
    await add('entry', 'start');
    await inspector('start').locator('select[data-variant="trigger.type"]').selectOption('schedule');
    const select = inspector('start').getByTestId('segment-picker').getByTestId('segment-select');
    const broken = select.getByTestId('segment-broken-option-mobile-customers');
    expect(await broken.textContent()).toBe('mobile-customers（文件有错，暂时不能用）');
    expect(await broken.isDisabled()).toBe(true);
    expect(await select.getByTestId('segment-broken-option-mobile-sleepers-sms').isDisabled()).toBe(true);
    // The usable ones are still offered as before.
    expect(await select.locator('option:not([disabled])').allTextContents()).toContain('沉睡唤醒候选客户（sleeping-reactivation-candidates）');
    expect(errors).toEqual([]);
  });
});
