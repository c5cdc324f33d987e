import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixedClock } from '../../server/src/core/clock.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const NOW = Date.parse('2026-11-02T02:00:00Z');
const rules = tempDir('rekindle-defaults-rules-');
cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

async function app(env: Record<string, string> = {}): Promise<TestApp> {
  const t = await freshTarget('sqlite');
  return createTestApp({ database: t.target, rulesDir: rules, clock: fixedClock(NOW), schedulers: false, settings: loadSettings({ REKINDLE_QUIET: '1', ...env }) });
}

describe('safe defaults', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await app();
  });
  afterAll(async () => api?.close());

  it('listens on 127.0.0.1 unless HOST says otherwise', () => {
    expect(loadSettings({}).HOST).toBe('127.0.0.1');
    expect(loadSettings({ HOST: '0.0.0.0' }).HOST).toBe('0.0.0.0');
  });

  it('sends security headers and no framework banner', async () => {
    const r = await api.http('anonymous').get('/api/health').expect(200);
    expect(r.headers['x-powered-by']).toBeUndefined();
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(r.headers['strict-transport-security']).toBeDefined();
  });

  it('keeps CORS closed: another origin gets no allow-origin, even signed in', async () => {
    const pre = await api.http('anonymous').options('/api/customers').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
    expect(pre.headers['access-control-allow-origin']).toBeUndefined();
    const r = await api.http('admin').get('/api/customers').set('Origin', 'https://evil.example').expect(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('opens CORS only to the configured origins', async () => {
    const open = await app({ REKINDLE_CORS_ORIGINS: 'https://shop.example.com' });
    try {
      const ok = await open.http('anonymous').options('/api/customers').set('Origin', 'https://shop.example.com').set('Access-Control-Request-Method', 'GET');
      expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example.com');
      const no = await open.http('anonymous').options('/api/customers').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'GET');
      expect(no.headers['access-control-allow-origin']).toBeUndefined();
    } finally {
      await open.close();
    }
    expect(() => loadSettings({ REKINDLE_CORS_ORIGINS: 'not a url' })).toThrow(/REKINDLE_CORS_ORIGINS/);
  });

  it('limits request bodies per endpoint, answering a JSON 413 that names the body', async () => {
    const big = JSON.stringify({ conditions: { all: [{ fact: 'city', operator: 'in', value: Array.from({ length: 80_000 }, (_, i) => `city-${i}`) }] } });
    const r = await api.http('analyst').post('/api/segments/preview').set('Content-Type', 'application/json').send(big).expect(413);
    expect(r.body.message).toMatch(/^body: larger than this endpoint accepts \(512 KB/);
    // The event intake takes batches of up to 10,000 events: far more than 512 KB.
    const events = Array.from({ length: 4000 }, (_, i) => ({ customerExternalId: `nobody-${i}`, type: 'visit', properties: { page: 'x'.repeat(200) }, occurredAt: new Date(NOW).toISOString(), idempotencyKey: `big-${i}` }));
    const ev = await api.http('admin').post('/api/events').send(events);
    expect(ev.status).toBe(200);
  });

  it('answers malformed JSON with a 400 and no stack trace or server path', async () => {
    const r = await api.http('admin').put('/api/policy').set('Content-Type', 'application/json').send('{"caps": [').expect(400);
    expect(r.body.message).toBe('body: not valid JSON');
    expect(JSON.stringify(r.body) + r.text).not.toMatch(/\/work\/|node_modules|at .*\(/);
    // Valid JSON that is not an object or an array is said as such, not as a syntax error.
    const scalar = await api.http('admin').put('/api/policy').set('Content-Type', 'application/json').send('42').expect(400);
    expect(scalar.body.message).toBe('body: expected a JSON object or array, got number');
  });
});
