/**
 * A stored event is a promise (issue 9): kill -9 the real server at random moments during an
 * HTTP burst of order_created and order_paid events, 20 times, with a client that retries what
 * was not acknowledged; then restart and let it settle. Every stored order_created event must
 * have exactly one payment-reminder journey, no message may be queued twice, and every paid
 * order's journey must have ended. Runs the built server (`npm test` builds it first).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { RuleSet, segmentsDir } from '../../server/src/core/rules/rule-set.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { FlowRepository } from '../../server/src/persistence/flow-repository.js';
import { AccountStore } from '../../server/src/persistence/accounts.js';
import { upsertCustomers } from '../../server/src/persistence/shop-repository.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { writeTransaction } from '../../server/src/persistence/write-transaction.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { DIALECTS, freshTarget } from '../support/databases.js';
import { freePort, serverReady } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

const ROUNDS = 20;
const CUSTOMERS = 40;
const HOUR = 3_600_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Ev {
  type: string;
  customerExternalId: string;
  occurredAt: string;
  idempotencyKey: string;
  properties: Record<string, unknown>;
}

describe.each(DIALECTS)('kill -9 of the server during an event burst, on %s', (dialect) => {
  let url: string;
  let drop: () => Promise<void>;
  let rulesDir: string;
  /** An order feed's API token: it may post events and nothing else. */
  let token: string;
  let seed = 9;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

  beforeAll(async () => {
    const t = await freshTarget(dialect, { migrated: true });
    url = t.target.url;
    drop = t.drop;
    rulesDir = tempDir('rekindle-kill-events-');
    for (const d of ['segments', 'flows']) mkdirSync(join(rulesDir, d));
    cpSync('rules/shop.yaml', join(rulesDir, 'shop.yaml'));
    cpSync('rules/flows/payment-reminder.flow.yaml', join(rulesDir, 'flows', 'payment-reminder.flow.yaml'));
    const ds = await openDatabase(t.target);
    const now = Date.now();
    await writeTransaction(ds, (m) => upsertCustomers(m, Array.from({ length: CUSTOMERS }, (_, i) => ({ externalId: `c${i}`, name: `C${i}`, consent: { sms: true, wangwang: i % 2 === 0 } })), { now, timezone: 'Asia/Shanghai' }));
    const { flow } = loadValidFlow(rulesDir, 'payment-reminder', RuleSet.loadDir(segmentsDir(rulesDir)));
    await new FlowRepository(ds).publish(flow, 'test', now - HOUR);
    ({ token } = await new AccountStore(ds).createToken('order-feed', ['events:write'], 'test'));
    await ds.destroy();
  });
  afterAll(async () => drop?.());

  function start(port: number): ChildProcess {
    return spawn(process.execPath, ['dist/server/src/main.js'], {
      env: { ...process.env, DATABASE_URL: url, REKINDLE_RULES: rulesDir, PORT: String(port), REKINDLE_TICK_MS: '200', REKINDLE_INTAKE_POLL_MS: '100', REKINDLE_QUIET: '1' },
      stdio: 'ignore',
    });
  }

  async function kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }

  /** Posts batches, several at a time; an event counts as delivered only once a 200 said so. */
  async function burst(base: string, events: Ev[], delivered: Set<string>): Promise<void> {
    const batches: Ev[][] = [];
    for (let i = 0; i < events.length; ) {
      const n = 1 + Math.floor(random() * 12);
      batches.push(events.slice(i, i + n));
      i += n;
    }
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const b = batches[next++];
        const res = await fetch(`${base}/api/events`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(b.length === 1 ? b[0] : b) });
        if (res.status !== 200) throw new Error(`POST /api/events answered ${res.status}: ${await res.text()}`);
        for (const e of b) delivered.add(e.idempotencyKey);
      }
    };
    await Promise.all(Array.from({ length: 6 }, worker)).catch((e: Error) => {
      if (!/fetch failed|ECONNRESET|socket|other side closed/i.test(`${e.message} ${(e.cause as Error | undefined)?.message ?? ''}`)) throw e;
    });
  }

  it(`leaves every event acted on exactly once after ${ROUNDS} kills`, async () => {
    const all: Ev[] = [];
    const delivered = new Set<string>();
    const paidOrders = new Set<string>();
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let orderNo = 0;
    for (let round = 0; round < ROUNDS; round++) {
      // New orders this round: half created 3 h ago (their first reminder is due at once), and
      // about half of all orders paid, some in the same burst as their creation.
      const now = Date.now();
      for (let i = 0; i < 30; i++) {
        const orderId = `o${orderNo++}`;
        const customer = `c${Math.floor(random() * CUSTOMERS)}`;
        const createdAt = now - (random() < 0.5 ? 3 * HOUR : 20_000);
        all.push({ type: 'order_created', customerExternalId: customer, occurredAt: new Date(createdAt).toISOString(), idempotencyKey: `${orderId}:created`, properties: { orderId } });
        if (random() < 0.5) {
          paidOrders.add(orderId);
          all.push({ type: 'order_paid', customerExternalId: customer, occurredAt: new Date(createdAt + 10_000).toISOString(), idempotencyKey: `${orderId}:paid`, properties: { orderId } });
        }
      }
      const child = start(port);
      try {
        await serverReady(base, child);
        // Undelivered events are retried; a few delivered ones are sent again (a client that lost the answer).
        const toSend = all.filter((e) => !delivered.has(e.idempotencyKey) || random() < 0.05);
        const killAfter = 20 + Math.floor(random() * 400);
        await Promise.all([burst(base, toSend, delivered), sleep(killAfter).then(() => kill(child))]);
      } finally {
        await kill(child);
      }
    }

    // Restart for good: deliver whatever is left, then let the engine settle.
    const child = start(port);
    let ds: DataSource | null = null;
    try {
      await serverReady(base, child);
      while (delivered.size < all.length) await burst(base, all.filter((e) => !delivered.has(e.idempotencyKey)), delivered);
      ds = await openDatabase({ url });
      const n = async (sql: string) => Number((await queryRows(ds!, sql))[0].n);
      const paidList = [...paidOrders].map((o) => `'${o}'`).join(', ');
      const settled = async () =>
        (await n('SELECT COUNT(*) AS n FROM event_inbox')) === 0 &&
        (await n(`SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'payment-reminder' AND status = 'active' AND journey_key IN (${paidList})`)) === 0;
      const until = Date.now() + 60_000;
      while (!(await settled()) && Date.now() < until) await sleep(200);

      expect(await n('SELECT COUNT(*) AS n FROM event_inbox')).toBe(0);
      // Every stored event was stored once, whatever the retries.
      expect(await n("SELECT COUNT(*) AS n FROM customer_events WHERE client_id <> ''")).toBe(all.length);
      // Every stored order_created event has exactly one journey.
      expect(await n("SELECT COUNT(*) AS n FROM customer_events WHERE type = 'order_created'")).toBe(orderNo);
      expect(
        await n(`SELECT COUNT(*) AS n FROM customer_events e WHERE e.type = 'order_created'
                  AND (SELECT COUNT(*) FROM enrollments j WHERE j.flow_id = 'payment-reminder' AND j.entry_key = 'event-' || e.id) <> 1`),
      ).toBe(0);
      expect(await n("SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'payment-reminder'")).toBe(orderNo);
      // No message queued twice.
      expect(await n('SELECT COUNT(*) AS n FROM (SELECT enrollment_id, node_id FROM sends GROUP BY enrollment_id, node_id HAVING COUNT(*) > 1) d')).toBe(0);
      // Every paid order's journey ended.
      expect(await n(`SELECT COUNT(*) AS n FROM enrollments WHERE flow_id = 'payment-reminder' AND status = 'active' AND journey_key IN (${paidList})`)).toBe(0);
      // The reminders that were due went out for unpaid orders (the run did real work).
      expect(await n("SELECT COUNT(*) AS n FROM sends WHERE flow_id = 'payment-reminder'")).toBeGreaterThan(0);
    } finally {
      await ds?.destroy();
      await kill(child);
    }
  }, 420_000);
});
