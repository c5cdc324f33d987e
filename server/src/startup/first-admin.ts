import { AccountStore, generatePassword } from '../persistence/accounts.js';
import { AuditLog } from '../persistence/audit-log.js';
import { openDatabase, type DatabaseTarget } from '../persistence/data-source.js';

/**
 * First start: when the shop has no account yet, create `admin` with a random password and print
 * it once (it is stored only as an argon2 hash). Later starts print nothing.
 */
export async function ensureFirstAdmin(database: DatabaseTarget, log: (line: string) => void = console.log): Promise<{ created: boolean; password?: string }> {
  const ds = await openDatabase(database);
  try {
    const accounts = new AccountStore(ds);
    if ((await accounts.count()) > 0) return { created: false };
    const password = generatePassword();
    await accounts.add('admin', 'admin', password, { oneTime: true });
    await new AuditLog(ds).record({ actor: 'rekindle', action: 'user-added', target: 'user:admin', detail: { role: 'admin', firstStart: true } });
    log(
      [
        '',
        'First start: created the account "admin" (role admin).',
        `  password: ${password}`,
        'This password is shown once and signs in only to set your own: the designer asks for it at',
        'the first sign-in. Then add accounts for your team with `rekindle users add`.',
        '',
      ].join('\n'),
    );
    return { created: true, password };
  } finally {
    await ds.destroy();
  }
}
