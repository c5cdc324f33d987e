import type { Customer } from '../data/model.js';
import type { Facts } from '../facts/derive.js';
import type { NodeOfType, NodeType } from '../flow/schema.js';
import type { Enrollment, FlowVersion, StepResult } from './model.js';
import type { JourneyEvent, RuleEvaluator } from './ports.js';
import type { SendPolicy } from '../policy/ports.js';

/**
 * What an executor may read while deciding a batch. Loads are batch-wide and cached, so a batch
 * of 1,000 enrollments at a condition node costs one facts query, not 1,000.
 */
export interface BatchContext {
  now: number;
  timezone: string;
  version: FlowVersion;
  rules: RuleEvaluator;
  facts(): Promise<Map<number, Facts>>;
  customers(): Promise<Map<number, Customer>>;
  /** Events of the batch's customers of these types since `since`. */
  events(types: string[], since: number): Promise<JourneyEvent[]>;
  assignments(nodeId: string): Promise<Map<number, string>>;
  /** How many enrollments a limit node has let through in the window from `windowStart` (0: ever), locked for this batch. */
  limitCount(nodeId: string, windowStart: number): Promise<number>;
  /** Counts `n` more through that limit node (written with the batch). */
  addToLimit(nodeId: string, windowStart: number, n: number): void;
  /** The contact policy, reviewed at the moment of sending (absent: no caps, consent only). */
  policy?: SendPolicy;
}

/** One executor per node type (see executors/). It decides; the stepper applies and persists. */
export interface NodeExecutor<T extends NodeType = NodeType> {
  readonly type: T;
  execute(node: NodeOfType<T>, batch: Enrollment[], ctx: BatchContext): Promise<StepResult[]>;
}

/** The node-type registry handed to the stepper (tests or plug-ins may add or replace entries). */
export class ExecutorRegistry {
  private readonly byType = new Map<NodeType, NodeExecutor>();

  register<T extends NodeType>(executor: NodeExecutor<T>): this {
    this.byType.set(executor.type, executor as unknown as NodeExecutor);
    return this;
  }

  get(type: NodeType): NodeExecutor {
    const e = this.byType.get(type);
    if (!e) throw new Error(`no executor registered for node type "${type}"`);
    return e;
  }

  types(): NodeType[] {
    return [...this.byType.keys()];
  }
}

/**
 * Decides each enrollment of a batch from its customer's facts (loaded once for the batch).
 * A customer moved to the recycle bin has no facts any more and leaves the journey.
 */
export async function decideWithFacts(batch: Enrollment[], ctx: BatchContext, decide: (e: Enrollment, facts: Facts) => StepResult | Promise<StepResult>): Promise<StepResult[]> {
  const facts = await ctx.facts();
  const out: StepResult[] = [];
  for (const e of batch) {
    const f = facts.get(e.customerId);
    if (!f) {
      out.push({ kind: 'exit', reason: 'customer-removed', goal: false });
      continue;
    }
    // A decision made at once (a switch whose answers were all known) is not awaited: an await
    // is a turn of the microtask queue per customer.
    const r = decide(e, f);
    out.push(r instanceof Promise ? await r : r);
  }
  return out;
}
