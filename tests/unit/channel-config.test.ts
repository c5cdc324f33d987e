import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadChannelsConfig } from '../../server/src/core/channels/config-file.js';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { buildProviders } from '../../server/src/core/channels/registry.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import { nextAttemptAt } from '../../server/src/core/channels/retry-policy.js';
import { verifySignature, signBody } from '../../server/src/core/channels/signature.js';
import { absolutiseLinks } from '../../server/src/core/channels/tracked-link.js';
import { tempDir } from '../support/temp-dirs.js';

const TEST_OPAQUE_ID = hmacOpaqueId('test server secret');

describe('channels.yaml', () => {
  it('defaults every channel to outbox-only with the 1m/5m/30m/2h back-off and 5 attempts', () => {
    const c = parseChannelsConfig(undefined);
    expect(Object.values(c.channels).every((p) => p.provider === 'outbox-only')).toBe(true);
    expect(c.outbox).toEqual({ batchSize: 100, concurrency: 4, maxAttempts: 5, backoff: [60_000, 300_000, 1_800_000, 7_200_000], lease: 300_000 });
    const providers = buildProviders(c, {}, TEST_OPAQUE_ID);
    expect(new Set(Object.values(providers).map((p) => p.kind))).toEqual(new Set(['outbox-only']));
  });

  it('reads providers per channel, durations and the public base url', () => {
    const c = parseChannelsConfig({
      publicBaseUrl: 'https://shop.example.com/',
      channels: {
        email: { provider: 'smtp', host: 'smtp.example.com', from: 'Shop <hi@shop.example.com>', passwordEnv: 'SMTP_PASS', userEnv: 'SMTP_USER' },
        sms: { provider: 'webhook', url: 'https://gw.example.com/sms', secretEnv: 'SMS_SECRET', timeout: '5s' },
      },
      outbox: { backoff: ['30s', '10m'], maxAttempts: 3 },
    });
    expect(c.publicBaseUrl).toBe('https://shop.example.com');
    expect(c.channels.email).toMatchObject({ provider: 'smtp', port: 587, secure: false, timeout: 30_000 });
    expect(c.channels.sms).toMatchObject({ provider: 'webhook', timeout: 5000 });
    expect(c.channels.wechat.provider).toBe('outbox-only');
    expect(c.outbox).toMatchObject({ backoff: [30_000, 600_000], maxAttempts: 3 });
    const p = buildProviders(c, { SMS_SECRET: 's3cret', SMTP_USER: 'u', SMTP_PASS: 'p' }, TEST_OPAQUE_ID);
    expect([p.email.kind, p.sms.kind, p.push.kind]).toEqual(['smtp', 'webhook', 'outbox-only']);
  });

  it('rejects a secret written into the file, a typo, and smtp for a non-email channel, naming the field', () => {
    expect(() => parseChannelsConfig({ channels: { sms: { provider: 'webhook', url: 'https://x.example', secretEnv: 'S', secret: 'abc' } } })).toThrow(/channels\.sms: Unrecognized key: "secret"/);
    expect(() => parseChannelsConfig({ channels: { emial: { provider: 'outbox-only' } } })).toThrow(/emial/);
    expect(() => parseChannelsConfig({ channels: { sms: { provider: 'smtp', host: 'h', from: 'a@b.c' } } })).toThrow(/channels\.sms\.provider: smtp delivers email only/);
    expect(() => parseChannelsConfig({ outbox: { lease: 'soon' } })).toThrow(/outbox\.lease: expected a duration/);
  });

  it('names the missing environment variable when a webhook secret is not set', () => {
    const c = parseChannelsConfig({ channels: { wechat: { provider: 'webhook', url: 'https://x.example/hook', secretEnv: 'WECHAT_HOOK_SECRET' } } });
    expect(() => buildProviders(c, {}, TEST_OPAQUE_ID)).toThrow('channels.wechat.secretEnv: environment variable WECHAT_HOOK_SECRET is not set');
  });

  it('loads rules/channels.yaml, and the repository default file parses', () => {
    const dir = tempDir('rekindle-channels-');
    expect(loadChannelsConfig(dir).channels.email.provider).toBe('outbox-only');
    writeFileSync(join(dir, 'channels.yaml'), 'channels:\n  push: { provider: webhook, url: "http://127.0.0.1:9/p", secretEnv: PUSH_SECRET }\n');
    expect(loadChannelsConfig(dir).channels.push.provider).toBe('webhook');
    writeFileSync(join(dir, 'channels.yaml'), 'channels: [1, 2\n');
    expect(() => loadChannelsConfig(dir)).toThrow(/channels\.yaml: not valid YAML/);
    const repo = loadChannelsConfig(join(process.cwd(), 'rules'));
    expect(Object.values(repo.channels).every((p) => p.provider === 'outbox-only')).toBe(true);
  });

  it("takes REKINDLE_PUBLIC_BASE_URL (npm start: the demo server's own address) for a publicBaseUrl the file does not set; one the file sets wins", () => {
    const dir = tempDir('rekindle-channels-');
    expect(loadChannelsConfig(dir).publicBaseUrl).toBeNull();
    expect(loadChannelsConfig(dir, 'http://127.0.0.1:3000/').publicBaseUrl).toBe('http://127.0.0.1:3000');
    writeFileSync(join(dir, 'channels.yaml'), 'channels:\n  sms: { provider: outbox-only }\n');
    expect(loadChannelsConfig(dir, 'http://127.0.0.1:3000').publicBaseUrl).toBe('http://127.0.0.1:3000');
    writeFileSync(join(dir, 'channels.yaml'), 'publicBaseUrl: https://crm.shop.example.com\n');
    expect(loadChannelsConfig(dir, 'http://127.0.0.1:3000').publicBaseUrl).toBe('https://crm.shop.example.com');
  });

  it("npm start gives the demo server its own address (http://127.0.0.1:$PORT), never with PORT=0, in production or over one already set", () => {
    const url = (env: Record<string, string>) => spawnSync('bash', ['scripts/demo-base-url.sh'], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' }).stdout.trim();
    expect(url({})).toBe('http://127.0.0.1:3000');
    expect(url({ PORT: '4000', HOST: '0.0.0.0' })).toBe('http://127.0.0.1:4000');
    expect(url({ HOST: '::1' })).toBe('http://[::1]:3000');
    expect(url({ PORT: '0' })).toBe('');
    expect(url({ NODE_ENV: 'production' })).toBe('');
    expect(url({ REKINDLE_PUBLIC_BASE_URL: 'https://crm.shop.example.com' })).toBe('https://crm.shop.example.com');
    expect(readFileSync('scripts/start.sh', 'utf8')).toMatch(/REKINDLE_PUBLIC_BASE_URL="\$base_url"/);
  });
});

describe('retry back-off', () => {
  it('waits 1m, 5m, 30m, 2h after the 1st to 4th failure and gives up after the 5th', () => {
    const policy = parseChannelsConfig({}).outbox;
    expect([1, 2, 3, 4].map((a) => nextAttemptAt(policy, a, 0))).toEqual([60_000, 300_000, 1_800_000, 7_200_000]);
    expect(nextAttemptAt(policy, 5, 0)).toBeNull();
    expect(nextAttemptAt({ maxAttempts: 9, backoff: [1000, 2000] }, 6, 0)).toBe(2000);
  });
});

describe('webhook signature and tracked links', () => {
  it('verifies a signature only for the exact body and secret', () => {
    const sig = signBody('k', '{"a":1}');
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature('k', '{"a":1}', sig)).toBe(true);
    expect(verifySignature('k', '{"a":2}', sig)).toBe(false);
    expect(verifySignature('other', '{"a":1}', sig)).toBe(false);
    expect(verifySignature('k', '{"a":1}', undefined)).toBe(false);
  });

  it('makes /r/<token> absolute with the public base url, leaving absolute urls alone', () => {
    expect(absolutiseLinks('Shop now: /r/ab12cd34 !', 'ab12cd34', 'https://s.example')).toBe('Shop now: https://s.example/r/ab12cd34 !');
    expect(absolutiseLinks('https://s.example/r/ab12cd34', 'ab12cd34', 'https://s.example')).toBe('https://s.example/r/ab12cd34');
    expect(absolutiseLinks('/r/ab12cd34', 'ab12cd34', null)).toBe('/r/ab12cd34');
  });

  it('makes a relative link right after Chinese text absolute too (a body stored before the engine rendered it absolute)', () => {
    // `：` is no part of a URL: the path after it is the relative link, which the rewrite used to leave as it was.
    expect(absolutiseLinks('付款后立即发货：/r/Eg1v_V9jgQCn 回T退订', 'Eg1v_V9jgQCn', 'http://127.0.0.1:3511')).toBe('付款后立即发货：http://127.0.0.1:3511/r/Eg1v_V9jgQCn 回T退订');
    expect(absolutiseLinks('点击/r/ab12cd34完成付款', 'ab12cd34', 'https://s.example')).toBe('点击https://s.example/r/ab12cd34完成付款');
    // Already absolute (the engine renders it so with a base URL): left alone, whatever the base.
    expect(absolutiseLinks('付款：http://127.0.0.1:3511/r/ab12cd34', 'ab12cd34', 'https://s.example')).toBe('付款：http://127.0.0.1:3511/r/ab12cd34');
    expect(absolutiseLinks('see https://s.example/shop/r/ab12cd34', 'ab12cd34', 'https://s.example')).toBe('see https://s.example/shop/r/ab12cd34');
  });
});
