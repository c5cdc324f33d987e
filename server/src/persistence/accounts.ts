import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { DataSource } from 'typeorm';
import { contactsVisibleFor, grantChoices, isRole, isScope, roleRank, type Principal, type Role } from '../core/access/roles.js';
import { executeBatch, queryRows } from './sql-batch.js';
import { ApiTokenCache, LAST_USED_RESOLUTION_MS, tokenPrincipalOf, type CachedToken, type TokenCheck } from './api-token-cache.js';
import { isSqlite, rawSqlite } from './write-transaction.js';

/**
 * Accounts, sign-in sessions and API tokens. Passwords are argon2id hashes (@node-rs/argon2);
 * session ids and API tokens are 32 random bytes from the CSPRNG, and only their SHA-256 is
 * stored (a fast hash is enough for values with 256 bits of entropy: there is nothing to guess),
 * so a copy of the database signs nobody in.
 */
export const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
export const MIN_PASSWORD = 10;
export const SESSION_TTL_MS = 12 * 3_600_000;
const TOKEN_PREFIX = 'rk_';

export class AccountError extends Error {
  constructor(
    message: string,
    readonly kind: 'invalid' | 'exists' | 'not-found' | 'conflict' = 'invalid',
  ) {
    super(message);
  }
}

export interface UserRow {
  id: number;
  username: string;
  role: Role;
  /** Whether the account sees contacts unmasked, by role or by grant (contactsVisibleFor). */
  contactsVisible: boolean;
  /** The stored grant (users.contacts_visible): it matters for analysts only. */
  contactsGranted: boolean;
  createdAt: number;
  /** Disabled by an admin: signs nobody in, its sessions ended (users.disabled_at). */
  disabled: boolean;
  disabledAt: number | null;
  /** Its last successful sign-in; null when never (or before the column existed). */
  lastSignInAt: number | null;
}

/** What PATCH /api/users/:username and `users role|disable|enable` may change. */
export interface AccountChange {
  role?: string;
  disabled?: boolean;
  contactsGranted?: boolean;
}

/** What a change did: the account after it, what it was before, and the tokens it revoked. */
export interface AccountChanged {
  user: UserRow;
  before: UserRow;
  revokedTokens: string[];
}

export interface TokenRow {
  id: number;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** 32 random bytes, URL-safe. */
export function randomSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** A password for a new account: 18 random characters (about 107 bits). */
export function generatePassword(): string {
  return randomBytes(14).toString('base64url').replace(/[-_]/g, 'x');
}

/** Refused by every password change (setPassword): the designer shows it in its own words. */
export const SAME_PASSWORD = 'password: the new password must differ from the current one';

export function checkUsername(username: string): void {
  if (!USERNAME.test(username)) throw new AccountError(`username: "${username.slice(0, 80)}" — use 1 to 64 lower-case letters, digits, ".", "_" or "-", starting with a letter or digit`);
}
export function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) throw new AccountError(`password: at least ${MIN_PASSWORD} characters`);
  if (password.length > 1024) throw new AccountError('password: at most 1024 characters');
}

function toUser(r: Record<string, unknown>): UserRow {
  const role = String(r.role) as Role;
  const contactsGranted = !!Number(r.contacts_visible === true ? 1 : r.contacts_visible === false ? 0 : r.contacts_visible);
  const disabledAt = r.disabled_at === null || r.disabled_at === undefined ? null : Number(r.disabled_at);
  const lastSignInAt = r.last_sign_in_at === null || r.last_sign_in_at === undefined ? null : Number(r.last_sign_in_at);
  return { id: Number(r.id), username: String(r.username), role, contactsVisible: contactsVisibleFor(role, contactsGranted), contactsGranted, createdAt: Number(r.created_at), disabled: disabledAt !== null, disabledAt, lastSignInAt };
}

const USER_COLUMNS = 'id, username, role, contacts_visible, created_at, disabled_at, last_sign_in_at';

/** Refused when it would leave the shop with no admin who can sign in (nobody could then manage accounts but the CLI). */
export const lastAdminMessage = (username: string, doing: 'remove' | 'disable' | 'demote') =>
  `user "${username}" is the last enabled admin: ${doing === 'remove' ? 'removing' : doing === 'disable' ? 'disabling' : 'demoting'} it would leave no admin who can sign in; add or enable another admin first`;

const bool = (ds: DataSource, b: boolean) => (isSqlite(ds) ? (b ? 1 : 0) : b);
/** A boolean column as read: PostgreSQL's true, SQLite's 1. */
const truthy = (v: unknown) => v === true || Number(v) === 1;

export class AccountStore {
  /** Verified tokens (SQLite only: the per-use row check must be a cheap synchronous read). */
  private readonly tokenCache: ApiTokenCache | null;

  constructor(private readonly ds: DataSource) {
    this.tokenCache = isSqlite(ds) ? new ApiTokenCache(() => rawSqlite(ds)) : null;
  }

  async count(): Promise<number> {
    const [r] = await queryRows(this.ds, 'SELECT COUNT(*) AS n FROM users');
    return Number(r.n);
  }

  async list(): Promise<UserRow[]> {
    return (await queryRows(this.ds, `SELECT ${USER_COLUMNS} FROM users ORDER BY username`)).map(toUser);
  }

  async find(username: string): Promise<UserRow | null> {
    const [r] = await queryRows(this.ds, `SELECT ${USER_COLUMNS} FROM users WHERE username = ?`, [username]);
    return r ? toUser(r) : null;
  }

  /**
   * `contactsGranted`: an analyst sees contacts unmasked (other roles do anyway).
   * `oneTime`: the password was generated and printed for the person (see setPassword).
   */
  async add(username: string, role: string, password: string, opts: { contactsGranted?: boolean; now?: number; oneTime?: boolean } = {}): Promise<UserRow> {
    checkUsername(username);
    if (!isRole(role)) throw new AccountError(`role: "${role.slice(0, 40)}" — expected admin, marketer or analyst`);
    checkPassword(password);
    if (await this.find(username)) throw new AccountError(`user "${username}" already exists`, 'exists');
    const now = opts.now ?? Date.now();
    const hash = await argon2Hash(password);
    await executeBatch(this.ds, [
      { sql: 'INSERT INTO users (username, password_hash, role, contacts_visible, created_at, password_changed_at, password_one_time) VALUES (?, ?, ?, ?, ?, ?, ?)', params: [username, hash, role, bool(this.ds, !!opts.contactsGranted), now, now, bool(this.ds, !!opts.oneTime)] },
    ]);
    return (await this.find(username))!;
  }

  /**
   * Removes the account, ends its sessions and revokes the API tokens it created — and the tokens
   * those tokens created (a token with the admin scope can make more): a departing admin must not
   * keep admin access through a token of their own. Null when there is no such account; otherwise
   * the names of the tokens revoked.
   */
  async remove(username: string): Promise<{ revokedTokens: string[] } | null> {
    const user = await this.find(username);
    if (!user) return null;
    await this.keepAnAdmin(user, 'remove');
    const revokedTokens = await this.tokensMadeBy(user.username);
    await executeBatch(this.ds, [
      ...revokedTokens.map((name) => ({ sql: 'DELETE FROM api_tokens WHERE name = ?', params: [name] })),
      { sql: 'DELETE FROM sessions WHERE user_id = ?', params: [user.id] },
      { sql: 'DELETE FROM users WHERE id = ?', params: [user.id] },
    ]);
    return { revokedTokens };
  }

  /**
   * Changes an account's role, grant or whether it is enabled. Disabling ends its sessions and
   * revokes the API tokens it created (and those they created), as removal does: a token is a
   * secret handed to a machine, not tied to the person, and one of a disabled (perhaps
   * compromised) account must not come back to life when the account is enabled again — an admin
   * makes new ones. Lowering a role revokes the tokens it created that act with a role above the
   * new one (and those they created): an admin demoted to analyst keeps no admin token. Narrow
   * scopes (an order feed) stay. The role itself is read from the row on every request
   * (sessionPrincipal), so a lower role counts from the next request without ending sessions.
   * Null when there is no such account.
   */
  async change(username: string, change: AccountChange, now = Date.now()): Promise<AccountChanged | null> {
    const before = await this.find(username);
    if (!before) return null;
    const role = change.role ?? before.role;
    if (!isRole(role)) throw new AccountError(`role: "${role.slice(0, 40)}" — expected admin, marketer or analyst`);
    const disabled = change.disabled ?? before.disabled;
    if (before.role === 'admin' && !before.disabled && (disabled || role !== 'admin')) await this.keepAnAdmin(before, disabled ? 'disable' : 'demote');
    const revokedTokens = disabled && !before.disabled ? await this.tokensMadeBy(username) : roleRank(role) < roleRank(before.role) ? await this.tokensAbove(username, role) : [];
    await executeBatch(this.ds, [
      ...revokedTokens.map((name) => ({ sql: 'DELETE FROM api_tokens WHERE name = ?', params: [name] })),
      ...(disabled && !before.disabled ? [{ sql: 'DELETE FROM sessions WHERE user_id = ?', params: [before.id] }] : []),
      {
        sql: 'UPDATE users SET role = ?, contacts_visible = ?, disabled_at = ? WHERE id = ?',
        params: [role, bool(this.ds, change.contactsGranted ?? before.contactsGranted), disabled ? (before.disabledAt ?? now) : null, before.id],
      },
    ]);
    return { user: (await this.find(username))!, before, revokedTokens };
  }

  /**
   * Refuses (409) to remove, disable or demote the last enabled admin. Counted in the database at
   * the time of the change; two admins disabling each other at the same instant could both pass —
   * the CLI (which needs no account) is the way back in then.
   */
  private async keepAnAdmin(user: UserRow, doing: 'remove' | 'disable' | 'demote'): Promise<void> {
    if (user.role !== 'admin' || user.disabled) return;
    const [r] = await queryRows(this.ds, "SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?", [user.id]);
    if (Number(r.n) === 0) throw new AccountError(lastAdminMessage(user.username, doing), 'conflict');
  }

  /** Records a successful sign-in (the 账号 page shows it). */
  async signedIn(userId: number, now = Date.now()): Promise<void> {
    await executeBatch(this.ds, [{ sql: 'UPDATE users SET last_sign_in_at = ? WHERE id = ?', params: [now, userId] }]);
  }

  /** The tokens `username` created, and those created by them in turn (created_by `token:<name>`), by name. */
  private async tokensMadeBy(username: string): Promise<string[]> {
    return descendants(await this.tokens(), [username]);
  }

  /** Of the tokens `username` made (directly or through its tokens), those acting with a role above `role`, and what they made. */
  private async tokensAbove(username: string, role: Role): Promise<string[]> {
    const all = await this.tokens();
    const made = new Set(descendants(all, [username]));
    const above = all.filter((t) => made.has(t.name) && t.scopes.some((s) => isRole(s) && roleRank(s) > roleRank(role))).map((t) => t.name);
    return [...new Set([...above, ...descendants(all, above.map((n) => `token:${n}`))])].sort();
  }

  /**
   * `oneTime`: a password generated and printed for the person (`users passwd` without
   * --password-stdin), which signs in only to be replaced; a person's own change clears it.
   */
  async setPassword(username: string, password: string, opts: { oneTime?: boolean } = {}): Promise<void> {
    checkPassword(password);
    const [r] = await queryRows(this.ds, 'SELECT id, password_hash FROM users WHERE username = ?', [username]);
    if (!r) throw new AccountError(`no user "${username}"`, 'not-found');
    // "Changing" a password to itself would keep it, and clear the one-time mark of a printed one:
    // the printed password would then sign in for good.
    if (await argon2Verify(String(r.password_hash), password).catch(() => false)) throw new AccountError(SAME_PASSWORD);
    const user = { id: Number(r.id) };
    const hash = await argon2Hash(password);
    // A new password ends every session of the account.
    await executeBatch(this.ds, [
      { sql: 'UPDATE users SET password_hash = ?, password_changed_at = ?, password_one_time = ? WHERE id = ?', params: [hash, Date.now(), bool(this.ds, !!opts.oneTime), user.id] },
      { sql: 'DELETE FROM sessions WHERE user_id = ?', params: [user.id] },
    ]);
  }

  /** The account when the password matches; null otherwise (unknown users cost the same time). */
  async verify(username: string, password: string): Promise<(UserRow & { oneTimePassword: boolean }) | null> {
    const [r] = await queryRows(this.ds, `SELECT ${USER_COLUMNS}, password_hash, password_one_time FROM users WHERE username = ?`, [username]);
    const hash = r ? String(r.password_hash) : await dummyHash();
    const ok = await argon2Verify(hash, password).catch(() => false);
    return r && ok ? { ...toUser(r), oneTimePassword: truthy(r.password_one_time) } : null;
  }

  // ---- sessions -------------------------------------------------------------------------------

  /** Starts a session; returns the raw id for the cookie (only its hash is stored). */
  async startSession(userId: number, now = Date.now()): Promise<{ id: string; expiresAt: number }> {
    const id = randomSecret();
    const expiresAt = now + SESSION_TTL_MS;
    await executeBatch(this.ds, [
      { sql: 'DELETE FROM sessions WHERE expires_at < ?', params: [now] },
      { sql: 'INSERT INTO sessions (id_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)', params: [sha256(id), userId, now, expiresAt, now] },
    ]);
    return { id, expiresAt };
  }

  /**
   * The session's account, sliding the expiry forward; null when unknown, expired or the account
   * is disabled (its sessions are deleted when disabled; this also covers a session started by
   * another process in the same instant). The role is the row's now: a changed role counts at once.
   */
  async sessionPrincipal(id: string, now = Date.now()): Promise<Principal | null> {
    if (!id || id.length > 128) return null;
    const [r] = await queryRows(
      this.ds,
      'SELECT u.id, u.username, u.role, u.contacts_visible, u.created_at, u.disabled_at, u.password_one_time, s.expires_at, s.last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?',
      [sha256(id)],
    );
    if (!r || Number(r.expires_at) <= now || (r.disabled_at !== null && r.disabled_at !== undefined)) return null;
    if (now - Number(r.last_seen_at) > 60_000) {
      await executeBatch(this.ds, [{ sql: 'UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id_hash = ?', params: [now, now + SESSION_TTL_MS, sha256(id)] }]);
    }
    const u = toUser(r);
    return { kind: 'user', name: u.username, userId: u.id, tokenId: null, role: u.role, scopes: [], contactsVisible: u.contactsVisible, ...(truthy(r.password_one_time) ? { oneTimePassword: true } : {}), session: sha256(`session-tag:${sha256(id)}`).slice(0, 32) };
  }

  async endSession(id: string): Promise<void> {
    await executeBatch(this.ds, [{ sql: 'DELETE FROM sessions WHERE id_hash = ?', params: [sha256(id)] }]);
  }

  // ---- API tokens -----------------------------------------------------------------------------

  /** Creates a token; the returned secret is shown once and never stored. */
  async createToken(name: string, scopes: string[], createdBy: string, opts: { expiresAt?: number | null; now?: number } = {}): Promise<{ token: string; row: TokenRow }> {
    if (!/^[A-Za-z0-9][A-Za-z0-9 ._-]{0,127}$/.test(name)) throw new AccountError(`name: "${name.slice(0, 80)}" — 1 to 128 letters, digits, spaces, ".", "_" or "-"`);
    if (scopes.length === 0) throw new AccountError(`scopes: give at least one: ${grantChoices()}`);
    for (const s of scopes) if (!isRole(s) && !isScope(s)) throw new AccountError(`scopes: "${s.slice(0, 40)}" is not ${grantChoices()}`);
    const [dup] = await queryRows(this.ds, 'SELECT id FROM api_tokens WHERE name = ?', [name]);
    if (dup) throw new AccountError(`a token named "${name}" already exists`, 'exists');
    const token = TOKEN_PREFIX + randomSecret();
    const now = opts.now ?? Date.now();
    await executeBatch(this.ds, [
      { sql: 'INSERT INTO api_tokens (name, token_hash, scopes, created_by, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)', params: [name, sha256(token), JSON.stringify([...new Set(scopes)]), createdBy, now, null, opts.expiresAt ?? null] },
    ]);
    const row = (await this.tokens()).find((t) => t.name === name)!;
    return { token, row };
  }

  async tokens(): Promise<TokenRow[]> {
    const rows = await queryRows(this.ds, 'SELECT id, name, scopes, created_by, created_at, last_used_at, expires_at FROM api_tokens ORDER BY name');
    return rows.map((r) => ({
      id: Number(r.id),
      name: String(r.name),
      scopes: JSON.parse(String(r.scopes)) as string[],
      createdBy: String(r.created_by),
      createdAt: Number(r.created_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
    }));
  }

  async revokeToken(name: string): Promise<boolean> {
    const [changed] = await executeBatch(this.ds, [{ sql: 'DELETE FROM api_tokens WHERE name = ?', params: [name] }]);
    return changed > 0;
  }

  /**
   * The token's principal, or null when it is unknown, revoked or expired. On SQLite a token seen
   * before is answered from the ApiTokenCache, which still reads the token's row on every call
   * (a revocation by another process counts at once).
   */
  async tokenPrincipal(token: string, now = Date.now()): Promise<Principal | null> {
    const cached = this.cachedTokenPrincipal(token, now);
    if (cached !== undefined) return cached.principal === null ? null : this.touched(cached, now);
    if (!token.startsWith(TOKEN_PREFIX) || token.length > 128) return null;
    const hashed = sha256(token);
    const [r] = await queryRows(this.ds, 'SELECT id, name, token_hash, scopes, last_used_at, expires_at FROM api_tokens WHERE token_hash = ?', [hashed]);
    if (!r || !timingSafeEqual(Buffer.from(String(r.token_hash)), Buffer.from(hashed))) return null;
    if (r.expires_at !== null && Number(r.expires_at) <= now) return null;
    if (r.last_used_at === null || now - Number(r.last_used_at) > LAST_USED_RESOLUTION_MS) await executeBatch(this.ds, [{ sql: 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?', params: [now, Number(r.id)] }]);
    const principal = tokenPrincipalOf(Number(r.id), String(r.name), String(r.scopes));
    this.tokenCache?.remember(token, { id: Number(r.id), hash: hashed, scopesText: String(r.scopes), principal, lastUsedAt: r.last_used_at === null ? now : Math.max(now, Number(r.last_used_at)) });
    return principal;
  }

  /**
   * Synchronously, for a token this process verified before (SQLite only): its check against the
   * row now, or undefined when the caller must take the asynchronous path (tokenPrincipal).
   */
  cachedTokenPrincipal(token: string, now = Date.now()): TokenCheck {
    return this.tokenCache?.check(token, now);
  }

  /** A token this process verified before, without reading its row (ApiTokenCache.peek: the caller reads it). */
  peekToken(token: string, now = Date.now()): { entry: CachedToken; touch: boolean } | undefined {
    return this.tokenCache?.peek(token, now);
  }

  /** Records last use at most once a minute per token (the tokens list shows it), then answers. */
  async touched(check: NonNullable<TokenCheck>, now: number): Promise<Principal> {
    if (check.touch && check.entry) {
      check.entry.lastUsedAt = now; // concurrent requests of the same token do not all write it
      await executeBatch(this.ds, [{ sql: 'UPDATE api_tokens SET last_used_at = ? WHERE id = ?', params: [now, check.entry.id] }]);
    }
    return check.principal!;
  }
}

/** The tokens created by `creators` (usernames or `token:<name>`), and by those in turn, by name. */
function descendants(all: TokenRow[], creators: string[]): string[] {
  const made = new Set<string>();
  let by = new Set(creators);
  while (by.size) {
    const next = all.filter((t) => by.has(t.createdBy) && !made.has(t.name)).map((t) => t.name);
    for (const n of next) made.add(n);
    by = new Set(next.map((n) => `token:${n}`));
  }
  return [...made].sort();
}

/** Verified against when the username is unknown, so timing does not tell which usernames exist. */
let dummy: Promise<string> | undefined;
const dummyHash = () => (dummy ??= argon2Hash(randomSecret()));
