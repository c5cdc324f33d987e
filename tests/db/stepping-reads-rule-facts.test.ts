/**
 * A stepping batch of a flow with conditions and switches reads only the facts their rules read
 * (core/engine/flow-fact-needs.ts; before, such a flow read and derived every fact). The outcome
 * must not move: the same shop simulated with the narrowed read and with every fact read gives the
 * same steps, enrollments, journey log, sends, coupons and counters (link tokens and coupon codes
 * are random, so they are compared by the send or coupon they belong to).
 *
 * Flows: the worked Double 11 (tests/fixtures/double11-2026: an 8-rule switch, two conditions) and,
 * in the same run, a probe flow with a stratified split, inline conditions that reference named
 * rules and a message that names a fact.
 */
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { DataSource } from 'typeorm';
import { MS_PER_HOUR, VirtualClock } from '../../server/src/core/clock.js';
import { simulate } from '../../server/src/core/engine/simulation.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { generateDemoShop } from '../../server/src/core/seed/generate-shop.js';
import { openWorkspace } from '../../server/src/config/workspace.js';
import { bulkWriteShop } from '../../server/src/persistence/bulk-writer.js';
import { StoredEventReplay } from '../../server/src/persistence/event-replay.js';
import { TypeOrmJourneyStore } from '../../server/src/persistence/journey-store.js';
import { queryRows } from '../../server/src/persistence/sql-batch.js';
import { createEngineRuntime } from '../../server/src/runtime/engine-runtime.js';
import { loadValidFlow } from '../../server/src/runtime/flow-files.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';

const CUSTOMERS = 1_500;
const workspace = openWorkspace('rules');
const TZ = workspace.shop.timezone;
const FROM = Date.parse('2026-10-27T00:00:00+08:00');
const TO = Date.parse('2026-11-12T00:00:00+08:00');
const TABLES = ['enrollments', 'journey_steps', 'journey_details', 'sends', 'coupons', 'limit_counters', 'policy_counters', 'split_assignments'];

const PROBE = FlowSchema.parse({
  id: 'narrow-probe',
  name: '探针',
  nodes: [
    { id: 'start', type: 'entry', trigger: { type: 'audience', segment: 'd11-audience', startAt: '2026-10-28T10:00:00+08:00' }, next: 'ab' },
    { id: 'ab', type: 'split', stratify: 'aovBand', arms: [{ id: 'a', weight: 50, next: 'sw' }, { id: 'b', weight: 50, next: 'c' }] },
    {
      id: 'sw',
      type: 'switch',
      cases: [
        { conditions: { all: [{ condition: 'd11-lost' }] }, next: 'mail' },
        { rule: 'mobile-customers', next: 'mail' },
      ],
      else: 'done',
    },
    { id: 'c', type: 'condition', conditions: { any: [{ fact: 'city', operator: 'equal', value: '杭州' }, { condition: 'd11-unpaid' }] }, yes: 'mail', no: 'done' },
    { id: 'mail', type: 'send', channel: 'email', subject: '来自{{facts.province}}的你', template: '{{customer.name}}，{{facts.city}}见', next: 'done' },
    { id: 'done', type: 'exit' },
  ],
});

interface Run {
  steps: number;
  enrolled: number;
  tables: Record<string, unknown[]>;
  /** The names each stepping facts read was asked for (null: all facts). */
  asked: (readonly string[] | null)[];
}

/** Simulates the shop; `allFacts` makes every facts read read all facts (as before the narrowing). */
async function run(allFacts: boolean): Promise<Run> {
  const db: TestDatabase = await openTestDatabase('sqlite');
  const asked: (readonly string[] | null)[] = [];
  const original = TypeOrmJourneyStore.prototype.facts;
  const spy = jest.spyOn(TypeOrmJourneyStore.prototype, 'facts').mockImplementation(function (this: TypeOrmJourneyStore, ids, at, names = null) {
    asked.push(names);
    return original.call(this, ids, at, allFacts ? null : names);
  });
  try {
    const ds: DataSource = db.dataSource;
    await bulkWriteShop(ds, generateDemoShop({ customers: CUSTOMERS, seed: 11, now: FROM, timezone: TZ }), { timezone: TZ, now: FROM });
    const clock = new VirtualClock(FROM);
    const rt = createEngineRuntime(ds, workspace, clock);
    const { flow } = loadValidFlow(workspace.rulesDir, 'tests/fixtures/double11-2026/double11-campaign.flow.yaml', rt.rules);
    for (const n of flow.nodes) if (n.type === 'limit') n.max = 150;
    await rt.flows.publish(flow, 'test', FROM);
    await rt.flows.publish(PROBE, 'test', FROM);
    const s = await simulate(rt.engine, clock, new StoredEventReplay(ds), { from: FROM, to: TO, step: MS_PER_HOUR });
    return { steps: s.steps, enrolled: s.enrolled, tables: await maskedTables(ds), asked };
  } finally {
    spy.mockRestore();
    await db.close();
  }
}

/** The tables' rows in rowid order, link tokens and coupon codes replaced by their send's id (or the coupon's place). */
async function maskedTables(ds: DataSource): Promise<Record<string, unknown[]>> {
  const mask = new Map<string, string>();
  for (const r of await queryRows<{ id: number; link_token: string | null; coupon_code: string | null }>(ds, 'SELECT id, link_token, coupon_code FROM sends ORDER BY id')) {
    if (r.link_token) mask.set(r.link_token, `<token of send ${r.id}>`);
    if (r.coupon_code) mask.set(r.coupon_code, `<coupon of send ${r.id}>`);
  }
  for (const [i, r] of (await queryRows<{ code: string }>(ds, 'SELECT code FROM coupons ORDER BY rowid')).entries()) if (!mask.has(r.code)) mask.set(r.code, `<coupon ${i}>`);
  const re = new RegExp([...mask.keys()].map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|') || '(?!)', 'g');
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) {
    out[t] = (await queryRows<Record<string, unknown>>(ds, `SELECT * FROM ${t} ORDER BY rowid`)).map((r) =>
      Object.fromEntries(Object.entries(r).map(([c, v]) => [c, typeof v === 'string' ? v.replace(re, (x) => mask.get(x)!) : v])),
    );
  }
  return out;
}

describe('a simulation whose flows have conditions, switches and a stratified split reads only the facts their rules read', () => {
  let narrow: Run;
  let all: Run;
  beforeAll(async () => {
    narrow = await run(false);
    all = await run(true);
  }, 10 * 60_000);
  afterAll(() => {
    jest.restoreAllMocks();
  });

  it("asks the store for the facts its rules, stratum and message read, never for all facts", () => {
    const d11 = ['aov', 'device', 'double11Count', 'double11Missed', 'lastOrderAt', 'lifecycleStage', 'nonDouble11OrderCount', 'orderCount', 'unpaidOrderCount'];
    // The probe adds its split's aovBand (aov), its conditions' city and referenced rules, and its message's province.
    const both = [...new Set([...d11, 'city', 'province'])].sort();
    expect(narrow.asked.length).toBeGreaterThan(1);
    expect(narrow.asked).not.toContain(null);
    for (const names of narrow.asked) expect([d11, both, ['aov', 'city', 'device', 'lastOrderAt', 'lifecycleStage', 'province', 'unpaidOrderCount']]).toContainEqual(names);
    expect(narrow.asked).toContainEqual(d11);
  });

  it('gives the same steps, enrollments, journey log, sends, coupons and counters as reading every fact', () => {
    expect(narrow.steps).toBeGreaterThan(5_000);
    expect(narrow.tables.sends.length).toBeGreaterThan(500);
    expect(narrow.tables.split_assignments.length).toBeGreaterThan(100);
    expect({ steps: narrow.steps, enrolled: narrow.enrolled }).toEqual({ steps: all.steps, enrolled: all.enrolled });
    for (const t of TABLES) expect([t, narrow.tables[t]]).toEqual([t, all.tables[t]]);
  });
});
