/**
 * Migration AccountDisabled (users.disabled_at, users.last_sign_in_at) on both dialects: accounts
 * made before it are enabled and never signed in; a disabled account's session is refused even
 * when its row outlives the disabling (a sign-in another process finished in the same instant).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { AccountDisabled1766300000000 } from '../../server/src/persistence/migrations/1766300000000-account-disabled.js';
import { executeBatch } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('disabled accounts on %s', (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(dialect);
  });
  afterAll(async () => db?.close());

  it('accounts made before the migration are enabled and never signed in; the columns come and go with it', async () => {
    const runner = db.dataSource.createQueryRunner();
    await new AccountDisabled1766300000000().down(runner);
    expect(await runner.hasColumn('users', 'disabled_at')).toBe(false);
    await executeBatch(db.dataSource, [
      { sql: 'INSERT INTO users (username, password_hash, role, contacts_visible, created_at, password_changed_at) VALUES (?, ?, ?, ?, ?, ?)', params: ['old.admin', 'x', 'admin', dialect === 'sqlite' ? 0 : false, 1, 1] },
    ]);
    await new AccountDisabled1766300000000().up(runner);
    await runner.release();
    expect(await new AccountStore(db.dataSource).find('old.admin')).toMatchObject({ role: 'admin', disabled: false, disabledAt: null, lastSignInAt: null });
  });

  it('a disabled account signs in no more and a session started at the same instant is refused; enabled, it signs in', async () => {
    const accounts = new AccountStore(db.dataSource);
    const user = await accounts.add('late.session', 'marketer', 'late-session-pass-1');
    const changed = await accounts.change('late.session', { disabled: true }, 1_000);
    expect(changed?.user).toMatchObject({ disabled: true, disabledAt: 1_000 });
    // The password still verifies (the sign-in route refuses a disabled account, with a wrong password's answer).
    expect(await accounts.verify('late.session', 'late-session-pass-1')).toMatchObject({ disabled: true });
    const late = await accounts.startSession(user.id);
    expect(await accounts.sessionPrincipal(late.id)).toBeNull();
    await accounts.change('late.session', { disabled: false });
    expect(await accounts.sessionPrincipal(late.id)).toMatchObject({ name: 'late.session', role: 'marketer' });
    await accounts.signedIn(user.id, 5_000);
    expect((await accounts.find('late.session'))?.lastSignInAt).toBe(5_000);
  });
});
