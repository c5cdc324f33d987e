import { splitScopes, type Principal, type Scope } from '../core/access/roles.js';
import { querySqlite } from './sql-batch.js';
import type { RawSqlite } from './write-transaction.js';

/**
 * API tokens already verified by this process, so that a feed posting events does not pay for a
 * SHA-256, a JSON parse of its scopes and a principal built anew on every request.
 *
 * What is cached is only the derivation (token -> hash -> principal), never the verdict: every
 * use re-reads the token's row by id AND hash (one primary-key lookup on SQLite's raw connection,
 * a few microseconds, synchronous). A token revoked (row deleted, e.g. `rekindle users revoke` in
 * another process), rotated (new hash under the same name), re-scoped or expired is therefore
 * refused on the very next request, exactly as without the cache. Committed writes of other
 * connections are visible to this read: it runs outside any transaction of this connection.
 */
export interface CachedToken {
  id: number;
  hash: string;
  /** The row's scopes text the principal was built from: a change rebuilds it. */
  scopesText: string;
  principal: Principal;
  /** The last_used_at this process knows of (stored or written by it). */
  lastUsedAt: number | null;
}

/** What the row says now; `undefined` when the cache cannot answer (not cached). */
export type TokenCheck = { principal: Principal | null; touch: boolean; entry: CachedToken | null } | undefined;

const MAX_ENTRIES = 1000;

/** The token's row as tokenRowPrincipal needs it (by id AND hash: a rotated secret finds nothing). */
export const TOKEN_ROW_SQL = 'SELECT scopes, expires_at FROM api_tokens WHERE id = ? AND token_hash = ?';

/** The principal an API token row grants. */
export function tokenPrincipalOf(id: number, name: string, scopesText: string): Principal {
  const { role, scopes } = splitScopes(JSON.parse(scopesText) as string[]);
  return { kind: 'token', name: `token:${name}`, userId: null, tokenId: id, role, scopes: scopes as Scope[], contactsVisible: role === 'admin' || role === 'marketer' || scopes.includes('contacts:read') };
}

/**
 * What a cached token's row (read with TOKEN_ROW_SQL) grants now: null when the row is gone
 * (revoked, rotated) or expired; the principal rebuilt when its scopes changed.
 */
export function tokenRowPrincipal(entry: CachedToken, row: Record<string, unknown> | undefined, now: number): Principal | null {
  if (!row || (row.expires_at !== null && row.expires_at !== undefined && Number(row.expires_at) <= now)) return null;
  const scopesText = String(row.scopes);
  return scopesText === entry.scopesText ? entry.principal : tokenPrincipalOf(entry.id, entry.principal.name.slice('token:'.length), scopesText);
}
export const LAST_USED_RESOLUTION_MS = 60_000;
const CHECK = 'SELECT scopes, last_used_at, expires_at FROM api_tokens WHERE id = ? AND token_hash = ?';

export class ApiTokenCache {
  private readonly entries = new Map<string, CachedToken>();

  /** The connection is looked up on each use: the data source may be re-initialised. */
  constructor(private readonly db: () => RawSqlite) {}

  /**
   * The principal of a cached token, checked against its row now: null when revoked or expired
   * (and forgotten), undefined when the token is not cached (the caller verifies it the slow way).
   * `touch` says last_used_at is due for an update.
   */
  check(token: string, now: number): TokenCheck {
    const e = this.entries.get(token);
    if (!e) return undefined;
    const [row] = querySqlite<{ scopes: string; last_used_at: number | null; expires_at: number | null }>(this.db(), CHECK, [e.id, e.hash]);
    if (!row || (row.expires_at !== null && Number(row.expires_at) <= now)) {
      this.entries.delete(token);
      return { principal: null, touch: false, entry: null };
    }
    if (String(row.scopes) !== e.scopesText) {
      // Re-scoped under the same secret: let the slow path build the principal from the row.
      this.entries.delete(token);
      return undefined;
    }
    const lastUsed = row.last_used_at === null ? null : Number(row.last_used_at);
    if (lastUsed !== null && (e.lastUsedAt === null || lastUsed > e.lastUsedAt)) e.lastUsedAt = lastUsed;
    return { principal: e.principal, touch: e.lastUsedAt === null || now - e.lastUsedAt > LAST_USED_RESOLUTION_MS, entry: e };
  }

  /**
   * The cached entry WITHOUT reading its row, for a caller that reads the row itself inside the
   * transaction that acts on the request (tokenRowPrincipal): the event fast path checks the
   * token in the same transaction that stores the events, so a token revoked before that commit
   * stores nothing. Undefined when not cached; `touch` as in check().
   */
  peek(token: string, now: number): { entry: CachedToken; touch: boolean } | undefined {
    const e = this.entries.get(token);
    return e && { entry: e, touch: e.lastUsedAt === null || now - e.lastUsedAt > LAST_USED_RESOLUTION_MS };
  }

  remember(token: string, entry: CachedToken): void {
    // A bound on memory: tokens are few; anything past that is someone cycling tokens.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
