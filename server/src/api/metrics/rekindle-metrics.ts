import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { Clock } from '../../core/clock.js';
import type { EngineObserver, EngineTickReport } from '../../core/observability/engine-observer.js';
import { readOperationsSnapshot, type OperationsSnapshot } from '../../persistence/operations-snapshot.js';
import { plannerOf } from '../../persistence/planner-lease.js';

/** Statuses a message ends in: their counts only grow, so they are counters. */
const FINAL_STATUSES = new Set(['sent', 'failed', 'blocked', 'skipped']);

/**
 * Label for a held-back message's reason, kept to a bounded set: the policy's reason names a rule
 * kind and a configured name (`capped:sms-nov`, `blocked:list:bad-reviews`), never a customer, but
 * may end in an instant (`given-up:until-…`) or a campaign; those tails are dropped.
 */
export function blockReasonLabel(reason: string | null): string {
  if (!reason) return 'unknown';
  const [kind, a] = reason.split(':');
  switch (kind) {
    case 'capped':
    case 'no-consent':
    case 'no-address':
    case 'unsubscribed':
    case 'quiet-hours':
    case 'blocked':
      return a ? `${kind}:${a}` : kind;
    default:
      return kind;
  }
}

/**
 * The Prometheus registry of one server. Engine figures arrive through the EngineObserver port
 * (the runtime hands this object to the engine); shop figures (messages, backlog, outbox age) are
 * read from the database when scraped, at most once a second. One registry per app, so several
 * apps in one process (tests) do not share series.
 */
export class RekindleMetrics implements EngineObserver {
  readonly registry = new Registry();
  /** Engine clock of the last finished tick (readiness compares it with the same clock). */
  lastTickAt: number | null = null;
  lastTickError: string | null = null;
  /** Who plans this shop while this server's ticker stands by (journey-ticker.ts); null: this one plans, or there is no lease (SQLite). */
  plannerStandingBy: string | null = null;

  private readonly steps: Counter;
  private readonly ticks: Counter<'outcome'>;
  private readonly enrolled: Counter;
  private readonly lastTick: Gauge;
  private readonly eventLag: Histogram;
  private readonly undeclared: Counter;
  private readonly pruned: Counter<'table'>;
  private readonly pruneRuns: Counter<'outcome'>;
  readonly http: Histogram<'method' | 'route' | 'status_code'>;
  private snapshot: { at: number; value: Promise<OperationsSnapshot> } | null = null;

  constructor(
    private readonly ds: DataSource,
    private readonly clock: Clock,
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.steps = new Counter({ name: 'rekindle_engine_steps_total', help: 'Journey steps the engine took (rate() gives steps/s).', registers });
    this.ticks = new Counter({ name: 'rekindle_engine_ticks_total', help: 'Engine ticks, by outcome (ok, failed).', labelNames: ['outcome'], registers });
    this.enrolled = new Counter({ name: 'rekindle_engine_enrolled_total', help: 'Customers enrolled into journeys by scheduled entries.', registers });
    this.lastTick = new Gauge({ name: 'rekindle_engine_last_tick_timestamp_seconds', help: 'When the engine last finished a tick (engine clock, Unix seconds).', registers });
    const self = this;
    new Gauge({
      name: 'rekindle_planner_standing_by',
      help: '1 while this server does not plan because another planner of the shop holds the planner lease (PostgreSQL), else 0.',
      registers,
      collect() {
        this.set(self.plannerStandingBy === null ? 0 : 1);
      },
    });
    if (ds.options.type === 'postgres') {
      new Gauge({
        name: 'rekindle_planner_present',
        help: 'PostgreSQL: 1 when some process (this server, another, or a rekindle scheduler) holds the shop’s planner lease, 0 when nothing plans the shop (alert on it: journeys would wait for ever).',
        registers,
        async collect() {
          this.set((await plannerOf((sql, params) => ds.query(sql, params))) === null ? 0 : 1);
        },
      });
    }
    this.eventLag = new Histogram({
      name: 'rekindle_event_to_journey_lag_seconds',
      help: 'From a customer event reaching Rekindle to the engine acting on it (starting or waking journeys).',
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600],
      registers,
    });
    this.pruned = new Counter({ name: 'rekindle_retention_pruned_rows_total', help: 'Rows the scheduled retention prune deleted, by table (customer_events, consumed_events).', labelNames: ['table'], registers });
    this.pruneRuns = new Counter({ name: 'rekindle_retention_runs_total', help: 'Scheduled retention prunes this server ran, by outcome (ok, failed).', labelNames: ['outcome'], registers });
    this.undeclared = new Counter({
      name: 'rekindle_events_undeclared_total',
      help: 'Events received through POST /api/events whose type neither the system records nor rules/shop.yaml declares (stored; the answer names them in unknownTypes; the log names each type once).',
      registers,
    });
    this.http = new Histogram({
      name: 'rekindle_http_request_duration_seconds',
      help: 'HTTP request latency by method, route pattern and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });

    const snap = () => this.readSnapshot();
    const nowS = () => this.clock.now() / 1000;
    new Counter({
      name: 'rekindle_sends_total',
      help: 'Messages that reached a final status, by channel and status (sent, failed, blocked, skipped).',
      labelNames: ['channel', 'status'],
      registers,
      async collect() {
        const s = await snap();
        this.reset();
        for (const r of s.sends) if (FINAL_STATUSES.has(r.status)) this.inc({ channel: r.channel, status: r.status }, r.count);
      },
    });
    new Gauge({
      name: 'rekindle_outbox_messages',
      help: 'Messages waiting in the outbox, by channel and status (queued, sending).',
      labelNames: ['channel', 'status'],
      registers,
      async collect() {
        const s = await snap();
        this.reset();
        for (const r of s.sends) if (!FINAL_STATUSES.has(r.status)) this.inc({ channel: r.channel, status: r.status }, r.count);
      },
    });
    new Counter({
      name: 'rekindle_policy_blocks_total',
      help: 'Messages the contact policy held back (blocked or skipped), by reason.',
      labelNames: ['reason'],
      registers,
      async collect() {
        const s = await snap();
        this.reset();
        for (const r of s.sends) if (r.status === 'blocked' || r.status === 'skipped') this.inc({ reason: blockReasonLabel(r.reason) }, r.count);
      },
    });
    new Gauge({
      name: 'rekindle_journeys_due',
      help: 'Journeys whose wake-up time has passed and that wait for a step (the due backlog).',
      registers,
      async collect() {
        this.set((await snap()).dueJourneys);
      },
    });
    new Gauge({
      name: 'rekindle_journeys_oldest_due_age_seconds',
      help: 'How long the longest-waiting due journey has been due (0 when none).',
      registers,
      async collect() {
        const s = await snap();
        this.set(s.oldestDueJourneyAt === null ? 0 : Math.max(0, nowS() - s.oldestDueJourneyAt / 1000));
      },
    });
    new Gauge({
      name: 'rekindle_event_inbox_pending',
      help: 'Stored customer events the engine has not acted on yet.',
      registers,
      async collect() {
        this.set((await snap()).inboxPending);
      },
    });
    new Gauge({
      name: 'rekindle_event_inbox_oldest_age_seconds',
      help: 'How long the oldest pending event has waited for the engine (0 when none): the live event-to-journey lag.',
      registers,
      async collect() {
        const s = await snap();
        this.set(s.oldestInboxAt === null ? 0 : Math.max(0, nowS() - s.oldestInboxAt / 1000));
      },
    });
    new Gauge({
      name: 'rekindle_outbox_due',
      help: 'Queued messages whose send time has passed.',
      registers,
      async collect() {
        this.set((await snap()).outboxDue);
      },
    });
    new Gauge({
      name: 'rekindle_outbox_oldest_due_age_seconds',
      help: 'Age of the oldest queued message that is due (0 when none): the outbox is stuck when it keeps growing.',
      registers,
      async collect() {
        const s = await snap();
        this.set(s.oldestOutboxDueAt === null ? 0 : Math.max(0, nowS() - s.oldestOutboxDueAt / 1000));
      },
    });
  }

  /** `count` events of an undeclared type were received (api/events). */
  undeclaredEvents(count: number): void {
    this.undeclared.inc(count);
  }

  /** A scheduled prune finished (api/journeys/event-pruner.ts): rows deleted per table. */
  pruneFinished(counts: { events: number; consumedEvents: number }): void {
    this.pruneRuns.inc({ outcome: 'ok' });
    this.pruned.inc({ table: 'customer_events' }, counts.events);
    this.pruned.inc({ table: 'consumed_events' }, counts.consumedEvents);
  }

  pruneFailed(): void {
    this.pruneRuns.inc({ outcome: 'failed' });
  }

  ticked(r: EngineTickReport): void {
    this.lastTickAt = r.at;
    this.lastTickError = null;
    this.ticks.inc({ outcome: 'ok' });
    this.steps.inc(r.steps);
    this.enrolled.inc(r.enrolled);
    this.lastTick.set(r.at / 1000);
  }

  tickFailed(_at: number, error: Error): void {
    this.lastTickError = error.message;
    this.ticks.inc({ outcome: 'failed' });
  }

  eventsHandled(at: number, since: number[]): void {
    for (const t of since) this.eventLag.observe(Math.max(0, (at - t) / 1000));
  }

  async exposition(): Promise<string> {
    this.snapshot = null; // every scrape reads the database afresh
    return this.registry.metrics();
  }

  /** One database read per scrape, shared by the series above. */
  private readSnapshot(): Promise<OperationsSnapshot> {
    const wall = Date.now();
    if (!this.snapshot || wall - this.snapshot.at > 1000) this.snapshot = { at: wall, value: readOperationsSnapshot(this.ds, this.clock.now()) };
    return this.snapshot.value;
  }
}
