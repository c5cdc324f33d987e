/**
 * bench/outbox: the channel dispatcher delivering a backlog of queued messages through the
 * outbox-only provider (what a shop without SMTP/webhook set up runs), as the server runs it
 * (`OutboxDispatcher` over the yielding `SqlOutboxStore`, default outbox settings: batches of
 * 100, 4 in flight), on PostgreSQL and on SQLite: messages/s with one dispatcher and with two
 * (two connections to the same database, as two server processes would have), next to a
 * baseline measured in the same run on the same database: the same rows claimed by the
 * dispatcher's own claim statement and marked sent by ONE plain `UPDATE … WHERE id IN (…)` per
 * batch, with no delivery (the database's floor for the outbox's two writes per batch).
 *
 *   npm run build && npm run bench:outbox -- [--sends 10000] [--db postgres,sqlite] [--dispatchers 1,2]
 *
 * Prints messages/s, CPU per message of this process and of the whole machine (PostgreSQL's
 * backends included: /proc/stat), and the load average.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import { buildProviders } from '../../server/src/core/channels/registry.js';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase, type DatabaseTarget } from '../../server/src/persistence/data-source.js';
import { claimStatement, SqlOutboxStore } from '../../server/src/persistence/outbox-store.js';
import { writeOne } from '../../server/src/persistence/outbox-sql.js';
import { isSqlite, sqliteWriteBatch } from '../../server/src/persistence/write-transaction.js';
import { yieldingOutboxStore } from '../../server/src/runtime/yielding-outbox-store.js';

const argv = process.argv;
const opt = (name: string, fallback: string) => (argv.indexOf(`--${name}`) > 0 ? argv[argv.indexOf(`--${name}`) + 1] : fallback);
const SENDS = Number(opt('sends', '10000'));
const DBS = opt('db', 'postgres,sqlite').split(',');
const DISPATCHERS = opt('dispatchers', '1,2').split(',').map(Number);
const CUSTOMERS = 2000;
const PG_ADMIN = process.env.REKINDLE_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const config = parseChannelsConfig({});
const providers = buildProviders(config, {}, hmacOpaqueId('bench secret'));

/** Jiffies (1/100 s) the whole machine spent busy (all CPUs), from /proc/stat; null elsewhere. */
function machineBusyTicks(): number | null {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return f[0] + f[1] + f[2] + f[5] + f[6] + f[7]; // user nice system irq softirq steal
  } catch {
    return null;
  }
}

/** The backlog: CUSTOMERS customers (email, consent), SENDS queued email sends due now, nothing else in `sends`. */
async function fillOutbox(ds: DataSource, now: number): Promise<void> {
  await ds.query('DELETE FROM sends');
  const cols = `idempotency_key, enrollment_id, customer_id, flow_id, version_id, node_id, channel, category, priority, subject, body, status, attempts, scheduled_at`;
  const first = Number((await ds.query('SELECT min(id) AS id FROM customers'))[0].id);
  const values = (g: string) => `'bench-' || ${g}, ${g}, ${first} + (${g} % ${CUSTOMERS}), 'winback', 1, 'send-1', 'email', 'marketing', 0, 'We miss you', 'Come back for 10% off', 'queued', 0, ${now} - ${g}`;
  if (isSqlite(ds)) await sqliteWriteBatch(ds, (db) => db.prepare(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${SENDS}) INSERT INTO sends (${cols}) SELECT ${values('i')} FROM g`).run());
  else {
    await ds.query(`INSERT INTO sends (${cols}) SELECT ${values('g')} FROM generate_series(1, ${SENDS}) g`);
    await ds.query('VACUUM ANALYZE sends');
  }
}

async function addCustomers(ds: DataSource): Promise<void> {
  const consent = JSON.stringify({ sms: true, email: true, wechat: true, wangwang: true, push: true });
  const cols = 'external_id, email, tags, consent, attributes, created_at, updated_at';
  const values = (g: string) => `'bench-c' || ${g}, 'c' || ${g} || '@example.com', '[]', '${consent}', '{}', 0, 0`;
  if (isSqlite(ds)) await sqliteWriteBatch(ds, (db) => db.prepare(`WITH RECURSIVE g(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM g WHERE i < ${CUSTOMERS}) INSERT INTO customers (${cols}) SELECT ${values('i')} FROM g`).run());
  else await ds.query(`INSERT INTO customers (${cols}) SELECT ${values('g')} FROM generate_series(1, ${CUSTOMERS}) g`);
}

interface Figure {
  label: string;
  messages: number;
  seconds: number;
  cpu: number;
  machineCpu: number | null;
}

async function timed(label: string, fn: () => Promise<number>): Promise<Figure> {
  const cpu = process.cpuUsage();
  const busy = machineBusyTicks();
  const t0 = performance.now();
  const messages = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu);
  const busyAfter = machineBusyTicks();
  return { label, messages, seconds, cpu: (used.user + used.system) / 1e6, machineCpu: busy === null || busyAfter === null ? null : (busyAfter - busy) / 100 };
}

/** The floor: claim a batch with the dispatcher's statement, mark it sent with one UPDATE by id. */
async function baseline(ds: DataSource): Promise<number> {
  let n = 0;
  for (;;) {
    const now = Date.now();
    const { sql, params } = claimStatement(isSqlite(ds), now, now + config.outbox.lease, config.outbox.batchSize);
    const claimed = await writeOne<{ id: number | string }>(ds, sql, params);
    if (claimed.length === 0) return n;
    const ids = claimed.map((c) => Number(c.id));
    const mark = `UPDATE sends SET status = 'sent', sent_at = ?, provider_message_id = 'floor', next_attempt_at = NULL WHERE status = 'sending' AND id IN (${ids.map(() => '?').join(', ')}) RETURNING id`;
    await writeOne(ds, mark, [now, ...ids]);
    n += ids.length;
    if (claimed.length < config.outbox.batchSize) return n;
  }
}

async function dispatchers(target: DatabaseTarget, first: DataSource, count: number): Promise<number> {
  const extra = await Promise.all(Array.from({ length: count - 1 }, () => openDatabase(target)));
  try {
    const reports = await Promise.all([first, ...extra].map((ds) => new OutboxDispatcher(yieldingOutboxStore(new SqlOutboxStore(ds)), providers, systemClock, config).dispatch()));
    const sent = reports.reduce((s, r) => s + r.sent, 0);
    const lost = reports.reduce((s, r) => s + r.lost, 0);
    if (lost > 0) throw new Error(`${lost} mark(s) lost`);
    return sent;
  } finally {
    for (const ds of extra) await ds.destroy();
  }
}

async function checkAllSent(ds: DataSource, label: string): Promise<void> {
  const r: { status: string; n: number | string }[] = await ds.query('SELECT status, COUNT(*) AS n FROM sends GROUP BY status');
  const counts = Object.fromEntries(r.map((x) => [x.status, Number(x.n)]));
  if (counts.sent !== SENDS || Object.keys(counts).length !== 1) throw new Error(`${label}: expected ${SENDS} sent, found ${JSON.stringify(counts)}`);
}

async function benchOne(kind: string): Promise<Figure[]> {
  let target: DatabaseTarget;
  let drop: () => Promise<void>;
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-outbox-'));
    target = { url: join(dir, 'shop.sqlite') };
    drop = async () => rmSync(dir, { recursive: true, force: true });
  } else {
    const name = `rekindle_bench_outbox_${process.pid}`;
    const admin = new pg.Client({ connectionString: PG_ADMIN });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    target = { url: PG_ADMIN.replace(/\/[^/]*$/, `/${name}`) };
    drop = async () => {
      const a = new pg.Client({ connectionString: PG_ADMIN });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    };
  }
  const ds = await openDatabase(target);
  const out: Figure[] = [];
  try {
    await addCustomers(ds);
    await fillOutbox(ds, Date.now());
    out.push(await timed(`${kind} baseline (claim + one UPDATE a batch, no delivery)`, () => baseline(ds)));
    await checkAllSent(ds, 'baseline');
    for (const n of DISPATCHERS) {
      await fillOutbox(ds, Date.now());
      out.push(await timed(`${kind} ${n} dispatcher${n > 1 ? 's' : ''}`, () => dispatchers(target, ds, n)));
      await checkAllSent(ds, `${n} dispatcher(s)`);
    }
  } finally {
    await ds.destroy();
    await drop();
  }
  return out;
}

async function main() {
  console.log(`outbox: ${SENDS.toLocaleString('en')} queued email sends of ${CUSTOMERS.toLocaleString('en')} customers, outbox-only provider, batches of ${config.outbox.batchSize}, ${config.outbox.concurrency} in flight; load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
  for (const kind of DBS) {
    const figures = await benchOne(kind);
    const floor = figures[0].messages / figures[0].seconds;
    for (const f of figures) {
      const rate = f.messages / f.seconds;
      const machine = f.machineCpu === null ? '' : `, machine CPU ${f.machineCpu.toFixed(1)} s = ${((f.machineCpu * 1e6) / f.messages).toFixed(0)} µs/message`;
      console.log(`${f.label}: ${f.messages.toLocaleString('en')} messages in ${f.seconds.toFixed(2)} s = ${Math.round(rate).toLocaleString('en')} messages/s (${(rate / floor).toFixed(2)}x baseline), this process CPU ${f.cpu.toFixed(1)} s = ${((f.cpu * 1e6) / f.messages).toFixed(0)} µs/message${machine}`);
    }
  }
  console.log(`load average (1, 5, 15 min) at the end: ${loadavg().map((l) => l.toFixed(2)).join(', ')}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
