/**
 * A field no event has (a client's typo: `propertes`, `occuredAt`) used to be dropped silently:
 * the event was stored without its properties and the client got a 2xx. Now the request is
 * refused with a 400 naming the place, and nothing of it is stored — alike on every way a body
 * is parsed: the general stack (a signed-in admin), the token fast path (events-fast-path.ts) and
 * the parser thread that takes large lists (runtime/event-batch-parser.ts).
 */
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import request from 'supertest';
import { THREAD_PARSE_MIN_BYTES } from '../../server/src/api/events/events-fast-path.js';
import { threadedAndInlineServers, type EventsServer as Server } from '../support/events-server.js';

const NOW = Date.parse('2026-11-11T12:00:00+08:00');

const event = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'order_paid', customerExternalId: `c${i % 50}`, occurredAt: new Date(NOW - i * 1000).toISOString(), idempotencyKey: `k${i}`, properties: { page: `/p/${i}`, 城市: '杭州', n: i }, ...extra });
/** The event with `properties` sent under a misspelt key. */
const typo = (e: Record<string, unknown>) => {
  const { properties, ...rest } = e;
  return { ...rest, propertes: properties };
};
const list = (from: number, n: number, edit: (e: Record<string, unknown>, i: number) => unknown = (e) => e) => Array.from({ length: n }, (_, k) => edit(event(from + k), from + k));

const stored = (s: Server): number => {
  const db = new Database(s.file, { readonly: true });
  try {
    return (db.prepare("SELECT count(*) AS n FROM customer_events WHERE client_id <> ''").get() as { n: number }).n;
  } finally {
    db.close();
  }
};

describe('POST /api/events refuses fields no event has', () => {
  const servers = threadedAndInlineServers(NOW);

  const byToken = (s: Server, body: unknown) => request(s.t.app.getHttpServer()).post('/api/events').set('Authorization', `Bearer ${s.token}`).set('Content-Type', 'application/json').send(JSON.stringify(body));
  const bySession = (s: Server, body: unknown) => s.t.http().post('/api/events').send(body as object);

  it('a single event with a misspelt field: 400 naming it with the field meant, nothing stored (token fast path and general stack)', async () => {
    const before = stored(servers.inline);
    for (const post of [byToken, bySession]) {
      const r = await post(servers.inline, typo(event(1)));
      expect(r.status).toBe(400);
      expect(r.body.message).toEqual(['propertes: unknown field; did you mean properties?']);
      expect(r.body.unknownFields).toEqual([{ index: 0, field: 'propertes', didYouMean: 'properties' }]);
    }
    expect(stored(servers.inline)).toBe(before);
  });

  it('a batch with one misspelt item: 400 naming events[index].field, none of its events stored (token fast path and general stack)', async () => {
    const before = stored(servers.inline);
    for (const post of [byToken, bySession]) {
      const r = await post(servers.inline, list(100, 10, (e, i) => (i === 103 ? typo(e) : i === 107 ? { ...e, occuredAt: e.occurredAt } : e)));
      expect(r.status).toBe(400);
      expect(r.body.message).toEqual(['events[3].propertes: unknown field; did you mean properties?', 'events[7].occuredAt: unknown field; did you mean occurredAt?']);
    }
    expect(stored(servers.inline)).toBe(before);
  });

  it('a list large enough for the parser thread answers as the request thread does, and stores nothing', async () => {
    const body = list(1000, 200, (e, i) => (i === 1150 ? typo(e) : i === 1160 ? { ...e, channel: 'sms' } : e));
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(THREAD_PARSE_MIN_BYTES);
    const [a, b] = [servers.threaded, servers.inline].map((s) => [s, stored(s)] as const);
    const ra = await byToken(servers.threaded, body);
    const rb = await byToken(servers.inline, body);
    expect({ status: ra.status, body: ra.body }).toEqual({ status: rb.status, body: rb.body });
    expect(ra.status).toBe(400);
    expect(ra.body.message).toEqual(['events[150].propertes: unknown field; did you mean properties?', 'events[160].channel: unknown field; an event has customerExternalId, type, occurredAt, idempotencyKey, properties']);
    expect(stored(a[0])).toBe(a[1]);
    expect(stored(b[0])).toBe(b[1]);
  });

  it('names every problem of the refused request in one 400, not only its first unknown field: later unknown fields and the other items\' problems (a missing type, an unreadable time, an unknown customer) — alike on the three paths', async () => {
    const body = list(4000, 200, (e, i) => {
      if (i === 4010) return typo(e);
      if (i === 4020) return (({ occurredAt, ...rest }) => ({ ...rest, occuredAt: occurredAt }))(e); // its "occurredAt: required" would say the same again
      if (i === 4030) return (({ type: _t, ...rest }) => rest)(e);
      if (i === 4040) return { ...e, occurredAt: 'yesterday' };
      if (i === 4050) return { ...e, customerExternalId: 'nobody' };
      if (i === 4060) return { ...e, channel: 'sms' };
      return e;
    });
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(THREAD_PARSE_MIN_BYTES);
    const before = [stored(servers.threaded), stored(servers.inline)];
    const answers = [await byToken(servers.threaded, body), await byToken(servers.inline, body), await bySession(servers.inline, body)];
    for (const r of answers) expect({ status: r.status, body: r.body }).toEqual({ status: answers[0].status, body: answers[0].body });
    const r = answers[0];
    expect(r.status).toBe(400);
    expect(r.body.message).toEqual([
      'events[10].propertes: unknown field; did you mean properties?',
      'events[20].occuredAt: unknown field; did you mean occurredAt?',
      expect.stringMatching(/^events\[30\]\.type: /),
      expect.stringMatching(/^events\[40\]\.occurredAt: /),
      'events[50].customerExternalId: unknown customer "nobody"',
      'events[60].channel: unknown field; an event has customerExternalId, type, occurredAt, idempotencyKey, properties',
    ]);
    expect(r.body.rejected.map((x: { index: number; field: string }) => `${x.index}.${x.field}`)).toEqual(['30.type', '40.occurredAt', '50.customerExternalId']);
    expect(r.body.accepted).toBe(0);
    expect([stored(servers.threaded), stored(servers.inline)]).toEqual(before);
  });

  it('a single event: its unknown field and its other problems in one 400', async () => {
    const { type: _t, ...untyped } = typo(event(4500)) as Record<string, unknown>;
    for (const post of [byToken, bySession]) {
      const r = await post(servers.inline, untyped);
      expect(r.status).toBe(400);
      expect(r.body.message).toEqual(['propertes: unknown field; did you mean properties?', expect.stringMatching(/^type: /)]);
    }
  });

  it('says one problem repeated over many events once, with how many more have it, and names at most 20 different problems, then how many more', async () => {
    const same = await byToken(servers.threaded, list(2000, 200, (e) => typo(e)));
    expect(same.status).toBe(400);
    expect(same.body.message).toEqual(['events[0].propertes: unknown field; did you mean properties? (the same in 199 more events)']);
    expect(same.body.unknownFields).toHaveLength(20);
    const many = await byToken(servers.threaded, list(2500, 200, (e, i) => ({ ...e, [`extra${i}`]: 1 })));
    expect(many.status).toBe(400);
    expect(many.body.message).toHaveLength(21);
    expect(many.body.message[0]).toBe('events[0].extra2500: unknown field; an event has customerExternalId, type, occurredAt, idempotencyKey, properties');
    expect(many.body.message[20]).toBe('… and 180 more different problem(s)');
  });

  it('the known fields still pass, properties with or without (single, small batch, parser-thread list)', async () => {
    const { properties: _p, ...bare } = event(3000);
    for (const post of [byToken, bySession]) expect((await post(servers.inline, { ...bare, idempotencyKey: `bare-${post === byToken}` })).status).toBe(200);
    expect((await byToken(servers.inline, list(3100, 5))).body).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    const mixed = list(3200, 200, (e, i) => (i % 2 ? e : { ...e, properties: undefined }));
    const r = await byToken(servers.threaded, mixed);
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ accepted: 200, duplicates: 0, rejected: [] });
  });
});
