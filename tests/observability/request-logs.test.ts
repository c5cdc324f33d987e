import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loadSettings } from '../../server/src/config/settings.js';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { loggableUrl, scrubText } from '../../server/src/api/logging/pii-scrub.js';
import { usePrettyLogs } from '../../server/src/api/logging/logger-options.js';
import { QuietFrameworkLogger } from '../../server/src/api/logging/framework-chatter.js';
import type { PinoLogger } from 'nestjs-pino';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { tempDir } from '../support/temp-dirs.js';

const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const PHONE = '13912345678';
const EMAIL = 'jane.doe@shopper-mail.cn';
const PII = [PHONE, '139 1234 5678', EMAIL, 'jane.doe', '上海市浦东新区世纪大道100号'];

describe('structured request logs (nestjs-pino)', () => {
  let t: TestApp;
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const clock = new VirtualClock(T0);

  beforeAll(async () => {
    const rules = tempDir('rekindle-logs-rules-');
    cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });
    const db = await freshTarget('sqlite');
    t = await createTestApp({
      database: db.target,
      rulesDir: rules,
      clock,
      schedulers: false,
      settings: loadSettings({ LOG_LEVEL: 'info', LOG_FORMAT: 'json' }),
      logDestination: {
        write(s: string) {
          raw.push(s);
          lines.push(JSON.parse(s));
        },
      },
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** Sends a request and returns the log lines written while it was handled. */
  async function logged(send: () => PromiseLike<{ headers: Record<string, string> }>) {
    const from = lines.length;
    const res = await send();
    return { res, during: lines.slice(from) };
  }

  it('puts the request id on every line of a request, honours X-Request-Id and echoes it; no phone or e-mail anywhere', async () => {
    const csv = `externalId,name,phone,email,province,city\nbuyer-1,Jane Doe,${PHONE},${EMAIL},上海,上海\n`;
    const imp = await logged(() => t.http().post('/api/import/customers').set('Content-Type', 'text/csv').set('X-Request-Id', 'req-import-1').send(csv).expect(200));
    expect(imp.res.headers['x-request-id']).toBe('req-import-1');

    await t.http().post('/api/flows/payment-reminder/publish').send({ author: 'marketer' }).expect(200);
    const event = { customerExternalId: 'buyer-1', type: 'order_created', properties: { orderId: 'o-1', phone: PHONE, email: EMAIL, address: PII[4] }, occurredAt: new Date(T0).toISOString(), idempotencyKey: 'order_created:o-1' };
    await t.http().post('/api/events').set('X-Request-Id', 'req-event-1').send(event).expect((r) => expect([200, 201]).toContain(r.status));
    clock.advance(2 * MS_PER_HOUR);

    // The tick and the dispatch log what they did from inside the request: those lines carry its id too.
    const tick = await logged(() => t.http().post('/api/engine/tick').set('X-Request-Id', 'req-tick-1').expect(200));
    const dispatch = await logged(() => t.http().post('/api/outbox/dispatch').set('X-Request-Id', 'req-dispatch-1').expect((r) => expect([200, 201]).toContain(r.status)));
    for (const [r, id] of [[tick, 'req-tick-1'], [dispatch, 'req-dispatch-1']] as const) {
      expect(r.res.headers['x-request-id']).toBe(id);
      expect(r.during.length).toBeGreaterThanOrEqual(2); // what the engine/outbox did + the access line
      for (const line of r.during) expect(line).toMatchObject({ requestId: id });
    }
    expect(tick.during.map((l) => l.msg)).toContainEqual(expect.stringMatching(/entered \d+, stepped \d+, queued 1 message/));
    expect(dispatch.during.map((l) => l.msg)).toContainEqual(expect.stringMatching(/^sent 1,/));
    expect(dispatch.during.at(-1)).toMatchObject({ msg: 'POST /api/outbox/dispatch 200', req: { method: 'POST', url: '/api/outbox/dispatch' }, res: { statusCode: 200 }, responseTime: expect.any(Number) });

    // A phone number in a query string is not logged either.
    const search = await logged(() => t.http().get(`/api/customers?search=${PHONE}`).expect(200));
    expect(search.res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/); // generated when none was sent
    expect(search.during.at(-1)).toMatchObject({ requestId: search.res.headers['x-request-id'], req: { url: '/api/customers?search=[redacted]' } });

    const everything = raw.join('');
    for (const pii of PII) expect(everything).not.toContain(pii);
    expect(everything).not.toMatch(/[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z]{2,}/);
    expect(lines.every((l) => typeof l.level === 'number' && typeof l.time === 'number')).toBe(true);
  });

  it("keeps Nest's start-up chatter (a line per module, controller and route) out of the info log, and the started line in it", async () => {
    // This app started at info: ~120 such lines once buried the demo shop's password and address.
    const started = lines.filter((l) => l.context === 'NestApplication');
    expect(started.map((l) => l.msg)).toEqual(['Nest application successfully started']);
    for (const noisy of ['InstanceLoader', 'RoutesResolver', 'RouterExplorer']) expect(lines.map((l) => l.context)).not.toContain(noisy);
    // At LOG_LEVEL=debug they are still there, at debug.
    const calls: [string, unknown][] = [];
    const pino = Object.fromEntries(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].map((level) => [level, (...args: unknown[]) => void calls.push([level, args[0]])]));
    const logger = new QuietFrameworkLogger(pino as unknown as PinoLogger, { renameContext: 'context' });
    logger.log('Mapped {/api/flows, GET} route', 'RouterExplorer');
    logger.log('CoreModule dependencies initialized', 'InstanceLoader');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('Rekindle is running', 'Rekindle');
    expect(calls.map(([level, at]) => [level, (at as { context?: string }).context])).toEqual([
      ['debug', 'RouterExplorer'],
      ['debug', 'InstanceLoader'],
      ['info', 'NestApplication'],
      ['info', 'Rekindle'],
    ]);
  });

  it('replaces an X-Request-Id that is not a plain id (spaces, markup, too long)', async () => {
    for (const bad of ['<script>', 'a b', 'x'.repeat(200)]) {
      const r = await t.http().get('/api/health').set('X-Request-Id', bad).expect(200);
      expect(r.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    }
  });
});

describe('PII scrubbing and log format', () => {
  it('masks e-mail addresses and phone numbers in text, keeps ids and timestamps', () => {
    expect(scrubText('send 42 to 13912345678 failed')).toBe('send 42 to [phone] failed');
    expect(scrubText('+86 139-1234-5678 / +44 20 7946 0958')).toBe('[phone] / [phone]');
    expect(scrubText('smtp 550 <jane.doe@shopper-mail.cn> rejected')).toBe('smtp 550 <[email]> rejected');
    expect(scrubText('customer 1002, at 1764400000000, order o-13912')).toBe('customer 1002, at 1764400000000, order o-13912');
  });

  it('logs query keys but not their values, and hides tracked-link tokens', () => {
    expect(loggableUrl('/api/customers?search=13912345678&page=2')).toBe('/api/customers?search=[redacted]&page=[redacted]');
    expect(loggableUrl('/r/abcDEF123')).toBe('/r/:token');
    expect(loggableUrl('/api/flows')).toBe('/api/flows');
  });

  it('writes JSON in production or off a terminal, pretty lines at a terminal', () => {
    const s = (env: Record<string, string>) => loadSettings(env);
    expect(usePrettyLogs(s({}), true)).toBe(true);
    expect(usePrettyLogs(s({}), false)).toBe(false);
    expect(usePrettyLogs(s({ NODE_ENV: 'production' }), true)).toBe(false);
    expect(usePrettyLogs(s({ LOG_FORMAT: 'json' }), true)).toBe(false);
    expect(usePrettyLogs(s({ LOG_FORMAT: 'pretty' }), false)).toBe(true);
  });
});
