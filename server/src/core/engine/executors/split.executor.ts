import { blockArm, quotaArm } from '../../experiment/assignment.js';
import type { ExperimentPort } from '../../experiment/ports.js';
import type { RecordedDecision } from '../../experiment/winner-decision.js';
import { stratumOf } from '../../experiment/strata.js';
import { parseDuration } from '../../flow/duration.js';
import type { NodeOfType } from '../../flow/schema.js';
import type { BatchContext, NodeExecutor } from '../executor.js';
import type { Effect, Enrollment, StepResult } from '../model.js';
import { bucket, pickArm } from '../split-assignment.js';

type SplitNode = NodeOfType<'split'>;
type Arm = SplitNode['arms'][number];

/**
 * Splits customers into arms by a salted hash (never Math.random), so a simulation and the live
 * run agree. By customer, the arm is sticky: a returning customer keeps the arm recorded first.
 *
 * With an experiment store (`createSplitExecutor(port)`), a split can also balance its arms
 * within strata (permuted blocks), fill exact quotas, and run as a test on a sample whose winner
 * the rest of the audience follows (docs/experiments.md). Without one, stratification falls back
 * to hashing within the stratum, and quotas/tests to plain weights, saying so in the log.
 */
export function createSplitExecutor(port?: ExperimentPort): NodeExecutor<'split'> {
  return {
    type: 'split',
    async execute(node, batch, ctx) {
      const flowId = ctx.version.flowId;
      const salt = node.salt ?? `${flowId}/${node.id}`;
      const sticky = node.by === 'customer';
      const recorded = sticky ? await ctx.assignments(node.id) : new Map<number, string>();
      const subject = (e: Enrollment) => (sticky ? String(e.customerId) : `${e.customerId}/${e.id}`);
      const results: (StepResult | undefined)[] = batch.map((e) => {
        const previous = recorded.get(e.customerId);
        const arm = previous ? node.arms.find((a) => a.id === previous) : undefined;
        return arm ? goto(arm, { arm: arm.id, holdout: arm.holdout, sticky: true }) : undefined;
      });

      let participants = batch.map((e, i) => ({ e, i })).filter(({ i }) => !results[i]);
      const test = node.experiment?.test;
      const notes: Record<string, unknown> = {};
      if (test && !port) notes.warning = 'experiment.test needs the experiment store; assigned by weight instead';
      if (test && port && participants.length > 0) {
        let decision: RecordedDecision | null = await port.decision(flowId, node.id);
        const start = (await port.testStartedAt(flowId, node.id)) ?? ctx.now;
        const decideAt = start + parseDuration(test.window);
        if (!decision && ctx.now >= decideAt) decision = await port.decide(flowId, node, ctx.now);
        const inSample: typeof participants = [];
        for (const p of participants) {
          if (decision) {
            const arm = node.arms.find((a) => a.id === decision!.arm)!;
            results[p.i] = goto(arm, { arm: arm.id, holdout: arm.holdout, rollout: true, winner: decision.winner, why: decision.reason });
          } else if (bucket(`${salt}/sample`, subject(p.e)) < test.sample) {
            inSample.push(p);
          } else {
            results[p.i] = { kind: 'sleep', until: decideAt, log: { outcome: 'awaiting-decision', detail: { decisionAt: decideAt, sample: test.sample } } };
          }
        }
        participants = inSample;
      }

      // A plain hashed assignment's log detail depends on the arm alone: one per arm, shared by its rows.
      const plain = new Map<Arm, Record<string, unknown>>();
      const plainDetail = (arm: Arm) => {
        let d = plain.get(arm);
        if (!d) plain.set(arm, (d = { arm: arm.id, holdout: arm.holdout, sticky: false, ...notes }));
        return d;
      };
      for (const { p, arm, detail } of await assign(node, participants, ctx, salt, subject, port)) {
        const effects = arm && detail.overflow !== true ? [{ kind: 'assign' as const, flowId, nodeId: node.id, customerId: p.e.customerId, enrollmentId: p.e.id, arm: arm.id, at: ctx.now }] : [];
        results[p.i] = goto(arm, detail === NO_DETAIL ? plainDetail(arm) : { arm: arm.id, holdout: arm.holdout, sticky: false, ...detail, ...notes }, effects);
      }
      return results as StepResult[];
    },
  };
}

/** The default registration: hash-only assignment (engine-runtime.ts registers one with the experiment store). */
export const splitExecutor: NodeExecutor<'split'> = createSplitExecutor();

/** An arm's edge and outcome texts, made once per arm (the arms of a published flow never change). */
const armTexts = new WeakMap<Arm, { edge: string; outcome: string }>();

function goto(arm: Arm, detail: Record<string, unknown>, effects: Effect[] = []): StepResult {
  let t = armTexts.get(arm);
  if (!t) armTexts.set(arm, (t = { edge: `arm-${arm.id}`, outcome: `arm:${arm.id}` }));
  return { kind: 'goto', edge: t.edge, next: arm.next, outcome: t.outcome, arm: arm.id, detail, effects };
}

/** The detail of a plain hashed assignment: nothing beyond the arm (see execute). */
const NO_DETAIL: Record<string, unknown> = Object.freeze({});

interface Participant {
  e: Enrollment;
  i: number;
}

/** New assignments, in batch (customer id) order so arrival numbers are reproducible. */
async function assign(node: SplitNode, ps: Participant[], ctx: BatchContext, salt: string, subject: (e: Enrollment) => string, port?: ExperimentPort): Promise<{ p: Participant; arm: Arm; detail: Record<string, unknown> }[]> {
  if (ps.length === 0) return [];
  const flowId = ctx.version.flowId;
  const quotas = node.arms.every((a) => a.quota !== undefined) ? node.arms.map((a) => a.quota!) : null;
  if (quotas && port) {
    const first = await port.reserveArrivals(flowId, node.id, '', ps.length);
    const overflow = node.arms.find((a) => a.id === node.quotaOverflow) ?? node.arms[node.arms.length - 1];
    return ps.map((p, k) => {
      const idx = quotaArm(quotas, salt, first + k);
      return idx === null ? { p, arm: overflow, detail: { overflow: true, arrival: first + k } } : { p, arm: node.arms[idx], detail: { method: 'quota', arrival: first + k } };
    });
  }
  const weights = node.arms.map((a) => a.weight);
  if (node.stratify) {
    const facts = await ctx.facts();
    const byStratum = new Map<string, Participant[]>();
    for (const p of ps) {
      const s = stratumOf(facts.get(p.e.customerId), node.stratify);
      byStratum.set(s, [...(byStratum.get(s) ?? []), p]);
    }
    const out: { p: Participant; arm: Arm; detail: Record<string, unknown> }[] = [];
    for (const [stratum, group] of byStratum) {
      if (port) {
        const first = await port.reserveArrivals(flowId, node.id, stratum, group.length);
        group.forEach((p, k) => out.push({ p, arm: node.arms[blockArm(weights, salt, stratum, first + k)], detail: { method: 'stratified-block', stratum, arrival: first + k } }));
      } else {
        group.forEach((p) => out.push({ p, arm: pickArm(node.arms, `${salt}/${stratum}`, subject(p.e)), detail: { method: 'stratified-hash', stratum } }));
      }
    }
    return out;
  }
  return ps.map((p) => ({ p, arm: pickArm(node.arms, salt, subject(p.e)), detail: quotas ? { warning: 'quotas need the experiment store; assigned by weight' } : NO_DETAIL }));
}
