/**
 * One account change as audit entries (core/access/account-change-entries.ts), and the 账号 page's
 * words for the server's refusals (designer/src/model/account-words.ts).
 */
import { describe, expect, it } from '@jest/globals';
import { accountChangeEntries } from '../../server/src/core/access/account-change-entries.js';
import { lastAdminMessage } from '../../server/src/persistence/accounts.js';
import { accountProblemWords, contactsWords } from '../../designer/src/model/account-words.js';
import { auditActionWords } from '../../designer/src/model/audit-words.js';

const acct = (o: Partial<{ role: 'admin' | 'marketer' | 'analyst'; disabled: boolean; contactsGranted: boolean }> = {}) => ({ username: 'li.na', role: 'marketer' as const, disabled: false, contactsGranted: false, ...o });

describe('account changes in the audit log', () => {
  it('writes one entry per thing changed, the revoked tokens with what revoked them, and nothing for no change', () => {
    expect(accountChangeEntries(acct(), acct(), [])).toEqual([]);
    expect(accountChangeEntries(acct({ role: 'admin' }), acct({ role: 'analyst', disabled: true, contactsGranted: true }), ['t1'])).toEqual([
      { action: 'user-role-changed', target: 'user:li.na', detail: { previousRole: 'admin', role: 'analyst' } },
      { action: 'user-contacts-changed', target: 'user:li.na', detail: { contactsGranted: true } },
      { action: 'user-disabled', target: 'user:li.na', detail: { revokedTokens: ['t1'] } },
    ]);
    expect(accountChangeEntries(acct({ role: 'admin' }), acct(), ['t1'])).toEqual([{ action: 'user-role-changed', target: 'user:li.na', detail: { previousRole: 'admin', role: 'marketer', revokedTokens: ['t1'] } }]);
    expect(accountChangeEntries(acct({ disabled: true }), acct(), [])).toEqual([{ action: 'user-enabled', target: 'user:li.na', detail: {} }]);
    for (const a of ['user-role-changed', 'user-disabled', 'user-enabled', 'user-contacts-changed', 'sign-in-disabled']) expect(auditActionWords('zh', a)).not.toMatch(/其他操作/);
  });
});

describe('the 账号 page says the server\'s refusals in Chinese', () => {
  it('the last enabled admin, for each way of losing it, a taken name and a gone account', () => {
    expect(accountProblemWords('zh', 409, lastAdminMessage('admin', 'disable'))).toBe('admin 是最后一个启用的管理员：停用后将没有能登录的管理员。请先添加或启用另一个管理员。');
    expect(accountProblemWords('zh', 409, lastAdminMessage('boss', 'demote'))).toMatch(/^boss 是最后一个启用的管理员：降低它的角色后/);
    expect(accountProblemWords('zh', 409, lastAdminMessage('boss', 'remove'))).toMatch(/：删除后/);
    expect(accountProblemWords('zh', 409, 'user "li.na" already exists')).toBe('账号 li.na 已存在');
    expect(accountProblemWords('zh', 404, 'no user "li.na"')).toMatch(/^账号 li\.na 已不存在/);
    expect(accountProblemWords('zh', 400, 'username: "Bad" — use 1 to 64 …')).toMatch(/^用户名只能用/);
  });

  it('contacts: by role for admins and marketers, the grant for analysts', () => {
    expect(contactsWords('zh', { username: 'a', role: 'marketer', contactsGranted: false, disabled: false, lastSignInAt: null })).toBe('按角色可见');
    expect(contactsWords('zh', { username: 'a', role: 'analyst', contactsGranted: true, disabled: false, lastSignInAt: null })).toBe('已授权');
  });
});
