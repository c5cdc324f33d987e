import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Facts } from '../core/facts/derive.js';
import type { NodeOfType } from '../core/flow/schema.js';
import type { NodeExecutor } from '../core/engine/executor.js';
import { switchExecutor } from '../core/engine/executors/switch.executor.js';
import { factsReadByAll } from '../core/engine/flow-fact-needs.js';
import type { Enrollment, FlowVersion, StepResult } from '../core/engine/model.js';
import type { EnrollmentCursor, EnrollmentRef, JourneyStore, RuleEvaluator } from '../core/engine/ports.js';
import type { StepJob, StepJobResult, StepQueue } from '../core/engine/step-queue.js';
import { sharedDetailStoredAs } from '../persistence/journey-details.js';
import type { FromSwitchThread, SwitchThreadData, ToSwitchThread } from './switch-thread.js';

const ENTRY = new URL('./switch-thread.js', import.meta.url);

interface Job {
  now: number;
  versionId: number;
  nodeId: string;
  customers: number[];
  answer: Promise<FromSwitchThread>;
}

/**
 * A simulation's switch decisions worked out on a thread of their own (switch-thread.ts) one batch
 * ahead: while the stepping thread writes batch N (SQLite's one connection stays on it), the
 * thread decides the switch for the enrollments of batch N+1 that stand at a switch node, from the
 * facts the stepping thread read for them. The stepping thread then takes each customer's case and
 * shared detail (its stored text, made by the thread) instead of walking the rules' memo, the
 * details trie and json-rules-engine itself. A batch whose switch group is not exactly the one
 * decided ahead (another instant, other customers, a customer without facts) is decided in place,
 * by the same core executor. Nothing is decided differently: the thread runs the same core code on
 * the same facts at the same instant.
 */
export class SwitchPrecompute {
  private readonly worker: Worker;
  private readonly waiting = new Map<number, (r: FromSwitchThread) => void>();
  private readonly jobs = new Map<string, Job>();
  private readonly sentVersions = new Set<number>();
  private details = new Map<number, Record<string, unknown>>();
  private detailsNow = NaN;
  private lastJob = 0;
  private closed = false;
  /** Counters for the bench: switch groups taken from the thread / decided in place. */
  readonly counts = { taken: 0, inPlace: 0, posted: 0, readAhead: 0 };
  /** The batch `ahead` read last, after the cursor of the job it was read for (takeRead). */
  private nextRead: { now: number; after: EnrollmentCursor; rows: Enrollment[] } | null = null;

  private constructor(
    entry: URL,
    data: SwitchThreadData,
    private readonly store: JourneyStore,
    private readonly rulesOf: (v: FlowVersion) => RuleEvaluator,
    private readonly batchSize: number,
  ) {
    this.worker = new Worker(entry, { workerData: data, name: 'rekindle-switch' });
    this.worker.on('message', (m: FromSwitchThread) => {
      const done = this.waiting.get(m.job);
      this.waiting.delete(m.job);
      done?.(m);
    });
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
  }

  /** null when the compiled thread entry is missing (tests from the TypeScript sources). */
  static start(data: SwitchThreadData, store: JourneyStore, rulesOf: (v: FlowVersion) => RuleEvaluator, batchSize: number, entry: URL = ENTRY): SwitchPrecompute | null {
    if (entry.protocol !== 'file:' || !existsSync(fileURLToPath(entry))) return null;
    return new SwitchPrecompute(entry, data, store, rulesOf, batchSize);
  }

  private fail(): void {
    this.closed = true;
    for (const done of this.waiting.values()) done({ job: -1, cases: null, details: null, fresh: [] });
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.worker.terminate();
  }

  /** The stepper's queue, wrapped: before a batch is stepped, the next one's switch group goes to the thread. */
  queue(inner: StepQueue): StepQueue {
    return {
      readAhead: (now, after) => this.takeRead(now, after),
      submit: async (job: StepJob): Promise<StepJobResult | null> => {
        await this.ahead(job);
        return inner.submit(job);
      },
      drain: () => inner.drain(),
    };
  }

  /**
   * The next batch as `ahead` read it, for the stepper's next read (same instant, same cursor): read
   * before the batch in between was stepped, it holds the same rows, because stepping a batch writes
   * only its own enrollments and wakes or enrolls nobody (entries and events come before the
   * stepping of a tick). At the entry tick this was a second read of every batch (w-d11k).
   */
  private takeRead(now: number, after: EnrollmentCursor | null): Enrollment[] | undefined {
    const r = this.nextRead;
    this.nextRead = null;
    if (!r || r.now !== now || !after || r.after.customerId !== after.customerId || r.after.id !== after.id) return undefined;
    this.counts.readAhead++;
    return r.rows;
  }

  /** The switch executor: the thread's answers where it decided this very group, else the core executor. */
  executor(): NodeExecutor<'switch'> {
    return {
      type: 'switch',
      execute: async (node, batch, ctx) => {
        const key = jobKey(ctx.now, ctx.version.id, node.id, batch[0]?.customerId ?? -1, batch.length);
        const job = this.jobs.get(key);
        if (job) this.jobs.delete(key);
        if (!job || !sameCustomers(job.customers, batch)) {
          this.counts.inPlace++;
          return switchExecutor.execute(node, batch, ctx);
        }
        const answer = await job.answer;
        if (!answer.cases || !answer.details) {
          this.counts.inPlace++;
          return switchExecutor.execute(node, batch, ctx);
        }
        const results = this.results(node, answer, ctx.now);
        if (!results) {
          this.counts.inPlace++;
          return switchExecutor.execute(node, batch, ctx);
        }
        this.counts.taken++;
        return results;
      },
    };
  }

  /** null when a detail the thread named is not known here (crossed at an instant gone by): then decided in place. */
  private results(node: NodeOfType<'switch'>, a: FromSwitchThread, now: number): StepResult[] | null {
    if (this.detailsNow !== now) {
      this.details = new Map();
      this.detailsNow = now;
    }
    for (const f of a.fresh) this.details.set(f.id, sharedDetailStoredAs(f.stored));
    // One result object per (case, detail), as the core executor shares its details.
    const out: StepResult[] = new Array(a.cases!.length);
    for (let i = 0; i < out.length; i++) {
      const c = a.cases![i];
      const detail = this.details.get(a.details![i]);
      if (!detail) return null;
      if (c >= 0) {
        const k = node.cases[c];
        out[i] = { kind: 'goto', edge: `case-${c}`, next: k.next, outcome: `case:${k.label ?? k.rule ?? c}`, detail };
      } else out[i] = { kind: 'goto', edge: 'else', next: node.else, outcome: 'else', detail };
    }
    return out;
  }

  /** Reads the batch after `job` (as the stepper will), and posts its switch groups with their facts. */
  private async ahead(job: StepJob): Promise<void> {
    if (this.closed || job.enrollments.length === 0) return;
    // The crossed details of an instant gone by are not named again (the thread's numbers are never reused).
    if (this.detailsNow !== job.now && this.details.size > 0) this.details = new Map();
    const last = job.enrollments[job.enrollments.length - 1];
    // Only where this batch stands at a switch: a campaign's entry moves its batches on together.
    // A queue that carries only ids (BullMQ's, StepQueue.idsOnly) has nothing to read ahead from.
    if (!job.enrollments.every(isEnrollment) || !(await this.atSwitch(job.enrollments))) return;
    const after = { customerId: last.customerId, id: last.id };
    const next = await this.store.dueEnrollments(job.now, this.batchSize, after);
    if (next.length === 0) return;
    this.nextRead = { now: job.now, after, rows: next };
    const groups = new Map<string, Enrollment[]>();
    for (const e of next) {
      const k = `${e.versionId}\u0000${e.nodeId}`;
      const g = groups.get(k);
      if (g) g.push(e);
      else groups.set(k, [e]);
    }
    for (const g of groups.values()) {
      const version = await this.store.flowVersion(g[0].versionId);
      const node = version.flow.nodes.find((n) => n.id === g[0].nodeId);
      if (node?.type !== 'switch') continue;
      const ids = g.map((e) => e.customerId);
      const facts = await this.store.facts(ids, job.now, factsReadByAll([version], this.rulesOf));
      const list: Facts[] = [];
      for (const id of ids) {
        const f = facts.get(id);
        if (!f) break;
        list.push(f);
      }
      if (list.length < ids.length) continue;
      if (!this.sentVersions.has(version.id)) {
        this.post({ kind: 'version', version });
        this.sentVersions.add(version.id);
      }
      const id = ++this.lastJob;
      const answer = new Promise<FromSwitchThread>((resolve) => this.waiting.set(id, resolve));
      this.jobs.set(jobKey(job.now, version.id, node.id, ids[0], ids.length), { now: job.now, versionId: version.id, nodeId: node.id, customers: ids, answer });
      this.post({ kind: 'decide', job: id, versionId: version.id, nodeId: node.id, now: job.now, customers: ids, facts: list });
      this.counts.posted++;
    }
    // Jobs of an instant gone by are never asked for.
    if (this.jobs.size > 64) for (const [k, j] of this.jobs) if (j.now !== job.now) this.jobs.delete(k);
  }

  private async atSwitch(batch: Enrollment[]): Promise<boolean> {
    const e = batch[0];
    const version = await this.store.flowVersion(e.versionId);
    return version.flow.nodes.find((n) => n.id === e.nodeId)?.type === 'switch';
  }

  private post(m: ToSwitchThread): void {
    this.worker.postMessage(m);
  }
}

const isEnrollment = (e: Enrollment | EnrollmentRef): e is Enrollment => 'versionId' in e;

const jobKey = (now: number, versionId: number, nodeId: string, first: number, n: number) => `${now}\u0000${versionId}\u0000${nodeId}\u0000${first}\u0000${n}`;

function sameCustomers(customers: number[], batch: Enrollment[]): boolean {
  if (customers.length !== batch.length) return false;
  for (let i = 0; i < batch.length; i++) if (customers[i] !== batch[i].customerId) return false;
  return true;
}
