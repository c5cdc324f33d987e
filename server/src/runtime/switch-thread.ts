import { parentPort, workerData } from 'node:worker_threads';
import type { Facts } from '../core/facts/derive.js';
import type { NodeOfType } from '../core/flow/schema.js';
import type { BatchContext } from '../core/engine/executor.js';
import { switchExecutor } from '../core/engine/executors/switch.executor.js';
import { flowRuleEvaluator } from '../core/engine/flow-rules.js';
import { isSharedDetail, type Enrollment, type FlowVersion } from '../core/engine/model.js';
import type { RuleEvaluator } from '../core/engine/ports.js';
import { RuleSet, segmentsDir } from '../core/rules/rule-set.js';
import { storedDetail, type StoredDetail } from '../persistence/journey-details.js';

/**
 * The switch thread's entry module (switch-precompute.ts): decides a switch node for the customers
 * of a batch that has not been stepped yet, from the facts the stepping thread read for it, with the
 * same core code (switchExecutor, flowRuleEvaluator over the shop's rules folder), while the
 * stepping thread writes the batch before it. It has no database connection. Each answer crosses
 * back as the case taken (or else) and the number of its shared detail; a detail's stored text
 * (journey-details.ts) crosses once, the first time it is named.
 */
export interface SwitchThreadData {
  rulesDir: string;
  timezone: string;
}

export type ToSwitchThread =
  | { kind: 'version'; version: FlowVersion }
  | { kind: 'decide'; job: number; versionId: number; nodeId: string; now: number; customers: number[]; facts: Facts[] };

export interface FromSwitchThread {
  job: number;
  /** Per customer: the case taken, −1 for else; null when the job could not be decided here (the stepping thread decides it). */
  cases: Int16Array | null;
  details: Int32Array | null;
  /** Details named for the first time: their number and stored text. */
  fresh: { id: number; stored: StoredDetail }[];
  error?: string;
}

const data = workerData as SwitchThreadData;
const rules = RuleSet.loadDir(segmentsDir(data.rulesDir));
const versions = new Map<number, { version: FlowVersion; rules: RuleEvaluator }>();
const detailIds = new WeakMap<object, number>();
let lastDetailId = 0;
const refuse = (): never => {
  throw new Error('a switch decided on the switch thread reads only facts');
};

parentPort!.on('message', (m: ToSwitchThread) => {
  if (m.kind === 'version') {
    versions.set(m.version.id, { version: m.version, rules: flowRuleEvaluator(rules, m.version, data.timezone) });
    return;
  }
  decide(m).then(
    (r) => parentPort!.postMessage(r),
    (e: unknown) => parentPort!.postMessage({ job: m.job, cases: null, details: null, fresh: [], error: String(e) } satisfies FromSwitchThread),
  );
});

async function decide(m: Extract<ToSwitchThread, { kind: 'decide' }>): Promise<FromSwitchThread> {
  const v = versions.get(m.versionId);
  const node = v?.version.flow.nodes.find((n) => n.id === m.nodeId);
  if (!v || !node || node.type !== 'switch') return { job: m.job, cases: null, details: null, fresh: [] };
  const facts = new Map<number, Facts>();
  for (let i = 0; i < m.customers.length; i++) facts.set(m.customers[i], m.facts[i]);
  const ctx: BatchContext = {
    now: m.now,
    timezone: data.timezone,
    version: v.version,
    rules: v.rules,
    facts: async () => facts,
    customers: refuse,
    events: refuse,
    assignments: refuse,
    limitCount: refuse,
    addToLimit: refuse,
  };
  const batch = m.customers.map((customerId) => ({ customerId }) as Enrollment);
  const results = await switchExecutor.execute(node as NodeOfType<'switch'>, batch, ctx);
  const cases = new Int16Array(results.length);
  const details = new Int32Array(results.length);
  const fresh: { id: number; stored: StoredDetail }[] = [];
  for (let i = 0; i < results.length; i++) {
    const r = results[i];
    if (r.kind !== 'goto' || !r.detail || !isSharedDetail(r.detail)) return { job: m.job, cases: null, details: null, fresh: [] };
    cases[i] = r.edge === 'else' ? -1 : Number(r.edge.slice('case-'.length));
    let id = detailIds.get(r.detail);
    if (id === undefined) {
      detailIds.set(r.detail, (id = ++lastDetailId));
      fresh.push({ id, stored: storedDetail(r.detail) });
    }
    details[i] = id;
  }
  return { job: m.job, cases, details, fresh };
}
