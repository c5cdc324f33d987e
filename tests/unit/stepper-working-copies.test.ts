import { describe, expect, it } from '@jest/globals';
import { setFlagsFromString } from 'node:v8';
import { VirtualClock } from '../../server/src/core/clock.js';
import { ExecutorRegistry, type NodeExecutor } from '../../server/src/core/engine/executor.js';
import type { Enrollment, FlowVersion, StepLog, StepResult } from '../../server/src/core/engine/model.js';
import type { EngineContext, EnrollmentUpdate, JourneyStore } from '../../server/src/core/engine/ports.js';
import { Stepper } from '../../server/src/core/engine/stepper.js';
import type { Flow } from '../../server/src/core/flow/schema.js';
import { rowToEnrollment } from '../../server/src/persistence/journey-store.js';

// V8's own answer to "do these objects share one hidden class?" (natives syntax, allowed from here on).
setFlagsFromString('--allow-natives-syntax');
const haveSameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (a: object, b: object) => boolean;

const NOW = Date.parse('2026-11-01T01:00:00Z');
const flow = {
  id: 'f',
  name: 'f',
  exitOn: [],
  nodes: [
    { id: 'groups', type: 'limit', next: 'mark' },
    { id: 'mark', type: 'action', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
} as unknown as Flow;
const version: FlowVersion = { id: 1, flowId: 'f', version: 1, hash: 'h', flow, publishedAt: 0, author: 't' };

/** Stored enrollment rows as the batch read gives them: some already carry a group label, some not. */
function storedBatch(): Enrollment[] {
  return [1, 2, 3, 4].map((id) =>
    rowToEnrollment({ id, flow_id: 'f', version_id: 1, customer_id: 10 + id, journey_key: '', node_id: 'groups', status: 'active', entered_at: NOW - 1000, node_entered_at: NOW - 1000, wake_at: NOW, step_count: 1, arm: null, group_label: id % 2 ? 'B' : null }),
  );
}

function run(batch: Enrollment[]) {
  const seen: Enrollment[][] = [];
  // What each node's executor was handed, as it stood then (the copies move on afterwards).
  const views: unknown[][] = [];
  const record = (es: Enrollment[]) => (seen.push(es), views.push(es.map((e) => [e.id, e.groupLabel, e.nodeId, e.stepCount])));
  const committed: { updates: EnrollmentUpdate[]; logs: StepLog[] }[] = [];
  // The limit node puts enrollments 1 and 2 in group A (a new label for 1, the first label for 2), the next node just moves on.
  const limit: NodeExecutor = {
    type: 'limit',
    execute: async (_n, es) => (record(es), es.map((e): StepResult => ({ kind: 'goto', edge: 'next', next: 'mark', outcome: 'passed', ...(e.id <= 2 ? { group: 'A' } : {}) }))),
  };
  const action: NodeExecutor = { type: 'action', execute: async (_n, es) => (record(es), es.map((): StepResult => ({ kind: 'goto', edge: 'next', next: 'done', outcome: 'tagged' }))) };
  const exit: NodeExecutor = { type: 'exit', execute: async (_n, es) => (record(es), es.map((): StepResult => ({ kind: 'exit', reason: 'end', goal: false }))) };
  const store = {
    inBatch: (_lock: unknown, work: (tx: { store: JourneyStore; transaction: { kind: 'batch-transaction' } }) => Promise<unknown>) => work({ store: store as unknown as JourneyStore, transaction: { kind: 'batch-transaction' } }),
    flowVersion: async () => version,
    events: async () => [],
    commitStep: async (updates: EnrollmentUpdate[], _effects: unknown, logs: StepLog[]) => void committed.push({ updates, logs }),
  };
  const ctx = { clock: new VirtualClock(NOW), store: store as unknown as JourneyStore, rules: () => ({}) } as unknown as EngineContext;
  const stepper = new Stepper(ctx, new ExecutorRegistry().register(limit).register(action).register(exit), { timezone: 'Asia/Shanghai' });
  return { seen, views, committed, done: stepper.stepBatch(batch, NOW) };
}

describe("the stepper's working copies of a batch's enrollments", () => {
  it('share one hidden class at every node, whether or not the stored row carried a group label', async () => {
    const batch = storedBatch();
    // The rows themselves come in two classes (rowToEnrollment adds groupLabel only when stored):
    // a spread copy of each kept that difference into every node's executor and the hop loop.
    expect(haveSameMap(batch[0], batch[1])).toBe(false);
    const { seen, committed, done } = run(batch);
    await done;
    expect(seen.map((es) => es.length)).toEqual([4, 4, 4]);
    for (const es of seen) for (const e of es) expect(haveSameMap(e, seen[0][0])).toBe(true);
    const [{ updates }] = committed;
    for (const u of updates) expect(haveSameMap(u, updates[0])).toBe(true);
  });

  it('step, update and log as the enrollments say, the stored ones left untouched', async () => {
    const batch = storedBatch();
    const { views, committed, done } = run(batch);
    await done;
    // A group set at the limit node reaches the next nodes and the update; a stored one stays in the copy and is not rewritten.
    expect(views[1]).toEqual([
      [1, 'A', 'mark', 2],
      [2, 'A', 'mark', 2],
      [3, 'B', 'mark', 2],
      [4, undefined, 'mark', 2],
    ]);
    const [{ updates, logs }] = committed;
    expect(updates.map((u) => [u.id, u.nodeId, u.status, u.stepCount, u.groupLabel ?? null, u.exitReason, u.wakeAt])).toEqual([
      [1, 'done', 'exited', 3, 'A', 'end', null],
      [2, 'done', 'exited', 3, 'A', 'end', null],
      [3, 'done', 'exited', 3, null, 'end', null],
      [4, 'done', 'exited', 3, null, 'end', null],
    ]);
    expect(logs.map((l) => `${l.enrollmentId}:${l.nodeId}:${l.outcome}`)).toEqual([
      '1:groups:passed', '2:groups:passed', '3:groups:passed', '4:groups:passed',
      '1:mark:tagged', '2:mark:tagged', '3:mark:tagged', '4:mark:tagged',
      '1:done:exited:end', '2:done:exited:end', '3:done:exited:end', '4:done:exited:end',
    ]);
    // The batch's enrollments as read are not changed by the step (the stepper works on copies).
    expect(batch.map((e) => [e.nodeId, e.stepCount, e.groupLabel])).toEqual([
      ['groups', 1, 'B'],
      ['groups', 1, undefined],
      ['groups', 1, 'B'],
      ['groups', 1, undefined],
    ]);
  });
});
