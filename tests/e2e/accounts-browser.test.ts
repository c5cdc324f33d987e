/**
 * The 账号 page (designer/src/ui/Accounts.tsx): an admin opens it from the session bar, adds an
 * account (its one-time password shown once), changes a role, disables an account (asked to
 * confirm) — whose session the server then refuses — and is told in Chinese why the last enabled
 * admin cannot be disabled. Other roles have no 账号 button.
 * Headless chromium through playwright-core against the real server (tests/support/designer-browser.ts).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');

describe('the designer: the 账号 page', () => {
  const d = designerInBrowser({ name: 'accounts', clock: () => new VirtualClock(T0), viewport: { width: 1366, height: 768 } });
  const { errors, textOf, api, signIn, signOut } = d;
  let page: Page;
  beforeAll(() => void ({ page } = d.session()));

  const row = (username: string) => page.getByTestId('accounts').locator(`[data-testid="account-row"][data-username="${username}"]`);

  it('is not offered to a marketer or an analyst', async () => {
    await signIn('analyst');
    await page.getByTestId('open-password').waitFor();
    expect(await page.getByTestId('open-accounts').count()).toBe(0);
    await signOut();
    await signIn('marketer');
    await page.getByTestId('open-password').waitFor();
    expect(await page.getByTestId('open-accounts').count()).toBe(0);
    await signOut();
    expect(errors).toEqual([]);
  }, 60_000);

  it('an admin adds an account, changes a role and disables an account; the last enabled admin is kept', async () => {
    await signIn('admin');
    await page.getByTestId('open-accounts').click();
    const dialog = page.getByTestId('accounts');
    await textOf(dialog.locator('h2'), '账号');
    await row('analyst').waitFor();
    expect(await row('analyst').getByTestId('account-contacts').isChecked()).toBe(false);

    // Add: the generated password, once.
    await dialog.getByTestId('account-add-username').fill('zhao.wei');
    await dialog.getByTestId('account-add-role').selectOption('analyst');
    await dialog.getByTestId('account-add-submit').click();
    await textOf(dialog.getByTestId('account-password'), 'zhao.wei 的一次性密码（只显示这一次）');
    const password = (await dialog.getByTestId('account-password-value').textContent()) ?? '';
    expect(password).toMatch(/^[A-Za-z0-9]{19}$/);
    await textOf(dialog.getByTestId('account-password'), '对方用它登录后必须立即设置自己的密码');
    await row('zhao.wei').waitFor();
    await dialog.getByTestId('account-password-done').click();
    expect(await dialog.getByTestId('account-password').count()).toBe(0);

    // Change a role: the analyst becomes a marketer.
    await row('analyst').getByTestId('account-role').selectOption('marketer');
    await d.until(async () => (await row('analyst').getByTestId('account-role').inputValue()) === 'marketer' && (await row('analyst').getByTestId('account-contacts').count()) === 0, 'the analyst listed as a marketer');
    const me = await api('GET', '/api/auth/me', undefined, 'analyst');
    expect(((await me.json()) as { user: { role: string } }).user.role).toBe('marketer');

    // Disable the marketer: asked first, then refused at once.
    await row('marketer').getByTestId('account-disable').click();
    await textOf(row('marketer').getByTestId('account-confirm'), '停用 marketer？它的登录会话立即结束');
    await page.screenshot({ path: join(SHOTS, 'accounts-confirm-disable.png') });
    await row('marketer').getByTestId('account-confirm-yes').click();
    await textOf(row('marketer').getByTestId('account-status'), '已停用');
    expect(await row('marketer').getAttribute('data-disabled')).toBe('true');
    expect((await api('GET', '/api/flows', undefined, 'marketer')).status).toBe(401);
    await row('marketer').getByTestId('account-enable').waitFor();

    // The last enabled admin: refused, said in Chinese.
    await row('admin').getByTestId('account-disable').click();
    await row('admin').getByTestId('account-confirm-yes').click();
    await textOf(dialog.getByTestId('accounts-error'), 'admin 是最后一个启用的管理员：停用后将没有能登录的管理员');
    await page.screenshot({ path: join(SHOTS, 'accounts.png') });
    expect(await row('admin').getAttribute('data-disabled')).toBe('false');
    expect(errors.filter((e) => !/^409 .*\/api\/users\/admin$/.test(e))).toEqual([]);
  }, 90_000);
});
