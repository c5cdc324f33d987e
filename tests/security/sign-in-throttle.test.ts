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
  it('a signed-in session guessing its current password (POST /api/auth/password): the same per-account limit, 429 with Retry-After; each failure and the block audited', async () => {
    await api.http('admin').post('/api/users').send({ username: 'pw.guess', role: 'analyst', password: 'pw-guess-right-1' }).expect(201);
    const ok = await signIn('192.0.2.50', 'pw.guess', 'pw-guess-right-1').expect(200);
    const cookie = ([] as string[]).concat(ok.headers['set-cookie']).map((c) => c.split(';')[0]).join('; ');
    const change = (current: string) =>
      api.http('anonymous').post('/api/auth/password').set('X-Forwarded-For', '192.0.2.50').set('Cookie', cookie).set('x-csrf-token', ok.body.csrfToken).send({ current, password: 'pw-guess-new-1' });
    // Nobody signed in is refused before any check.
    expect((await api.http('anonymous').post('/api/auth/password').send({ current: 'x', password: 'pw-guess-new-1' })).status).toBe(401);

    for (let i = 0; i < 5; i++) expect((await change(`wrong-${i}`)).status).toBe(400);
    const refused = await change('pw-guess-right-1');
    expect(refused.status).toBe(429);
    const wait = Number(refused.headers['retry-after']);
    expect(wait).toBeGreaterThanOrEqual(1);
    expect(wait).toBeLessThanOrEqual(60);
    expect(refused.body.message).toMatch(new RegExp(`too many password attempts for this account .*try again in ${wait} s \\(after \\d\\d:\\d\\d:\\d\\d UTC\\)`));
    expect(refused.body.retryAfterSeconds).toBe(wait);
    for (let i = 0; i < 3; i++) expect((await change('pw-guess-right-1')).status).toBe(429);
    // One count for the account: signing in is locked too, whatever the address.
    expect((await signIn('192.0.2.51', 'pw.guess', 'pw-guess-right-1')).status).toBe(429);
    // The password did not change and the session still works.
    await api.http('anonymous').get('/api/auth/me').set('Cookie', cookie).expect(200);

    const audit = async (action: string) =>
      ((await api.http('admin').get(`/api/audit?action=${action}`).expect(200)).body.entries as Array<{ actor: string; target: string; detail: Record<string, unknown> }>).filter((e) => e.target === 'user:pw.guess');
    const failed = await audit('password-change-failed');
    expect(failed).toHaveLength(5);
    expect(failed[0]).toMatchObject({ actor: 'pw.guess', detail: { ip: '192.0.2.50' } });
    const throttled = await audit('password-change-throttled');
    expect(throttled).toHaveLength(1);
    expect(throttled[0]).toMatchObject({ actor: 'pw.guess', detail: { ip: '192.0.2.50', by: 'account', limit: 5, retryAfterSeconds: wait } });
  });
});
