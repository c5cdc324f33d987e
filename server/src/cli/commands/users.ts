import type { Command } from 'commander';
import { formatShopTime } from '../../core/engine/local-time.js';
import { accountChangeEntries } from '../../core/access/account-change-entries.js';
import { grantChoices, ROLES } from '../../core/access/roles.js';
import { AccountError, AccountStore, generatePassword, type AccountChange } from '../../persistence/accounts.js';
import { AuditLog } from '../../persistence/audit-log.js';
import { CliError, cliActor, commandContext, output, withDatabase, type CommandContext } from '../context.js';

async function withAccounts<T>(ctx: CommandContext, fn: (accounts: AccountStore, audit: AuditLog) => Promise<T>): Promise<T> {
  return withDatabase(ctx, async (ds) => {
    try {
      return await fn(new AccountStore(ds), new AuditLog(ds));
    } catch (e) {
      if (e instanceof AccountError) throw new CliError(e.message);
      throw e;
    }
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

/** In the shop's time zone with its offset, as every time the CLI prints (a UTC time without a zone read 8 hours off in Shanghai). */
const date = (ms: number | null, timezone: string) => (ms === null ? '-' : formatShopTime(ms, timezone));

/**
 * `rekindle users [list] | add <username> --role <role> | role <username> <role> | disable <username> |
 * enable <username> | remove <username> | passwd <username> |
 * token <name> --scopes <list> | tokens | revoke <name>`: accounts of the designer and API tokens
 * for integrations. Generated passwords and tokens are printed once and stored only hashed.
 */
export function registerUsers(program: Command): void {
  const users = program.command('users').description('accounts (admin, marketer, analyst) and API tokens');

  users
    .command('list', { isDefault: true })
    .description('the accounts and their roles')
    .action(async (_o, cmd: Command) => {
      const ctx = commandContext(cmd);
      const rows = await withAccounts(ctx, (a) => a.list());
      const line = (u: (typeof rows)[number]) =>
        [u.username.padEnd(24), u.role.padEnd(9), u.disabled ? 'DISABLED' : '', u.role === 'analyst' ? (u.contactsVisible ? 'contacts visible' : 'contacts masked') : ''].filter(Boolean).join(' ').trimEnd();
      output(ctx, rows, () => (rows.length ? rows.map(line).join('\n') : 'no accounts (npm start creates "admin" on first start)'));
    });

  users
    .command('add <username>')
    .description('add an account; prints a generated password once (or reads one from stdin with --password-stdin)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .option('--password-stdin', 'read the password from standard input')
    .option('--contacts', 'an analyst sees phone numbers and e-mail addresses unmasked')
    .action(async (username: string, o: { role: string; passwordStdin?: boolean; contacts?: boolean }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      const user = await withAccounts(ctx, async (a, audit) => {
        const u = await a.add(username, o.role, password, { contactsGranted: !!o.contacts, oneTime: !o.passwordStdin });
        await audit.record({ actor: cliActor(), action: 'user-added', target: `user:${u.username}`, detail: { role: u.role, contactsVisible: u.contactsVisible } });
        return u;
      });
      output(ctx, { user, ...(o.passwordStdin ? {} : { password }) }, () =>
        [`added ${user.username} (${user.role})`, o.passwordStdin ? '' : `password: ${password}\n(shown once; it signs in only to set their own, which the designer asks for)`].filter(Boolean).join('\n'),
      );
    });

  /** One account change (AccountStore.change), audited as the API audits it; says what it did. */
  async function changeAccount(cmd: Command, username: string, change: AccountChange, done: (revokedTokens: string[]) => string) {
    const ctx = commandContext(cmd);
    const changed = await withAccounts(ctx, async (a, audit) => {
      const c = await a.change(username, change);
      if (!c) throw new CliError(`no user "${username}" (see \`rekindle users list\`)`);
      for (const e of accountChangeEntries(c.before, c.user, c.revokedTokens)) await audit.record({ actor: cliActor(), ...e });
      return c;
    });
    const revoked = changed.revokedTokens;
    output(ctx, { user: changed.user, revokedTokens: revoked }, () => done(revoked) + (revoked.length ? `; revoked the ${revoked.length} API token${revoked.length === 1 ? '' : 's'} it created: ${revoked.join(', ')}` : ''));
  }

  users
    .command('role <username> <role>')
    .description(`change an account's role (${ROLES.join(', ')}); a lower role counts from its next request and revokes its API tokens acting above it`)
    .action(async (username: string, role: string, _o, cmd: Command) => {
      await changeAccount(cmd, username, { role }, () => `${username} is now ${role}`);
    });

  users
    .command('disable <username>')
    .description('stop an account signing in: ends its sessions and revokes the API tokens it created (enable brings sign-in back, not the tokens)')
    .action(async (username: string, _o, cmd: Command) => {
      await changeAccount(cmd, username, { disabled: true }, () => `disabled ${username}; its sessions ended`);
    });

  users
    .command('enable <username>')
    .description('let a disabled account sign in again')
    .action(async (username: string, _o, cmd: Command) => {
      await changeAccount(cmd, username, { disabled: false }, () => `enabled ${username}`);
    });

  users
    .command('remove <username>')
    .description('remove an account, end its sessions and revoke the API tokens it created')
    .action(async (username: string, _o, cmd: Command) => {
      const ctx = commandContext(cmd);
      const { revokedTokens } = await withAccounts(ctx, async (a, audit) => {
        const removed = await a.remove(username);
        if (!removed) throw new CliError(`no user "${username}" (see \`rekindle users list\`)`);
        await audit.record({ actor: cliActor(), action: 'user-removed', target: `user:${username}`, detail: { revokedTokens: removed.revokedTokens } });
        return removed;
      });
      output(ctx, { removed: username, revokedTokens }, () =>
        revokedTokens.length ? `removed ${username}; revoked the ${revokedTokens.length} API token${revokedTokens.length === 1 ? '' : 's'} it created: ${revokedTokens.join(', ')}` : `removed ${username} (it had created no API tokens)`,
      );
    });

  users
    .command('passwd <username>')
    .description('set a new password (generated and printed once, or --password-stdin); ends the account\'s sessions')
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, o: { passwordStdin?: boolean }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const password = o.passwordStdin ? await readStdin() : generatePassword();
      await withAccounts(ctx, async (a, audit) => {
        await a.setPassword(username, password, { oneTime: !o.passwordStdin });
        await audit.record({ actor: cliActor(), action: 'password-reset', target: `user:${username}` });
      });
      output(ctx, { username, ...(o.passwordStdin ? {} : { password }) }, () => (o.passwordStdin ? `new password set for ${username}` : `new password for ${username}: ${password}\n(shown once; it signs in only to set their own)`));
    });

  users
    .command('token <name>')
    .description('create an API token (sent as Authorization: Bearer <token>); printed once')
    .requiredOption('--scopes <list>', `comma-separated, each ${grantChoices()}`)
    .option('--expires-days <n>', 'expire after n days')
    .action(async (name: string, o: { scopes: string; expiresDays?: string }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const scopes = o.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      let expiresAt: number | null = null;
      if (o.expiresDays !== undefined) {
        const n = Number(o.expiresDays);
        if (!Number.isInteger(n) || n < 1 || n > 3650) throw new CliError(`--expires-days: expected a whole number of days from 1 to 3650, got "${o.expiresDays}"`);
        expiresAt = Date.now() + n * 86_400_000;
      }
      const { token, row } = await withAccounts(ctx, async (a, audit) => {
        const r = await a.createToken(name, scopes, cliActor(), { expiresAt });
        await audit.record({ actor: cliActor(), action: 'token-created', target: `token:${name}`, detail: { scopes: r.row.scopes, expiresAt } });
        return r;
      });
      output(ctx, { token, ...row }, () => `token "${row.name}" (${row.scopes.join(', ')}${expiresAt ? `, expires ${date(expiresAt, ctx.workspace.shop.timezone)}` : ''}):\n${token}\n(shown once; send it as "Authorization: Bearer <token>")`);
    });

  users
    .command('tokens')
    .description('the API tokens (names and scopes; never the secrets)')
    .action(async (_o, cmd: Command) => {
      const ctx = commandContext(cmd);
      const rows = await withAccounts(ctx, (a) => a.tokens());
      output(ctx, rows, () => (rows.length ? rows.map((t) => `${t.name.padEnd(24)} ${t.scopes.join(',').padEnd(28)} created ${date(t.createdAt, ctx.workspace.shop.timezone)} by ${t.createdBy}; last used ${date(t.lastUsedAt, ctx.workspace.shop.timezone)}`).join('\n') : 'no API tokens'));
    });

  users
    .command('revoke <name>')
    .description('revoke an API token')
    .action(async (name: string, _o, cmd: Command) => {
      const ctx = commandContext(cmd);
      await withAccounts(ctx, async (a, audit) => {
        if (!(await a.revokeToken(name))) throw new CliError(`no token "${name}" (see \`rekindle users tokens\`)`);
        await audit.record({ actor: cliActor(), action: 'token-revoked', target: `token:${name}` });
      });
      output(ctx, { revoked: name }, () => `revoked ${name}`);
    });
}
