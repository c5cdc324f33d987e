import type { Principal } from '../core/access/roles.js';
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

  remember(token: string, entry: CachedToken): void {
    // A bound on memory: tokens are few; anything past that is someone cycling tokens.
    if (this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(token, entry);
  }

  get size(): number {
    return this.entries.size;
  }
}
