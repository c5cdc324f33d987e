import { describe, expect, it } from '@jest/globals';
import { auditDetailWords, auditTargetWords } from '../../designer/src/model/audit-words.js';
import { formatDateTime } from '../../designer/src/model/format.js';
import { loadSettings, SettingsError } from '../../server/src/config/settings.js';
import { MS_PER_DAY } from '../../server/src/core/clock.js';
import { retentionPlan } from '../../server/src/core/data/event-retention.js';
import { FlowSchema } from '../../server/src/core/flow/schema.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';

const NOW = Date.parse('2027-03-01T00:00:00Z');
const flow = (id: string, within: string) =>
  FlowSchema.parse({
    id,
    name: id,
    nodes: [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'signed_up' }, next: 'ab' },
      { id: 'ab', type: 'split', arms: [{ id: 'a', weight: 50, next: 'answer' }, { id: 'b', weight: 50, holdout: true, next: 'done' }], experiment: { id, responses: [{ event: 'order_paid' }, { event: 'click' }], window: '7d' } },
      { id: 'answer', type: 'waitForEvent', events: ['click'], within, responded: 'done', timedOut: 'done' },
      { id: 'done', type: 'exit' },
    ],
  });

describe('the retention plan', () => {
  const policy = PolicySchema.parse({});

  it('cuts at the configured days when nothing reads further back', () => {
    const p = retentionPlan({ now: NOW, eventDays: 30, consumedDays: 7, policy, liveFlows: [], allFlows: [] });
    expect(p.eventsBefore).toBe(NOW - 30 * MS_PER_DAY);
    expect(p.consumedBefore).toBe(NOW - 7 * MS_PER_DAY);
    expect(p.clampedBy).toBeNull();
    expect(p.keepTypes).toEqual(['unsubscribe']);
  });

  it("moves the cut-off back to a live flow's answer window, never for a stopped one", () => {
    const live = { flowId: 'live', flow: flow('live', '45d') };
    const stopped = { flowId: 'old', flow: flow('old', '400d') };
    const p = retentionPlan({ now: NOW, eventDays: 30, consumedDays: null, policy, liveFlows: [live], allFlows: [live, stopped] });
    expect(p.eventsBefore).toBe(NOW - 45 * MS_PER_DAY);
    expect(p.configuredEventsBefore).toBe(NOW - 30 * MS_PER_DAY);
    expect(p.clampedBy?.what).toBe('flow live node answer within 45d');
    // Both experiments' reports keep their responses, the stopped flow's too.
    expect(p.experiments).toEqual([
      { flowId: 'live', nodeId: 'ab', types: ['order_paid', 'click', 'coupon_redeemed'] },
      { flowId: 'old', nodeId: 'ab', types: ['order_paid', 'click', 'coupon_redeemed'] },
    ]);
  });

  it("keeps the policy's own opt-out type and its give-up window", () => {
    const p = retentionPlan({ now: NOW, eventDays: 30, consumedDays: null, policy: PolicySchema.parse({ giveUp: { after: 3, within: '90d', pauseFor: '30d' }, suppression: { unsubscribeEvent: 'opt_out' } }), liveFlows: [], allFlows: [] });
    expect(p.eventsBefore).toBe(NOW - 90 * MS_PER_DAY);
    expect(p.keepTypes).toEqual(['opt_out', 'unsubscribe']);
  });

  it('a longer retention than every window is not clamped, and no retention prunes no events', () => {
    expect(retentionPlan({ now: NOW, eventDays: 365, consumedDays: null, policy: PolicySchema.parse({ giveUp: { after: 3, within: '90d', pauseFor: '30d' } }), liveFlows: [], allFlows: [] }).clampedBy).toBeNull();
    expect(retentionPlan({ now: NOW, eventDays: null, consumedDays: 3, policy, liveFlows: [], allFlows: [] }).eventsBefore).toBeNull();
  });
});

describe('the retention settings', () => {
  const problems = (env: Record<string, string>) => {
    try {
      loadSettings(env);
      return [];
    } catch (e) {
      return (e as SettingsError).problems;
    }
  };

  it('are unset (events kept forever) unless given, pruning hourly in batches of 2000', () => {
    const s = loadSettings({});
    expect([s.REKINDLE_EVENT_RETENTION_DAYS, s.REKINDLE_CONSUMED_EVENT_RETENTION_DAYS, s.REKINDLE_PRUNE_MS, s.REKINDLE_PRUNE_BATCH]).toEqual([undefined, undefined, 3_600_000, 2000]);
    expect(loadSettings({ REKINDLE_EVENT_RETENTION_DAYS: ' 90 ', REKINDLE_CONSUMED_EVENT_RETENTION_DAYS: '14' })).toMatchObject({ REKINDLE_EVENT_RETENTION_DAYS: 90, REKINDLE_CONSUMED_EVENT_RETENTION_DAYS: 14 });
  });

  it('refuses bad values, naming each setting', () => {
    expect(problems({ REKINDLE_EVENT_RETENTION_DAYS: '7', REKINDLE_CONSUMED_EVENT_RETENTION_DAYS: '0', REKINDLE_PRUNE_MS: '10', REKINDLE_PRUNE_BATCH: '1000000' })).toEqual([
      'REKINDLE_EVENT_RETENTION_DAYS: expected at least 30 days: an event\'s idempotency key is remembered only as long as the event is kept, and a retried delivery must still be recognised (got "7")',
      'REKINDLE_CONSUMED_EVENT_RETENTION_DAYS: expected a whole number of days >= 1 (got "0")',
      'REKINDLE_PRUNE_MS: expected a whole number of milliseconds >= 60000 (got "10")',
      'REKINDLE_PRUNE_BATCH: expected at most 100000 rows (each batch is one transaction: SQLite has one writer) (got "1000000")',
    ]);
    expect(problems({ REKINDLE_EVENT_RETENTION_DAYS: '90d' })).toEqual(['REKINDLE_EVENT_RETENTION_DAYS: expected a whole number of days (got "90d")']);
  });
});

describe('a prune in the audit log', () => {
  it('reads in Chinese: what was kept, the cut-off on the shop clock, what went', () => {
    const when = (ms: number) => formatDateTime('zh', ms, 'Asia/Shanghai');
    const line = auditDetailWords('zh', { eventDays: 90, eventsBefore: Date.parse('2026-12-01T02:00:00Z'), consumedBefore: null, events: 2, consumedEvents: 3 }, when).map((p) => `${p.label}：${p.value}`).join('，');
    expect(line).toBe('事件保留天数：90，删除此前的事件：2026/12/01 10:00，删除此前的处理记录：随事件删除，删除的事件数：2，删除的处理记录数：3');
    expect(auditTargetWords('zh', 'retention:events')).toEqual({ kind: '数据保留', name: '事件' });
  });
});
