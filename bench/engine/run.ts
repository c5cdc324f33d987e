/**
 * bench/engine: enrollment-steps per second of a 5-node flow over a generated shop on SQLite,
 * including the sends (outbox rows) and the journey log, next to the raw speed of batched
 * inserts on the same database in the same run.
 *
 * With the worked Double-11 contact policy on (the default): the shop's rules/policy.yaml (caps,
 * quiet hours, give-up, suppression), the Double-11 flow caps (3 campaign touches, 2 SMS in
 * November), its 30% multi-touch share and a group-size limit node. `--plain` runs without them.
 *
 *   npm run build && node dist/bench/engine/run.js [--customers 100000] [--batch 1000] [--plain]
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtualClock, MS_PER_DAY } from '../../server/src/core/clock.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { RuleSet } from '../../server/src/core/rules/rule-set.js';
import { parseRuleFile } from '../../server/src/core/rules/rule-file.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { defaultShopConfig } from '../../server/src/core/shop-config.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { openDatabase } from '../../server/src/persistence/data-source.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { rawSqlite } from '../../server/src/persistence/write-transaction.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const CUSTOMERS = arg('customers', 100_000);
const BATCH = arg('batch', 1000);
const NOW = Date.parse('2026-11-01T01:00:00Z');
const POLICY = !process.argv.includes('--plain');

const plainFlow = {
  id: 'bench-five-nodes',
  name: 'bench: split, send, wait, send, exit',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'everyone', startAt: new Date(NOW).toISOString() }, next: 'ab' },
    { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'first' }, { id: 'b', weight: 50, next: 'first' }] },
    { id: 'first', type: 'send', channel: 'sms', template: '{{customer.name}}，好久不见', next: 'wait-1d' },
    { id: 'wait-1d', type: 'wait', duration: '1d', next: 'second' },
    { id: 'second', type: 'send', channel: 'email', subject: '给您的优惠', template: '满{{facts.aov}}减20', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
};

/** The same five steps under the worked Double-11 policy: campaign caps, share, a group limit. */
const policyFlow = {
  ...plainFlow,
  id: 'bench-double11-policy',
  name: 'bench: limit, split, SMS, wait, email under the Double-11 policy',
  campaign: 'double11-bench',
  caps: [
    { id: 'd11-touches', max: 3, categories: ['marketing'], campaign: true },
    { id: 'd11-sms-in-november', max: 2, channels: ['sms'], categories: ['marketing'], period: 'month' },
  ],
  multiTouchShare: 0.3,
  nodes: [
    { ...plainFlow.nodes[0], next: 'groups' },
    { id: 'groups', type: 'limit', max: 30_000, mode: 'split', next: 'ab' },
    ...plainFlow.nodes.slice(1).map((n) => (n.type === 'send' ? { ...n, category: 'marketing', priority: 50 } : n)),
  ],
};

const flow = FlowSchema.parse(POLICY ? policyFlow : plainFlow);

const secs = (ms: number) => (ms / 1000).toFixed(2);
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000)).toLocaleString('en-US');

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-bench-engine-'));
  const ds = await openDatabase({ url: join(dir, 'shop.sqlite') });
  try {
    let t = performance.now();
    await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 7, now: NOW, timezone: defaultShopConfig.timezone }), { timezone: defaultShopConfig.timezone, now: NOW });
    console.log(`policy: ${POLICY ? 'rules/policy.yaml + Double-11 flow caps, share and group limit' : 'none (--plain)'}`);
    console.log(`shop: ${CUSTOMERS.toLocaleString('en-US')} customers generated and written in ${secs(performance.now() - t)} s`);

    // Baseline: what this database does with plain batched inserts of rows of a similar width.
    const db = rawSqlite(ds);
    db.prepare('CREATE TABLE bench_baseline (id INTEGER PRIMARY KEY, customer_id INTEGER, node_id TEXT, at INTEGER, outcome TEXT, detail TEXT)').run();
    const ins = db.prepare('INSERT INTO bench_baseline (customer_id, node_id, at, outcome, detail) VALUES (?, ?, ?, ?, ?)');
    const rows = CUSTOMERS * 3;
    t = performance.now();
    for (let i = 0; i < rows; i += BATCH) {
      db.transaction(() => {
        for (let j = i; j < Math.min(i + BATCH, rows); j++) ins.run(j % CUSTOMERS, 'node', NOW, 'queued', null);
      })();
    }
    const baselineMs = performance.now() - t;
    console.log(`baseline: ${rows.toLocaleString('en-US')} batched inserts (${BATCH}/transaction) in ${secs(baselineMs)} s = ${rate(rows, baselineMs)} rows/s`);

    if (process.env.BENCH_DROP) for (const ix of process.env.BENCH_DROP.split(',')) db.prepare(`DROP INDEX ${ix}`).run();
    const rules = RuleSet.fromDefinitions([parseRuleFile('name: everyone\nconditions:\n  all:\n    - fact: orderCount\n      operator: greaterThanInclusive\n      value: 0\n', 'bench/everyone.yaml')]);
    if (POLICY) {
      // The shop's worked policy file and an (empty) block list it names.
      copyFileSync('rules/policy.yaml', join(dir, 'policy.yaml'));
      mkdirSync(join(dir, 'lists'));
      writeFileSync(join(dir, 'lists', 'do-not-contact.txt'), 'nobody\n');
    }
    const clock = new VirtualClock(NOW);
    const rt = createEngineRuntime(ds, { rulesDir: dir, shop: defaultShopConfig }, clock, { rules, batchSize: BATCH });
    await rt.flows.publish(flow, 'bench', NOW - 1);

    t = performance.now();
    const [entry] = await rt.engine.runDueEntries();
    const enrollMs = performance.now() - t;
    console.log(`enrollment: ${entry.enrolled.toLocaleString('en-US')} customers entered in ${secs(enrollMs)} s (target < 2 s)`);

    const cpu0 = process.cpuUsage();
    t = performance.now();
    const day1 = await rt.engine.stepper.tick();
    clock.advance(MS_PER_DAY);
    const day2 = await rt.engine.stepper.tick();
    const stepMs = performance.now() - t;
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const steps = day1.steps + day2.steps;
    const stepRate = steps / (stepMs / 1000);
    const [{ n: sends }] = await queryRows<{ n: number }>(ds, 'SELECT COUNT(*) AS n FROM sends');
    const [{ n: logs }] = await queryRows<{ n: number }>(ds, 'SELECT COUNT(*) AS n FROM journey_steps');
    console.log(`stepping: ${steps.toLocaleString('en-US')} steps (${Number(sends).toLocaleString('en-US')} sends, ${Number(logs).toLocaleString('en-US')} log rows) in ${secs(stepMs)} s = ${rate(steps, stepMs)} steps/s (target >= 100,000)`);
    // On a shared machine the wall time moves with everyone else's load; this process's CPU time much less.
    console.log(`stepping CPU: ${secs(cpuMs)} s of this process = ${((cpuMs * 1000) / steps).toFixed(1)} µs per step (load average ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
    console.log(`ratio: stepping writes ${((Number(sends) + Number(logs) + steps) / (stepMs / 1000) / (rows / (baselineMs / 1000))).toFixed(2)}x the baseline's rows/s (each step also updates its enrollment)`);
    console.log(JSON.stringify({ policy: POLICY, customers: CUSTOMERS, batch: BATCH, baselineRowsPerSec: Math.round(rows / (baselineMs / 1000)), enrollSeconds: enrollMs / 1000, steps, stepsPerSec: Math.round(stepRate), cpuMicrosPerStep: Math.round((cpuMs * 10000) / steps) / 10 }));
  } finally {
    await ds.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
