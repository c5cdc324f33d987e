/**
 * Lists of events from an API token are parsed and validated in the events API's parser thread
 * (runtime/event-batch-parser.ts; issue 9). A feed must not be able to tell: the same answers
 * (accepted, duplicates, rejections naming index and field, 409 on a key reused for another
 * event, the original answer on the same reuse, body errors) and the same rows stored and
 * queued for the engine as a server that parses in its request thread.
 */
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import request from 'supertest';
import { THREAD_PARSE_MIN_BYTES } from '../../server/src/api/events/events-fast-path.js';
import { EVENT_BATCH_PARSER } from '../../server/src/api/tokens.js';
import type { EventBatchParser } from '../../server/src/runtime/event-batch-parser.js';
import { EVENT_PARSER_ENTRY, eventsServer, threadedAndInlineServers, type EventsServer as Server } from '../support/events-server.js';

const NOW = Date.parse('2026-11-11T12:00:00+08:00');

const event = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'visit', customerExternalId: `c${i % 50}`, occurredAt: new Date(NOW - i * 1000).toISOString(), idempotencyKey: `k${i}`, properties: { page: `/p/${i}`, 城市: '杭州', n: i }, ...extra });
/** A list large enough to go to the parser thread. */
const list = (from: number, n: number, edit: (e: Record<string, unknown>, i: number) => unknown = (e) => e) => Array.from({ length: n }, (_, k) => edit(event(from + k), from + k));

describe('POST /api/events lists parsed in the parser thread', () => {
  const servers = threadedAndInlineServers(NOW);

  const post = (s: Server, body: string) => request(s.t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${s.token}`).set('Content-Type', 'application/json').send(body);
  /** Posts to both servers; the answers must be the same. */
  async function both(body: unknown, status: number) {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const a = await post(servers.threaded, text);
    const b = await post(servers.inline, text);
    expect({ status: a.status, body: a.body, replayed: a.headers['idempotent-replayed'] }).toEqual({ status: b.status, body: b.body, replayed: b.headers['idempotent-replayed'] });
    expect(a.status).toBe(status);
    return a.body;
  }
  const rows = (s: Server) => {
    const db = new Database(s.file, { readonly: true });
    try {
      return {
        events: db.prepare("SELECT customer_id, type, properties, occurred_at, idempotency_key, client_id FROM customer_events WHERE client_id <> '' ORDER BY id").all(),
        inbox: db.prepare('SELECT e.idempotency_key FROM event_inbox i JOIN customer_events e ON e.id = i.event_id ORDER BY e.id').all(),
      };
    } finally {
      db.close();
    }
  };

  it('answers and stores as the request thread does', async () => {
    expect(Buffer.byteLength(JSON.stringify(list(0, 200)))).toBeGreaterThan(THREAD_PARSE_MIN_BYTES);
    // visit is not declared in the shop's rules/shop.yaml: stored, and named back alike by both.
    const visits = { unknownTypes: [{ type: 'visit', count: 200, firstIndex: 0 }] };
    expect(await both(list(0, 200), 200)).toEqual({ accepted: 200, duplicates: 0, rejected: [], ...visits });
    // Invalid items: rejected by index and field, the others stored.
    const mixed = list(200, 200, (e, i) => (i === 205 ? { ...e, occurredAt: '2026-02-30T00:00:00Z' } : i === 210 ? { ...e, customerExternalId: 'nobody' } : i === 220 ? { ...e, properties: [1] } : i === 230 ? 'x' : e));
    const answer = await both(mixed, 200);
    expect(answer).toMatchObject({ accepted: 196, duplicates: 0 });
    expect(answer.rejected.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([
      [5, 'occurredAt'],
      [10, 'customerExternalId'],
      [20, 'properties'],
      [30, expect.any(String)],
    ]);
    // The same list again: its original answer's events are duplicates, nothing stored twice.
    expect(await both(list(0, 200), 200)).toEqual({ accepted: 0, duplicates: 200, rejected: [], ...visits });
    // A key reused for another event: 409, nothing of the request stored.
    const reuse = await both(list(400, 200, (e, i) => (i === 450 ? { ...e, idempotencyKey: 'k3' } : e)), 409);
    expect(reuse.conflicts).toEqual([{ index: 50, idempotencyKey: 'k3' }]);
    // Properties in another key order are the same event (a duplicate, not a conflict).
    expect(await both(list(0, 200, (e, i) => ({ ...e, properties: { n: i, 城市: '杭州', page: `/p/${i}` } })), 200)).toEqual({ accepted: 0, duplicates: 200, rejected: [], ...visits });
    expect(rows(servers.threaded)).toEqual(rows(servers.inline));
    expect(rows(servers.threaded).events).toHaveLength(396);
  });

  it('leaves every other body to the request thread: same errors', async () => {
    const big = JSON.stringify(list(1000, 200));
    await both(big.slice(0, -1), 400);
    await both(big + 'x', 400);
    await both(`[${'1,'.repeat(10_000)}1]`, 400);
    // A single event over the size limit (an object, not a list).
    await both(event(2000, { properties: { big: 'x'.repeat(20_000) } }), 200);
  });
});

describe('the parser thread of a closed server', () => {
  it('stops with the app: a list after close gets no columns from it (the thread had outlived every closed app)', async () => {
    const s = await eventsServer(NOW, EVENT_PARSER_ENTRY);
    let closed = false;
    try {
      const body = JSON.stringify(list(0, 200));
      expect(Buffer.byteLength(body)).toBeGreaterThan(THREAD_PARSE_MIN_BYTES);
      await request(s.t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${s.token}`).set('Content-Type', 'application/json').send(body).expect(200);
      const parser = s.t.app.get<EventBatchParser | null>(EVENT_BATCH_PARSER);
      const bytes = new TextEncoder().encode(JSON.stringify(list(500, 3)));
      expect(await parser?.parse(bytes, 'Asia/Shanghai', 1000)).toMatchObject({ idempotencyKey: ['k500', 'k501', 'k502'] });
      await s.t.close();
      closed = true;
      expect(await parser?.parse(bytes, 'Asia/Shanghai', 1000)).toBeNull();
    } finally {
      if (!closed) await s.t.close();
    }
  });
});
