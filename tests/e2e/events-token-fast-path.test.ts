/**
 * Event feeds posting with an API token are answered before the general middleware stack
 * (api/events/events-fast-path.ts). They must get what everyone else gets: the same answers and
 * headers, the same access rule, a revoked token refused at once, the request logged and timed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import request from 'supertest';
import { VirtualClock } from '../../server/src/core/clock.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const NOW = Date.parse('2026-11-11T12:00:00+08:00');

describe('POST /api/events with an API token (the fast path)', () => {
  let t: TestApp;
  let db: string;
  const lines: Record<string, unknown>[] = [];
  const clock = new VirtualClock(NOW);

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    db = target.target.url;
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    cpSync('rules/flows/payment-reminder.flow.yaml', join(rulesDir, 'flows', 'payment-reminder.flow.yaml'));
    t = await createTestApp({
      database: target.target,
      rulesDir,
      clock,
      schedulers: false,
      settings: loadSettings({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
      logDestination: { write: (s: string) => void lines.push(JSON.parse(s)) },
    });
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name\nc1,Wang\nc2,Li\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  const server = () => t.app.getHttpServer();
  /** A statement on a connection of its own (another process's view of the file). */
  const sql = (text: string, params: unknown[] = []) => {
    const conn = new Database(db);
    try {
      const st = conn.prepare(text);
      return st.reader ? st.all(...params) : (st.run(...params), []);
    } finally {
      conn.close();
    }
  };
  const post = (token: string, body: unknown) => request(server()).post('/api/events').set('Authorization', `Bearer ${token}`).send(body as object);
  const event = (key: string, extra: Record<string, unknown> = {}) => ({ type: 'visit', customerExternalId: 'c1', occurredAt: new Date(NOW).toISOString(), idempotencyKey: key, properties: { page: '/' }, ...extra });
  /** Headers whose values differ per request by design. */
  const shape = (h: Record<string, string>) => Object.keys(h).filter((k) => !['date', 'etag', 'x-request-id', 'content-length'].includes(k)).sort();

  it('answers like the general path: same status, body and headers, replays marked', async () => {
    const { token } = await t.accounts.createToken('feed', ['events:write'], 'admin');
    // The first request verifies the token through the guard (general path); later ones are answered early.
    const first = await post(token, event('k1')).expect(200);
    const second = await post(token, event('k2')).expect(200);
    expect(second.body).toEqual(first.body);
    expect(second.body).toEqual({ accepted: 1, duplicates: 0, rejected: [], unknownTypes: [{ type: 'visit', count: 1, firstIndex: 0 }] });
    expect(shape(second.headers)).toEqual(shape(first.headers));
    expect(second.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
    expect(second.headers['x-powered-by']).toBeUndefined();

    const replay = await post(token, event('k2')).expect(200);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body).toEqual({ accepted: 1, duplicates: 0, rejected: [], unknownTypes: [{ type: 'visit', count: 1, firstIndex: 0 }] });

    const conflict = await post(token, event('k2', { type: 'other' })).expect(409);
    expect(conflict.body).toMatchObject({ statusCode: 409, error: 'Conflict', conflicts: [{ index: 0, idempotencyKey: 'k2' }] });
    const bad = await post(token, event('k3', { customerExternalId: 'nobody' })).expect(400);
    expect(bad.body).toMatchObject({ statusCode: 400, message: ['customerExternalId: unknown customer "nobody"'], accepted: 0 });
    const batch = await post(token, [event('k4'), event('k5', { occurredAt: 'yesterday' })]).expect(200);
    expect(batch.body).toMatchObject({ accepted: 1, duplicates: 0, rejected: [{ index: 1, field: 'occurredAt' }] });
    const notJson = await request(server()).post('/api/events').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"type": ').expect(400);
    expect(notJson.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'body: not valid JSON' });
    const scalar = await request(server()).post('/api/events').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('"visit"').expect(400);
    // Valid JSON of the wrong kind is said as such (it was "not valid JSON", sending the client after a syntax error).
    expect(scalar.body.message).toBe('body: expected a JSON object or array, got a string');
    expect(notJson.headers['content-security-policy']).toBe(first.headers['content-security-policy']);
  });

  it('applies the route rule: a token without events:write is refused, a revoked one at once', async () => {
    const reader = await t.accounts.createToken('reader', ['analyst'], 'admin');
    await post(reader.token, event('r1')).expect(403);
    await post(reader.token, event('r2')).expect(403);
    await request(server()).post('/api/events').set('Authorization', 'Bearer rk_unknown').send(event('r3')).expect(401);

    const feed = await t.accounts.createToken('revoked-feed', ['events:write'], 'admin');
    await post(feed.token, event('v1')).expect(200);
    await post(feed.token, event('v2')).expect(200); // answered from the verified-token cache
    const revoke = spawnSync(process.execPath, ['bin/rekindle.js', '--db', db, 'users', 'revoke', 'revoked-feed'], { encoding: 'utf8' });
    expect({ status: revoke.status, stderr: revoke.stderr }).toEqual({ status: 0, stderr: '' });
    const refused = await post(feed.token, event('v3')).expect(401);
    expect(refused.body.message).toMatch(/unknown, revoked or expired/);
    await post(feed.token, [event('v4')]).expect(401);
    await post(feed.token, 'not an event list').expect(401);
    expect(sql("SELECT idempotency_key FROM customer_events WHERE idempotency_key LIKE 'v%' ORDER BY 1")).toEqual([{ idempotency_key: 'v1' }, { idempotency_key: 'v2' }]);
  });

  it('follows a token re-scoped elsewhere: refused once it may no longer post events, admitted again after', async () => {
    const { token } = await t.accounts.createToken('rescoped-feed', ['events:write'], 'admin');
    await post(token, event('s1')).expect(200);
    await post(token, event('s2')).expect(200);
    // As another process would: its own connection to the shop's file.
    const rescope = (scopes: string[]) => sql('UPDATE api_tokens SET scopes = ? WHERE name = ?', [JSON.stringify(scopes), 'rescoped-feed']);
    rescope(['analyst']);
    const refused = await post(token, event('s3')).expect(403);
    expect(refused.body.message).toMatch(/token:rescoped-feed \(analyst\) may not do this: needs admin or events:write/);
    await post(token, [event('s4')]).expect(403);
    rescope(['events:write']);
    await post(token, event('s5')).expect(200);
    await post(token, event('s6')).expect(200);
  });

  it('answers before Express: a verified token\'s events never reach the Express app, anything else does', async () => {
    const express = t.app.getHttpAdapter().getInstance() as unknown as { handle: (...a: unknown[]) => unknown };
    const handle = express.handle;
    const seen: string[] = [];
    express.handle = function (this: unknown, ...a: unknown[]) {
      seen.push(String((a[0] as { url: string }).url));
      return handle.apply(this, a);
    };
    try {
      const { token } = await t.accounts.createToken('front-feed', ['events:write'], 'admin');
      await post(token, event('f1')).expect(200); // verified by the guard: the general path
      expect(seen).toEqual(['/api/events']);
      await post(token, event('f2')).expect(200);
      await post(token, event('f2')).expect(200);
      await request(server()).post('/api/events').set('Authorization', `Bearer ${token}`).set('Content-Type', 'application/json').send('{"type": ').expect(400);
      expect(seen).toEqual(['/api/events']);
      await request(server()).post('/api/events').set('Authorization', 'Bearer rk_unknown').send(event('f3')).expect(401);
      await t.http().get('/api/events/intake').expect(200);
      expect(seen).toEqual(['/api/events', '/api/events', '/api/events/intake']);
    } finally {
      express.handle = handle;
    }
  });

  it('logs and times each request as the general path does', async () => {
    const { token } = await t.accounts.createToken('logged-feed', ['events:write'], 'admin');
    await post(token, event('l1')).expect(200);
    const from = lines.length;
    const res = await post(token, event('l2')).set('X-Request-Id', 'feed-req-1').expect(200);
    expect(res.headers['x-request-id']).toBe('feed-req-1');
    expect(lines.slice(from)).toContainEqual(
      expect.objectContaining({ level: 30, requestId: 'feed-req-1', req: { id: 'feed-req-1', method: 'POST', url: '/api/events' }, res: { statusCode: 200 }, responseTime: expect.any(Number), msg: 'POST /api/events 200' }),
    );
    const generated = await post(token, event('l3')).set('X-Request-Id', 'not an id').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(lines)).not.toContain(token);

    const metrics = await t.http().get('/metrics').expect(200);
    expect(metrics.text).toMatch(/rekindle_http_request_duration_seconds_count\{method="POST",route="\/api\/events",status_code="200"\} \d+/);
    expect(metrics.text).not.toMatch(/route="static",status_code="200"/);
  });
});

describe('POST /api/events with an API token where CORS is configured', () => {
  let t: TestApp;

  beforeAll(async () => {
    const target = await freshTarget('sqlite');
    const rulesDir = tempDir('rekindle-rules-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    t = await createTestApp({ database: target.target, rulesDir, clock: new VirtualClock(NOW), schedulers: false, settings: loadSettings({ REKINDLE_CORS_ORIGINS: 'https://shop.example.com' }) });
    await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send('externalId,name\nc1,Wang\n').expect(200);
  });
  afterAll(async () => {
    await t?.close();
  });

  it("sets the cors middleware's headers as the general path does: Vary: Origin, credentials allowed", async () => {
    const { token } = await t.accounts.createToken('cors-feed', ['events:write'], 'admin');
    const post = (key: string) => request(t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${token}`).send({ type: 'visit', customerExternalId: 'c1', occurredAt: new Date(NOW).toISOString(), idempotencyKey: key });
    const general = await post('c1').expect(200); // the guard verifies the token: the general path
    const fast = await post('c2').expect(200);
    for (const res of [general, fast]) {
      expect(res.headers.vary).toBe('Origin');
      expect(res.headers['access-control-allow-credentials']).toBe('true');
      expect(res.headers['access-control-allow-origin']).toBeUndefined(); // no Origin asked for
    }
    const keys = (h: Record<string, string>) => Object.keys(h).filter((k) => !['date', 'etag', 'x-request-id', 'content-length'].includes(k)).sort();
    expect(keys(fast.headers)).toEqual(keys(general.headers));
    // A browser's request from the listed origin goes through the general stack and is allowed.
    const browser = await post('c3').set('Origin', 'https://shop.example.com').expect(200);
    expect(browser.headers['access-control-allow-origin']).toBe('https://shop.example.com');
  });
});
