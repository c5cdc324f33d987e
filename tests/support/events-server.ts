import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll } from '@jest/globals';
import request from 'supertest';
import { VirtualClock } from '../../server/src/core/clock.js';
import { loadSettings } from '../../server/src/config/settings.js';
import { freshTarget } from './databases.js';
import { createTestApp, type TestApp } from './http-app.js';
import { tempDir } from './temp-dirs.js';

/** Worker threads run compiled JavaScript: the batch parser thread's entry from dist/ (npm test builds it first). */
export const EVENT_PARSER_ENTRY = new URL('../../dist/server/src/runtime/event-batch-parse-thread.js', import.meta.url);

export interface EventsServer {
  t: TestApp;
  file: string;
  token: string;
}

/**
 * A server on a fresh SQLite file with 50 customers (c0…c49) and an `events:write` token whose
 * first request has gone the general way already, so later ones take the token fast path.
 * `entry` null: no batch parser thread (every list parsed on the request thread).
 */
export async function eventsServer(now: number, entry: URL | null): Promise<EventsServer> {
  const target = await freshTarget('sqlite');
  const rulesDir = tempDir('rekindle-rules-');
  for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
  cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
  const t = await createTestApp({ database: target.target, rulesDir, clock: new VirtualClock(now), schedulers: false, settings: loadSettings({ LOG_LEVEL: 'silent' }), eventBatchParserEntry: entry });
  const customers = ['externalId,name', ...Array.from({ length: 50 }, (_, i) => `c${i},N${i}`)].join('\n');
  await t.http().post('/api/import/customers').set('Content-Type', 'text/csv').send(customers).expect(200);
  const { token } = await t.accounts.createToken('feed', ['events:write'], 'admin');
  await request(t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${token}`).send([]).expect(200);
  return { t, file: target.target.url, token };
}

export interface ThreadedAndInline {
  /** Lists large enough go to the batch parser thread (EVENT_PARSER_ENTRY). */
  threaded: EventsServer;
  /** No parser thread: every body parsed on the request thread. */
  inline: EventsServer;
}

/**
 * Registers the beforeAll/afterAll of a describe block that compares the parser thread with the
 * request thread: two servers as eventsServer builds them, one with the thread and one without.
 * Read the servers inside the tests (they exist once beforeAll has run).
 */
export function threadedAndInlineServers(now: number): ThreadedAndInline {
  const servers = {} as ThreadedAndInline;
  beforeAll(async () => {
    servers.threaded = await eventsServer(now, EVENT_PARSER_ENTRY);
    servers.inline = await eventsServer(now, null);
  });
  afterAll(async () => {
    await servers.threaded?.t.close();
    await servers.inline?.t.close();
  });
  return servers;
}
