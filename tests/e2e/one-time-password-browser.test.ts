/**
 * Signed in with a password Rekindle generated and printed, a person sees only the form to set
 * their own (the server refuses everything else: tests/security/one-time-password.test.ts), with
 * a line saying why and a way to sign out; once set, they sign in again with it and work as before.
 * Headless chromium through playwright-core against the real server (tests/support/designer-browser.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('the designer: a one-time password', () => {
  const d = designerInBrowser({ name: 'one-time-password', clock: () => new VirtualClock(T0), viewport: { width: 1366, height: 768 } });
  const { errors, textOf, api } = d;
  let page: Page;
  let base: string;
  beforeAll(() => void ({ page, base } = d.session()));

  async function submitSignIn(username: string, password: string) {
    await page.getByTestId('sign-in-username').fill(username);
    await page.getByTestId('sign-in-password').fill(password);
    await page.getByTestId('sign-in-submit').click();
  }

  it('asks for a new password before anything else, says why, lets them sign out; the chosen one then opens the designer', async () => {
    const created = await api('POST', '/api/users', { username: 'sun.li', role: 'marketer' });
    expect(created.status).toBe(201);
    const { password } = (await created.json()) as { password: string };
    await page.goto(base + '/');
    await submitSignIn('sun.li', password);
    const dialog = page.getByTestId('password-dialog');
    await textOf(dialog.getByTestId('password-one-time'), '一次性密码');
    await page.screenshot({ path: join(SHOTS, 'one-time-password.png') });
    // Nothing of the shop behind it: no journeys list, no session bar.
    expect(await page.getByTestId('session').count()).toBe(0);
    expect(await page.getByTestId('new-journey').count()).toBe(0);
    // The other button signs out (not "cancel" into a designer whose every request is refused).
    await textOf(dialog.getByTestId('password-cancel'), '退出登录');
    await dialog.getByTestId('password-cancel').click();
    await page.getByTestId('sign-in-username').waitFor();

    await submitSignIn('sun.li', password);
    await dialog.getByTestId('password-current').fill(password);
    await dialog.getByTestId('password-new').fill('sun-li-chosen-1');
    await dialog.getByTestId('password-repeat').fill('sun-li-chosen-1');
    await dialog.getByTestId('password-submit').click();
    await textOf(page.getByTestId('sign-in-note'), '密码已修改');
    await submitSignIn('sun.li', 'sun-li-chosen-1');
    await textOf(page.getByTestId('session'), 'sun.li');
    await page.getByTestId('new-journey').waitFor();
    expect(errors).toEqual([]);
  }, 60_000);
});
