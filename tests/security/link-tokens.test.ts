import { createHash } from 'node:crypto';
import { cpSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { freshTarget } from '../support/databases.js';
import { createTestApp, type TestApp } from '../support/http-app.js';
import { addCustomers } from '../support/shop-fixtures.js';
import { tempDir } from '../support/temp-dirs.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
/** How tokens used to be made (an unsalted hash of the send's idempotency key): what an attacker would try. */
const oldToken = (seed: string, length = 8) => {
  const h = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += ALPHABET[h[i] % ALPHABET.length];
  return s;
};

describe('tracked-link tokens and provider ids cannot be derived from ids', () => {
  let api: TestApp;
  let ds: DataSource;
  const clock = new VirtualClock(T0);
  const rules = tempDir('rekindle-links-rules-');
  cpSync(join(process.cwd(), 'rules'), rules, { recursive: true });

  beforeAll(async () => {
    const t = await freshTarget('sqlite');
    api = await createTestApp({ database: t.target, rulesDir: rules, clock, schedulers: false });
    ds = api.app.get(DataSource);
    const buyers = Array.from({ length: 20 }, (_, i) => ({ externalId: `buyer-${i}`, phone: `1390000${String(i).padStart(4, '0')}`, consentSms: true }));
    await addCustomers(ds, buyers, T0 - 30 * 24 * MS_PER_HOUR);
    await api.http('marketer').post('/api/flows/payment-reminder/publish').send({}).expect(200);
    const orders = buyers.map((b, i) => ({ customerExternalId: b.externalId, type: 'order_created', properties: { orderId: `o-${i}` }, occurredAt: new Date(T0).toISOString(), idempotencyKey: `order_created:o-${i}` }));
    await api.http('admin').post('/api/events').send(orders).expect(200);
    await api.http('admin').post('/api/engine/tick').expect(200);
    clock.advance(2 * MS_PER_HOUR + 60_000);
    await api.http('admin').post('/api/engine/tick').expect(200);
    await api.http('admin').post('/api/outbox/dispatch').expect(200);
  });
  afterAll(async () => api?.close());

  it('gives every send a random 12-character token; the real one redirects', async () => {
    const sends = await queryRows<{ link_token: string | null; idempotency_key: string; provider_message_id: string | null; status: string }>(ds, 'SELECT link_token, idempotency_key, provider_message_id, status FROM sends WHERE link_token IS NOT NULL');
    expect(sends.length).toBeGreaterThanOrEqual(10);
    for (const s of sends) {
      expect(s.link_token).toMatch(/^[A-Za-z0-9_-]{12}$/);
      expect(s.link_token).not.toBe(oldToken(`link:${s.idempotency_key}`));
    }
    const delivered = sends.find((s) => s.status === 'sent');
    expect(delivered).toBeDefined();
    await api.http('anonymous').get(`/r/${delivered!.link_token}`).expect(302);
    // Provider ids are opaque: no enrollment/node/step ids in them.
    const sent = sends.filter((s) => s.provider_message_id);
    expect(sent.length).toBeGreaterThan(0);
    for (const s of sent) {
      expect(s.provider_message_id).toMatch(/^outbox:[0-9a-f]{32}$/);
      expect(s.provider_message_id).not.toContain(s.idempotency_key);
    }
  });

  it('10,000 guesses built from known ids find no valid link and record no click', async () => {
    const sends = await queryRows<{ id: number; enrollment_id: number; node_id: string; customer_id: number }>(ds, 'SELECT id, enrollment_id, node_id, customer_id FROM sends');
    const nodes = [...new Set(sends.map((s) => s.node_id))];
    const maxEnrollment = Math.max(...sends.map((s) => Number(s.enrollment_id)));
    const guesses = new Set<string>();
    for (let e = 1; guesses.size < 10_000 && e <= maxEnrollment + 400; e++)
      for (const node of nodes)
        for (let step = 0; step < 6 && guesses.size < 10_000; step++) {
          const key = `${e}:${node}:${step}`;
          guesses.add(oldToken(`link:${key}`));
          guesses.add(createHash('sha256').update(key).digest('base64url').slice(0, 12));
        }
    for (let i = 1; guesses.size < 10_000; i++) guesses.add(createHash('sha256').update(`send:${i}`).digest('base64url').slice(0, 12));
    expect(guesses.size).toBe(10_000);
    const list = [...guesses];
    // One listening server and kept-alive connections, as a guessing client would use: through
    // supertest each of the 10,000 requests started and stopped a server of its own (~40 s quiet,
    // past 190 s on a shared machine) for the same answers.
    await api.app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(api.app.getHttpServer().address() as AddressInfo).port}`;
    const statuses = new Map<number, number>();
    for (let i = 0; i < list.length; i += 100) {
      const batch = await Promise.all(list.slice(i, i + 100).map((g) => fetch(`${base}/r/${g}`, { redirect: 'manual' }).then(async (r) => (await r.arrayBuffer(), r.status))));
      for (const s of batch) statuses.set(s, (statuses.get(s) ?? 0) + 1);
    }
    expect(Object.fromEntries(statuses)).toEqual({ 404: 10_000 });
    const clicks = await queryRows(ds, "SELECT COUNT(*) AS n FROM customer_events WHERE type = 'click'");
    expect(Number(clicks[0].n)).toBe(1); // the real click above, nothing else
  }, 300_000);
});
