import type { DataSource } from 'typeorm';
import type { Clock } from '../core/clock.js';
import { flowRuleEvaluator } from '../core/engine/flow-rules.js';
import { defaultExecutors } from '../core/engine/executors/index.js';
import { createSendExecutor } from '../core/engine/executors/send.executor.js';
import { CouponLedger } from '../persistence/coupon-ledger.js';
import { createSplitExecutor } from '../core/engine/executors/split.executor.js';
import { JourneyEngine, type JourneyEngineDeps } from '../core/engine/journey-engine.js';
import { NO_ENGINE_OBSERVER, type EngineObserver } from '../core/observability/engine-observer.js';
import { EventIntake, type EventInbox } from '../core/engine/event-intake.js';
import { Serial } from '../core/engine/serial.js';
import { SqlEventInbox } from '../persistence/event-inbox.js';
import { ExperimentStore } from '../persistence/experiment-store.js';
import type { SegmentPort } from '../core/engine/ports.js';
import { type RuleSet, segmentsDir } from '../core/rules/rule-set.js';
import { SegmentRulesOnDisk } from './segment-rules-on-disk.js';
import { runSegment } from '../core/segment/segmenter.js';
import type { Workspace } from '../config/workspace.js';
import { FlowRepository } from '../persistence/flow-repository.js';
import { TypeOrmJourneyStore } from '../persistence/journey-store.js';
import { SqlSegmentStore } from '../persistence/segment-store.js';
import { PolicyFile } from '../persistence/policy-file.js';
import { PolicyStore } from '../persistence/policy-store.js';
import { InProcessStepQueue } from '../core/engine/step-queue.js';
import { SwitchPrecompute } from './switch-precompute.js';
import { loadChannelsConfig } from '../core/channels/config-file.js';
import { setting } from '../config/settings.js';

/**
 * The one place that assembles the journey engine from a database and the shop's workspace.
 * The server, the CLI (`simulate`), the tests and the benchmarks all build it here, so they run
 * the same engine.
 */
export interface EngineRuntime {
  engine: JourneyEngine;
  store: TypeOrmJourneyStore;
  flows: FlowRepository;
  rules: RuleSet;
  segments: SegmentPort;
  /** rules/policy.yaml and rules/lists/ (contact policy), and the store that enforces it. */
  policyFile: PolicyFile;
  policy: PolicyStore;
  /** rules/coupons.yaml and the coupons ledger. */
  coupons: CouponLedger;
  /** Consumes the durable event inbox into the engine (server; `onEvents` is for simulate/tests). */
  intake: EventIntake;
  /** The switch thread, when asked for (EngineRuntimeOptions.switchThread): close it when done. */
  switchThread: SwitchPrecompute | null;
}

export interface EngineRuntimeOptions {
  /** Enrollments stepped per batch (one transaction each). */
  batchSize?: number;
  /** Inbox events consumed per batch (one transaction each); default INTAKE_BATCH. */
  intakeBatch?: number;
  rules?: RuleSet;
  queue?: JourneyEngineDeps['queue'];
  /** Who hears about ticks and handled events (metrics, readiness); nobody by default. */
  observer?: EngineObserver;
  /** The operator's log for what the engine cannot do and someone must fix (a running flow's entry segment gone); nowhere by default. */
  warn?: (message: string) => void;
  /**
   * Decide switch nodes one batch ahead on a thread of its own (switch-precompute.ts): for a
   * simulation on SQLite, whose one connection stays on this thread. Ignored on PostgreSQL. A URL:
   * the thread's compiled entry module (tests, which run from the TypeScript sources).
   */
  switchThread?: boolean | URL;
  /**
   * The address customers reach the server at, for the `/r/<token>` links the send step renders
   * into the stored bodies (null: relative links). Not given: rules/channels.yaml's publicBaseUrl,
   * else REKINDLE_PUBLIC_BASE_URL, as the server's dispatcher and preview read them — so the CLI
   * (`simulate`, `worker`, `scheduler`, `flows`) renders what the server would; read at the first
   * message rendered. The server passes its own (its settings may be given rather than read from
   * the environment).
   */
  publicBaseUrl?: string | null;
}

/**
 * rules/channels.yaml's publicBaseUrl, else REKINDLE_PUBLIC_BASE_URL (config-file.ts), else null.
 * A broken channels.yaml stops here as it stops the server: a link rendered without the base the
 * shop meant to set would go out relative, which no customer can open.
 */
export function publicBaseUrlFor(rulesDir: string, envBaseUrl: string | null | undefined): string | null {
  return loadChannelsConfig(rulesDir, envBaseUrl ?? null).publicBaseUrl;
}

export function createEngineRuntime(ds: DataSource, workspace: Workspace, clock: Clock, opts: EngineRuntimeOptions = {}): EngineRuntime {
  // The segments as they are on disk now (segment-rules-on-disk.ts); a set given by the caller stays as given.
  const onDisk = opts.rules ? null : new SegmentRulesOnDisk(segmentsDir(workspace.rulesDir));
  const currentRules = (): RuleSet => onDisk?.current() ?? opts.rules!;
  const store = new TypeOrmJourneyStore(ds, workspace.shop);
  const flows = new FlowRepository(ds);
  const segmentStore = new SqlSegmentStore(ds);
  const segments: SegmentPort = {
    async customerIds(ruleName, at) {
      const r = await runSegment(segmentStore, currentRules(), ruleName, { at, timezone: workspace.shop.timezone, lifecycle: workspace.shop.lifecycle, ids: true, sample: 0 });
      return r.ids ?? [];
    },
  };
  const policyFile = new PolicyFile(workspace.rulesDir);
  const policy = new PolicyStore(ds, {
    timezone: workspace.shop.timezone,
    policy: () => policyFile.policy(),
    list: (name) => policyFile.list(name),
    segment: (rule, at) => segments.customerIds(rule, at),
  });
  const coupons = new CouponLedger(ds, workspace.rulesDir);
  const batchSize = opts.batchSize ?? 1000;
  const switchThread =
    opts.switchThread && ds.options.type === 'better-sqlite3'
      ? SwitchPrecompute.start({ rulesDir: workspace.rulesDir, timezone: workspace.shop.timezone }, store, (v) => engine.rules(v), batchSize, opts.switchThread instanceof URL ? opts.switchThread : undefined)
      : null;
  // Read when the first message is rendered, then kept (as the server's dispatcher keeps its channels config).
  let baseUrl: string | null | undefined = opts.publicBaseUrl;
  const publicBaseUrl = () => (baseUrl !== undefined ? baseUrl : (baseUrl = publicBaseUrlFor(workspace.rulesDir, setting('REKINDLE_PUBLIC_BASE_URL'))));
  const executors = defaultExecutors().register(createSplitExecutor(new ExperimentStore(ds))).register(createSendExecutor({ coupons, publicBaseUrl }));
  if (switchThread) executors.register(switchThread.executor());
  const queue: JourneyEngineDeps['queue'] = switchThread
    ? (stepper) => switchThread.queue(opts.queue ? opts.queue(stepper) : new InProcessStepQueue((job) => stepper.stepBatch(job.enrollments, job.now)))
    : opts.queue;
  const engine: JourneyEngine = new JourneyEngine({
    clock,
    store,
    flows,
    segments,
    rulesFor: (version) => flowRuleEvaluator(currentRules(), version, workspace.shop.timezone),
    timezone: workspace.shop.timezone,
    batchSize,
    queue,
    policy,
    groups: policy,
    // Splits that are experiments (stratified, quotas, test-then-roll-out) need the experiment store.
    // Coupons come from rules/coupons.yaml and go into the coupons ledger.
    executors,
    warn: opts.warn,
  });
  observeEngine(engine, opts.observer ?? NO_ENGINE_OBSERVER, clock);
  // A batch stepped in this process reads its journeys' events, decides, then commits; on SQLite
  // nothing stops the intake from committing in between (the reads are not in the write
  // transaction, and both run on this thread's event loop). An exit event consumed there found the
  // journey still due, so its wake-up did nothing, and the batch then put the journey to sleep for
  // its whole wait (a paid order's reminder stayed active). One at a time: the intake waits for
  // the batch under way (milliseconds) and then wakes the journey the batch put to sleep.
  // Batches stepped by `rekindle worker` processes are not behind this: there the intake's wake-up
  // waits for the worker's row locks (journey-store.ts wakeOps, PostgreSQL). Both:
  // tests/db/intake-during-step.test.ts.
  const serial = new Serial();
  const stepBatch = engine.stepper.stepBatch.bind(engine.stepper);
  engine.stepper.stepBatch = (batch, now) => serial.run(() => stepBatch(batch, now));
  const sqlInbox = new SqlEventInbox(ds);
  const inbox: EventInbox = { consume: (limit, plan) => serial.run(() => sqlInbox.consume(limit, plan)) };
  return {
    engine,
    store,
    flows,
    get rules() {
      return currentRules();
    },
    segments,
    policyFile, policy, coupons, intake: new EventIntake(engine, inbox, opts.intakeBatch), switchThread };
}

/**
 * Reports the engine's ticks and event hand-offs to an observer by wrapping two entry points on
 * this instance: `tick` and `planEvents` (which both the durable intake and `onEvents` go
 * through). The engine's own files stay free of metrics.
 */
function observeEngine(engine: JourneyEngine, observer: EngineObserver, clock: Clock): void {
  if (observer === NO_ENGINE_OBSERVER) return;
  const tick = engine.tick.bind(engine);
  engine.tick = async () => {
    try {
      const r = await tick();
      observer.ticked({ at: clock.now(), enrolled: r.entries.reduce((n, e) => n + e.enrolled, 0), steps: r.steps.steps, sends: r.steps.sends, exited: r.steps.exited });
      return r;
    } catch (e) {
      observer.tickFailed(clock.now(), e instanceof Error ? e : new Error(String(e)));
      throw e;
    }
  };
  const planEvents = engine.planEvents.bind(engine);
  engine.planEvents = async (events) => {
    const plan = await planEvents(events);
    // receivedAt when the caller knows it (inbox events), else when the event happened.
    if (events.length) observer.eventsHandled(plan.now, events.map((e) => (e as { receivedAt?: number }).receivedAt ?? e.occurredAt));
    return plan;
  };
}
