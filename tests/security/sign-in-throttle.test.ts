import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../../server/src/config/settings.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';

process.env.REKINDLE_QUIET = '1';

/**
 * Sign-in brute force: after REKINDLE_SIGNIN_ATTEMPTS (5) attempts a minute on one account, or
 * REKINDLE_SIGNIN_ATTEMPTS_PER_ADDRESS (20) from one address, the sign-in route answers 429 with
 * Retry-After and says when to retry — while other accounts and addresses still sign in.
 */
describe('sign-in rate limit', () => {
  let api: TestApp;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    drop = t.drop;
    // As behind one proxy (REKINDLE_TRUST_PROXY=1): each test client's address comes in X-Forwarded-For.
    api = await createTestApp({ database: t.target, rulesDir: 'rules', clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false, settings: loadSettings({ REKINDLE_QUIET: '1', REKINDLE_TRUST_PROXY: '1' }) });
  });
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  const signIn = (from: string, username: string, password: string) =>
    api.http('anonymous').post('/api/auth/sign-in').set('X-Forwarded-For', from).send({ username, password });

  it('guessing one account: the 6th attempt in a minute is 429 with Retry-After, even with the right password; other accounts are unaffected', async () => {
    for (let i = 0; i < 5; i++) expect((await signIn('198.51.100.7', 'marketer', `guess-${i}`)).status).toBe(401);
    const refused = await signIn('198.51.100.7', 'marketer', 'guess-5');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.body.message).toMatch(new RegExp(`too many sign-in attempts for this account .*try again in ${wait} s \\(after \\d\\d:\\d\\d:\\d\\d UTC\\)`));
    expect(refused.headers['set-cookie']).toBeUndefined();
    // The account is locked for the window whatever the address and password (no oracle for a guesser)…
    expect((await signIn('198.51.100.99', 'MARKETER', TEST_PASSWORD)).status).toBe(429);
    // …but other people sign in, from the same address too.
    expect((await signIn('198.51.100.7', 'analyst', TEST_PASSWORD)).status).toBe(200);
    // Sessions already open keep working.
    await api.http('marketer').get('/api/auth/me').expect(200);
  });

  it('spraying many accounts from one address: 429 after 20 attempts; another address still signs in', async () => {
    for (let i = 0; i < 20; i++) expect((await signIn('203.0.113.9', `nobody-${i}`, 'x')).status).toBe(401);
    const refused = await signIn('203.0.113.9', 'admin', TEST_PASSWORD);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.message).toMatch(/too many sign-in attempts from this address .*try again in \d+ s/);
    const ok = await signIn('203.0.113.10', 'admin', TEST_PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.user.username).toBe('admin');
  });

  it('records refusals in the audit log, once per block rather than once per request', async () => {
    for (let i = 0; i < 3; i++) expect((await signIn('198.51.100.7', 'marketer', 'again')).status).toBe(429);
    const entries = (await api.http('admin').get('/api/audit?action=sign-in-throttled').expect(200)).body as unknown;
    const rows = (Array.isArray(entries) ? entries : (entries as { entries: unknown[] }).entries) as Array<{ actor: string; target: string; detail: { ip?: string; by?: string } }>;
    const forMarketer = rows.filter((r) => r.target === 'user:marketer' && r.detail.by === 'account');
    expect(forMarketer).toHaveLength(1);
    expect(forMarketer[0]).toMatchObject({ actor: 'anonymous', detail: { ip: '198.51.100.7' } });
    expect(rows.some((r) => r.detail.by === 'address' && r.detail.ip === '203.0.113.9')).toBe(true);
  });
});
