import { describe, expect, it } from '@jest/globals';
import { countLines, countsAfterPublish, failedErrorLines, mergeCounts } from '../../designer/src/model/counts.js';
import { MESSAGES } from '../../designer/src/model/i18n.js';
import { deliveryErrorWords } from '../../designer/src/model/reason-words.js';
import { intervalChart, niceMax } from '../../designer/src/model/experiment-chart.js';

describe('designer counts on nodes', () => {
  it('after a publish shows the live numbers in place of the simulated ones (or the live ones again), and nothing when none were shown', () => {
    expect(countsAfterPublish('sim')).toBe('live');
    expect(countsAfterPublish('live')).toBe('live');
    expect(countsAfterPublish(null)).toBeNull();
  });

  it('shows the funnel when there is one: entered always, blocked by reason, zeros left out', () => {
    const [c] = mergeCounts([{ nodeId: 'sms', outcomes: { queued: 3 }, waiting: 0 }], [{ nodeId: 'sms', entered: 5, waiting: 0, sent: 3, blocked: { 'skipped:quiet-hours': 1, 'skipped:cap': 1 }, responded: 0, converted: 2, exited: 0 }]);
    expect(countLines(c)).toEqual([
      ['counts.entered', 5],
      ['counts.sent', 3],
      ['blocked:skipped:cap', 1],
      ['blocked:skipped:quiet-hours', 1],
      ['counts.converted', 2],
    ]);
  });

  it("says 已发送 only for what has gone out and 排队待发 for the messages still in the outbox (the server's sent counts both)", () => {
    // A Double-11 midnight: 30,000 messages of the wave, 20,000 of them still waiting for the outbox.
    const [c] = mergeCounts([], [{ nodeId: 'wave1-sms', entered: 31_000, waiting: 0, sent: 30_000, queued: 20_000, blocked: { 'blocked:capped:sms-november': 1_000 }, responded: 0, converted: 0, exited: 0 }]);
    expect(countLines(c)).toEqual([
      ['counts.entered', 31_000],
      ['counts.sent', 10_000],
      ['counts.queued', 20_000],
      ['blocked:blocked:capped:sms-november', 1_000],
    ]);
    expect([MESSAGES.zh['counts.sent'], MESSAGES.zh['counts.queued']]).toEqual(['已发送', '排队待发']);
  });

  it('counts messages the channel did not deliver as failed, never as a block-list reason, with their errors', () => {
    const [c] = mergeCounts([], [{ nodeId: 'sms', entered: 10, waiting: 0, sent: 7, blocked: { 'skipped:no-consent:sms': 1 }, failed: 2, failedErrors: { 'simulated: not delivered': 2 }, responded: 0, converted: 0, exited: 0 }]);
    expect(countLines(c)).toEqual([
      ['counts.entered', 10],
      ['counts.sent', 7],
      ['blocked:skipped:no-consent:sms', 1],
      ['counts.failed', 2],
    ]);
    expect(failedErrorLines(c, (e) => deliveryErrorWords('zh', e))).toEqual(['模拟渠道未送达 ×2']);
    expect(MESSAGES.zh['counts.failed']).toBe('发送失败');
  });

  it("a send step shows how many recipients clicked and used its coupon (its own lines, not 'responded', which is a wait step's)", () => {
    const [c] = mergeCounts([], [{ nodeId: 'promo', entered: 30, waiting: 0, sent: 22, blocked: {}, failed: 1, responded: 0, clicked: 4, redeemed: 2, converted: 3, exited: 0 }]);
    expect(countLines(c)).toEqual([
      ['counts.entered', 30],
      ['counts.sent', 22],
      ['counts.failed', 1],
      ['counts.clicked', 4],
      ['counts.redeemed', 2],
      ['counts.converted', 3],
    ]);
    expect(MESSAGES.zh['counts.clicked']).toBe('已点击');
    expect(MESSAGES.zh['counts.redeemed']).toBe('用券下单');
  });

  it("says how many of a send step's coupons were used after the journey ended (no conversion of it), beside coupons used and converted", () => {
    // Double 11's winback-sms: the journey ends at done right after it; its coupons are used days later.
    const [c] = mergeCounts([], [{ nodeId: 'winback-sms', entered: 9681, waiting: 0, sent: 7281, blocked: {}, responded: 0, clicked: 278, redeemed: 134, redeemedAfterEnd: 134, converted: 0, exited: 0 }]);
    expect(countLines(c)).toEqual([
      ['counts.entered', 9681],
      ['counts.sent', 7281],
      ['counts.clicked', 278],
      ['counts.redeemed', 134],
      ['counts.redeemedAfterEnd', 134],
    ]);
    expect(MESSAGES.zh['counts.redeemedAfterEnd']).toBe('其中旅程结束后');
    expect(MESSAGES.zh['counts.redeemedAfterEndHelp']).toContain('不算这段旅程的转化');
    expect(MESSAGES.en['counts.redeemedAfterEndHelp']).toContain('not its conversions');
  });

  it('falls back to the journey log outcomes without a funnel, and keeps nodes only one side knows', () => {
    const merged = mergeCounts([{ nodeId: 'a', outcomes: { entered: 2 }, waiting: 1 }], [{ nodeId: 'b', entered: 0, waiting: 0, sent: 0, blocked: {}, responded: 0, converted: 0, exited: 0 }]);
    expect(merged.map((m) => m.nodeId)).toEqual(['a', 'b']);
    expect(countLines(merged[0])).toEqual([['entered', 2], ['counts.waiting', 1]]);
    expect(countLines(mergeCounts([{ nodeId: 'a', outcomes: { entered: 2 }, waiting: 1 }], null)[0])).toEqual([['entered', 2], ['counts.waiting', 1]]);
  });
});

describe('designer experiment chart', () => {
  it('rounds the scale up to 1, 2 or 5 × 10^k', () => {
    expect(niceMax(0.034)).toBeCloseTo(0.05);
    expect(niceMax(0.11)).toBeCloseTo(0.2);
    expect(niceMax(0)).toBe(0.01);
  });

  it('places each arm rate inside its interval on one shared scale', () => {
    const c = intervalChart(
      [
        { arm: 'a', label: 'A', responseRate: 0.1, responseRateCi: { low: 0.08, high: 0.12 }, holdout: false },
        { arm: 'holdout', responseRate: 0.05, responseRateCi: { low: 0.03, high: 0.07 }, holdout: true },
      ],
      { width: 300, rowHeight: 20, left: 100, right: 0 },
    );
    expect(c.max).toBeCloseTo(0.2);
    expect(c.rows[0]).toMatchObject({ arm: 'a', y: 10, x: 200, text: '10.0% [8.00%, 12.0%]' });
    // Each row says the arm as the table beside it does (its label, not "A (a)"); an arm without one, its id.
    expect(c.rows.map((r) => r.name)).toEqual(['A', 'holdout']);
    expect(c.rows[1].low).toBeLessThan(c.rows[1].x);
    expect(c.rows[1].x).toBeLessThan(c.rows[1].high);
    expect(c.ticks[0]).toEqual({ x: 100, text: '0.00%' });
    expect(c.height).toBe(40);
  });
});
