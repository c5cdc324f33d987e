import { BadRequestException, Body, ConflictException, Controller, Delete, Get, Inject, NotFoundException, Param, Patch, Post } from '@nestjs/common';
import { z } from 'zod';
import { accountChangeEntries } from '../../core/access/account-change-entries.js';
import { ROLES, SCOPES, type Principal } from '../../core/access/roles.js';
import { AccountError, generatePassword, type AccountStore } from '../../persistence/accounts.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { Allow } from './allow.decorator.js';
import { ACCOUNTS, AUDIT } from './auth.tokens.js';
import { Caller } from './principal.decorator.js';

const AddUser = z.object({
  username: z.string().min(1).max(64),
  role: z.enum(ROLES),
  password: z.string().min(1).max(1024).optional().describe('omit to have one generated (shown once)'),
  contactsVisible: z.boolean().optional().describe('grant an analyst phone and e-mail unmasked (admins and marketers see them by role)'),
});
const ChangeUser = z
  .object({
    role: z.enum(ROLES).optional().describe('the new role; a lower one counts from the account\'s next request and revokes its tokens acting above it'),
    disabled: z.boolean().optional().describe('true: the account signs in no more, its sessions end and the API tokens it created are revoked; false: it may sign in again'),
    contactsGranted: z.boolean().optional().describe('grant an analyst phone and e-mail unmasked (admins and marketers see them by role)'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.role === undefined && v.disabled === undefined && v.contactsGranted === undefined) ctx.addIssue({ code: 'custom', message: 'body: give role, disabled or contactsGranted' });
  });
const AddToken = z.object({
  name: z.string().min(1).max(128),
  scopes: z.array(z.string().max(40)).min(1).max(10),
  expiresInDays: z.number().int().min(1).max(3650).optional(),
});
const Name = z.string().min(1).max(128);

/** Accounts and API tokens (admins only). Passwords and tokens are shown once, never again. */
@Controller()
@Allow('admin')
export class UsersController {
  constructor(
    @Inject(ACCOUNTS) private readonly accounts: AccountStore,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {}

  /** Each account with `contactsVisible` (what it sees: by role, or granted) and `contactsGranted` (the stored grant). */
  @Get('users')
  async list() {
    return { users: await this.accounts.list(), roles: ROLES };
  }

  @Post('users')
  async add(@Caller() caller: Principal, @Body({ schema: AddUser }) body: z.infer<typeof AddUser>) {
    const password = body.password ?? generatePassword();
    const user = await this.wrap(() => this.accounts.add(body.username, body.role, password, { contactsGranted: body.contactsVisible, oneTime: !body.password }));
    await this.audit.record({ actor: caller.name, action: 'user-added', target: `user:${user.username}`, detail: { role: user.role, contactsVisible: user.contactsVisible } });
    return { user, ...(body.password ? {} : { password }) };
  }

  /**
   * Changes an account's role, contacts grant or whether it is enabled (AccountStore.change): 404
   * for an unknown account, 409 when it would leave no enabled admin. Each change is audited.
   */
  @Patch('users/:username')
  async change(@Caller() caller: Principal, @Param('username', { schema: Name }) username: string, @Body({ schema: ChangeUser }) body: z.infer<typeof ChangeUser>) {
    const changed = await this.wrap(() => this.accounts.change(username, body));
    if (!changed) throw new NotFoundException(`no user "${username}"`);
    for (const e of accountChangeEntries(changed.before, changed.user, changed.revokedTokens)) await this.audit.record({ actor: caller.name, ...e });
    return { user: changed.user, revokedTokens: changed.revokedTokens };
  }

  @Delete('users/:username')
  async remove(@Caller() caller: Principal, @Param('username', { schema: Name }) username: string) {
    const removed = await this.wrap(() => this.accounts.remove(username));
    if (!removed) throw new NotFoundException(`no user "${username}"`);
    await this.audit.record({ actor: caller.name, action: 'user-removed', target: `user:${username}`, detail: { revokedTokens: removed.revokedTokens } });
    // The tokens the account made are revoked with it (AccountStore.remove): say which.
    return { removed: username, revokedTokens: removed.revokedTokens };
  }

  @Get('tokens')
  async tokens() {
    return { tokens: await this.accounts.tokens(), scopes: { ...Object.fromEntries(ROLES.map((r) => [r, `act as ${r}`])), ...SCOPES } };
  }

  @Post('tokens')
  async addToken(@Caller() caller: Principal, @Body({ schema: AddToken }) body: z.infer<typeof AddToken>) {
    const expiresAt = body.expiresInDays ? Date.now() + body.expiresInDays * 86_400_000 : null;
    const { token, row } = await this.wrap(() => this.accounts.createToken(body.name, body.scopes, caller.name, { expiresAt }));
    await this.audit.record({ actor: caller.name, action: 'token-created', target: `token:${row.name}`, detail: { scopes: row.scopes, expiresAt } });
    return { token, ...row, note: 'the token is shown once: store it now' };
  }

  @Delete('tokens/:name')
  async revoke(@Caller() caller: Principal, @Param('name', { schema: Name }) name: string) {
    if (!(await this.accounts.revokeToken(name))) throw new NotFoundException(`no token "${name}"`);
    await this.audit.record({ actor: caller.name, action: 'token-revoked', target: `token:${name}` });
    return { revoked: name };
  }

  private async wrap<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof AccountError) throw e.kind === 'exists' || e.kind === 'conflict' ? new ConflictException(e.message) : e.kind === 'not-found' ? new NotFoundException(e.message) : new BadRequestException(e.message);
      throw e;
    }
  }
}
