import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../../server/src/config/settings.js';
import { fixedClock } from '../../server/src/core/clock.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, TEST_PASSWORD, type TestApp } from '../support/http-app.js';

process.env.REKINDLE_QUIET = '1';

/**
 * REKINDLE_TRUST_PROXY (config/trust-proxy.ts): behind the TLS proxy the forwarded headers give the
 * client's address (sign-in audit, per-address sign-in limit) and HTTPS (the session cookie's
 * Secure flag). Without the setting they are ignored, so a client cannot name its own address.
 */
type AuditRow = { action: string; target: string; detail: { ip?: string } };

async function appWith(env: Record<string, string>): Promise<{ api: TestApp; drop: () => Promise<void> }> {
  const t = await freshTarget('sqlite');
  const api = await createTestApp({ database: t.target, rulesDir: 'rules', clock: fixedClock(Date.parse('2026-11-02T02:00:00Z')), schedulers: false, settings: loadSettings({ REKINDLE_QUIET: '1', ...env }) });
  return { api, drop: t.drop };
}

const viaProxy = (api: TestApp, client: string, username: string, password: string) =>
  api.http('anonymous').post('/api/auth/sign-in').set('X-Forwarded-For', client).set('X-Forwarded-Proto', 'https').send({ username, password });

const sessionCookie = (res: { headers: Record<string, unknown> }) => ([] as string[]).concat((res.headers['set-cookie'] as string[] | undefined) ?? []).find((c) => c.startsWith('rekindle_session='));

async function signInAudits(api: TestApp): Promise<AuditRow[]> {
  const body = (await api.http('admin').get('/api/audit?action=sign-in').expect(200)).body as { entries?: AuditRow[] } | AuditRow[];
  return Array.isArray(body) ? body : (body.entries ?? []);
}

describe('REKINDLE_TRUST_PROXY=1 (one proxy in front)', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ api, drop } = await appWith({ REKINDLE_TRUST_PROXY: '1' })));
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('the sign-in audit records the client address the proxy forwarded, and the session cookie is Secure over HTTPS', async () => {
    const res = await viaProxy(api, '198.51.100.50', 'marketer', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toMatch(/;\s*Secure/i);
    expect((await signInAudits(api)).some((r) => r.target === 'user:marketer' && r.detail.ip === '198.51.100.50')).toBe(true);
  });

  it('each client behind the proxy has its own per-address sign-in bucket', async () => {
    for (let i = 0; i < 20; i++) expect((await viaProxy(api, '203.0.113.9', `nobody-${i}`, 'x')).status).toBe(401);
    expect((await viaProxy(api, '203.0.113.9', 'analyst', TEST_PASSWORD)).status).toBe(429);
    expect((await viaProxy(api, '203.0.113.10', 'analyst', TEST_PASSWORD)).status).toBe(200);
  });
});

describe('REKINDLE_TRUST_PROXY unset: the forwarded headers are ignored', () => {
  let api: TestApp;
  let drop: () => Promise<void>;
  beforeAll(async () => ({ api, drop } = await appWith({})));
  afterAll(async () => {
    await api?.close();
    await drop?.();
  });

  it('neither the audit address nor the cookie believes them', async () => {
    const res = await viaProxy(api, '198.51.100.50', 'marketer', TEST_PASSWORD);
    expect(res.status).toBe(200);
    expect(sessionCookie(res)).toBeDefined();
    expect(sessionCookie(res)).not.toMatch(/;\s*Secure/i);
    const mine = (await signInAudits(api)).filter((r) => r.target === 'user:marketer');
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.some((r) => r.detail.ip === '198.51.100.50')).toBe(false);
  });

  it('a client naming a new address in X-Forwarded-For each time does not get round the per-address limit', async () => {
    // 20 attempts, each claiming a new address and account: all come from this one connection's
    // address (with the sign-ins before them), so the limit of 20 refuses some of them.
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await viaProxy(api, `203.0.113.${i + 1}`, `nobody-${i}`, 'x')).status);
    expect(statuses).toContain(429);
    expect((await viaProxy(api, '198.51.100.77', 'analyst', TEST_PASSWORD)).status).toBe(429);
  });
});

describe('REKINDLE_TRUST_PROXY values', () => {
  it('takes a hop count, addresses, CIDR ranges and Express names; refuses trust-everything and junk, naming the setting', () => {
    expect(loadSettings({}).REKINDLE_TRUST_PROXY).toBeUndefined();
    expect(loadSettings({ REKINDLE_TRUST_PROXY: '1' }).REKINDLE_TRUST_PROXY).toBe(1);
    expect(loadSettings({ REKINDLE_TRUST_PROXY: '0' }).REKINDLE_TRUST_PROXY).toBe(false);
    expect(loadSettings({ REKINDLE_TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).REKINDLE_TRUST_PROXY).toEqual(['loopback', '10.0.0.0/8', 'fd00::1']);
    expect(() => loadSettings({ REKINDLE_TRUST_PROXY: 'true' })).toThrow(/^invalid configuration: REKINDLE_TRUST_PROXY: trusting every proxy .* \(got "true"\)$/);
    expect(() => loadSettings({ REKINDLE_TRUST_PROXY: 'proxy.internal' })).toThrow(/^invalid configuration: REKINDLE_TRUST_PROXY: expected a hop count .* \(got "proxy.internal"\)$/);
    expect(() => loadSettings({ REKINDLE_TRUST_PROXY: '10.0.0.0/33' })).toThrow(/REKINDLE_TRUST_PROXY: expected a hop count/);
  });
});
