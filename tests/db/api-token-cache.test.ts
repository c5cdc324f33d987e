import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { executeBatch } from '../../server/src/persistence/sql-batch.js';
import { DIALECTS, openTestDatabase, type TestDatabase } from '../support/databases.js';

const NOW = Date.parse('2026-11-11T00:00:00Z');

/**
 * Verified API tokens are remembered (no hash, scope parsing or principal per request), but a
 * token's row is the authority on every use: whatever another connection or process does to it
 * counts on the next request.
 */
describe.each(DIALECTS)('API token verification with the token cache on %s', (dialect) => {
  let t: TestDatabase;
  let accounts: AccountStore;
  /** A second connection to the same database: what another process (the CLI) does. */
  let other: DataSource;

  beforeAll(async () => {
    t = await openTestDatabase(dialect);
    accounts = new AccountStore(t.dataSource);
    other = await openDatabase(t.target);
  });
  afterAll(async () => {
    await other?.destroy();
    await t?.close();
  });

  it('refuses a cached token at once after another process revokes it', async () => {
    const { token } = await accounts.createToken('feed', ['events:write'], 'admin', { now: NOW });
    expect((await accounts.tokenPrincipal(token, NOW))?.name).toBe('token:feed');
    // The second check is answered from the cache on SQLite…
    expect((await accounts.tokenPrincipal(token, NOW + 1))?.scopes).toEqual(['events:write']);
    if (dialect === 'sqlite') expect(accounts.cachedTokenPrincipal(token, NOW + 2)?.principal?.name).toBe('token:feed');
    // …and a revocation by `rekindle users revoke` in another process (the built CLI) is honoured on the next use.
    const revoke = spawnSync(process.execPath, ['bin/rekindle.js', '--db', t.target.url, 'users', 'revoke', 'feed'], { encoding: 'utf8' });
    expect({ status: revoke.status, stderr: revoke.stderr }).toEqual({ status: 0, stderr: '' });
    expect(await accounts.tokenPrincipal(token, NOW + 3)).toBeNull();
    expect(accounts.cachedTokenPrincipal(token, NOW + 4)?.principal ?? null).toBeNull();
  });

  it('refuses a cached token whose row another connection deleted, re-keyed or expired', async () => {
    const { token } = await accounts.createToken('rotated', ['admin'], 'admin', { now: NOW });
    expect((await accounts.tokenPrincipal(token, NOW))?.role).toBe('admin');
    // Rotated: same row, another secret's hash.
    await executeBatch(other, [{ sql: "UPDATE api_tokens SET token_hash = 'x' WHERE name = ?", params: ['rotated'] }]);
    expect(await accounts.tokenPrincipal(token, NOW + 1)).toBeNull();

    const expiring = await accounts.createToken('expiring', ['admin'], 'admin', { now: NOW, expiresAt: NOW + 1000 });
    expect((await accounts.tokenPrincipal(expiring.token, NOW))?.role).toBe('admin');
    expect(await accounts.tokenPrincipal(expiring.token, NOW + 1000)).toBeNull();

    const deleted = await accounts.createToken('deleted', ['marketer'], 'admin', { now: NOW });
    expect((await accounts.tokenPrincipal(deleted.token, NOW))?.role).toBe('marketer');
    await executeBatch(other, [{ sql: 'DELETE FROM api_tokens WHERE name = ?', params: ['deleted'] }]);
    expect(await accounts.tokenPrincipal(deleted.token, NOW + 1)).toBeNull();
  });

  it('follows a change of scopes made elsewhere', async () => {
    const { token } = await accounts.createToken('rescoped', ['admin'], 'admin', { now: NOW });
    expect((await accounts.tokenPrincipal(token, NOW))?.role).toBe('admin');
    await executeBatch(other, [{ sql: 'UPDATE api_tokens SET scopes = ? WHERE name = ?', params: ['["events:write"]', 'rescoped'] }]);
    const p = await accounts.tokenPrincipal(token, NOW + 1);
    expect({ role: p?.role, scopes: p?.scopes }).toEqual({ role: null, scopes: ['events:write'] });
  });

  it('records last use at most once a minute', async () => {
    const { token } = await accounts.createToken('used', ['admin'], 'admin', { now: NOW });
    const lastUsed = async () => (await accounts.tokens()).find((x) => x.name === 'used')!.lastUsedAt;
    await accounts.tokenPrincipal(token, NOW + 10);
    expect(await lastUsed()).toBe(NOW + 10);
    await accounts.tokenPrincipal(token, NOW + 30_000);
    expect(await lastUsed()).toBe(NOW + 10);
    await accounts.tokenPrincipal(token, NOW + 70_011);
    expect(await lastUsed()).toBe(NOW + 70_011);
  });
});
