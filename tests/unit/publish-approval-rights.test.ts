import { describe, expect, it } from '@jest/globals';
import { whyMayNotDecide } from '../../server/src/core/access/publish-approval.js';
import type { Principal } from '../../server/src/core/access/roles.js';

const person = (name: string, role: Principal['role']): Principal => ({ kind: 'user', name, userId: 1, tokenId: null, role, scopes: [], contactsVisible: true });

describe('who may decide a publish request (four eyes)', () => {
  it('takes an admin who did not ask to approve or reject', () => {
    expect(whyMayNotDecide(person('chen', 'admin'), 'li.na', 'approve')).toBeNull();
    expect(whyMayNotDecide(person('chen', 'admin'), 'li.na', 'reject')).toBeNull();
    expect(whyMayNotDecide(person('li.na', 'admin'), 'li.na', 'approve')).toMatch(/li\.na asked for this publish: another admin must approve it/);
    expect(whyMayNotDecide(person('wang', 'marketer'), 'li.na', 'approve')).toMatch(/only an admin/);
  });

  it('refuses an API token even with the admin role', () => {
    expect(whyMayNotDecide({ ...person('token:ops', 'admin'), kind: 'token', userId: null, tokenId: 3 }, 'li.na', 'approve')).toMatch(/not by an API token/);
  });

  it('lets the one who asked, or an admin, withdraw', () => {
    expect(whyMayNotDecide(person('li.na', 'marketer'), 'li.na', 'withdraw')).toBeNull();
    expect(whyMayNotDecide(person('chen', 'admin'), 'li.na', 'withdraw')).toBeNull();
    expect(whyMayNotDecide(person('wang', 'marketer'), 'li.na', 'withdraw')).toMatch(/only li\.na, who asked, or an admin/);
  });
});
