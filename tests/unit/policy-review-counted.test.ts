import { describe, expect, it } from '@jest/globals';
import { periodBounds, quietUntil } from '../../server/src/core/policy/periods.js';
import { firstCapHit, reviewSends, type PolicyRequest, type Touch } from '../../server/src/core/policy/review.js';
import type { Cap, ContactPolicy } from '../../server/src/core/policy/schema.js';
import { PolicySchema } from '../../server/src/core/policy/schema.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-11-05T02:00:00Z'); // 10:00 in Shanghai
const TZ = 'Asia/Shanghai';

const touch = (at: number, over: Partial<Touch> = {}): Touch => ({ customerId: 1, channel: 'sms', category: 'marketing', campaign: 'd11', at, deliveredAt: null, ...over });
const request = (over: Partial<PolicyRequest> = {}): PolicyRequest => ({
  key: 'k',
  customerId: 1,
  category: 'marketing',
  priority: 50,
  campaign: 'd11',
  options: [{ channel: 'sms', unavailable: null }],
  flowCaps: [],
  multiTouchShare: null,
  onCapped: 'defer',
  expiresAt: null,
  ...over,
});

describe('the contact policy counts touches against each cap', () => {
  it('frees a full window cap when its max-th newest touch leaves the window, touches in any order', () => {
    const cap: Cap = { id: 'two-a-day', max: 2, window: '24h', categories: ['marketing'] } as Cap;
    // Out of order, one outside the window, one of another category, one of another channel the cap does not name.
    const touches = [touch(NOW - 3 * HOUR), touch(NOW - 30 * HOUR), touch(NOW - 10 * HOUR), touch(NOW - HOUR, { category: 'care' }), touch(NOW - 2 * HOUR, { channel: 'email' })];
    // In the window, marketing: −10 h, −3 h, −2 h (email; the cap names no channel): full, and the
    // slot frees when the 2nd newest (−3 h) leaves it.
    expect(firstCapHit([cap], 'sms', { category: 'marketing', campaign: 'd11' }, touches, NOW, TZ)).toEqual({ cap, freeAt: NOW - 3 * HOUR + DAY });
    expect(firstCapHit([{ ...cap, max: 4 } as Cap], 'sms', { category: 'marketing', campaign: 'd11' }, touches, NOW, TZ)).toBeNull();
  });

  it("checks the shop's caps before the flow's, and a campaign cap counts only the campaign's touches", () => {
    const policy: ContactPolicy = PolicySchema.parse({ caps: [{ id: 'shop-sms-month', max: 5, period: 'month', channels: ['sms'], categories: ['marketing'] }] });
    const flowCaps: Cap[] = [
      { id: 'd11-touches', max: 2, categories: ['marketing'], campaign: true } as Cap,
      { id: 'flow-sms-month', max: 1, period: 'month', channels: ['sms'], categories: ['marketing'] } as Cap,
    ];
    const history = new Map<number, Touch[]>([[1, [touch(NOW - 2 * DAY), touch(NOW - DAY, { campaign: 'other', channel: 'email' })]]]);
    const standing = new Map([[1, { unsubscribed: new Set<string>(), blockedBy: null, lastAnswerAt: null }]]);
    const v = reviewSends([request({ flowCaps })], history, standing, policy, new Map(), NOW, TZ);
    // The campaign has one touch (under 2); the November SMS cap of the flow is full: capped by it, deferred to 1 Dec (Shanghai).
    expect(v.get('k')).toEqual({ status: 'deferred', channel: 'sms', reason: 'capped:flow-sms-month', until: Date.parse('2026-11-30T16:00:00Z') });
    const shopFull: ContactPolicy = PolicySchema.parse({ caps: [{ id: 'shop-sms-month', max: 1, period: 'month', channels: ['sms'], categories: ['marketing'] }] });
    expect(reviewSends([request({ flowCaps })], new Map(history), standing, shopFull, new Map(), NOW, TZ).get('k')?.reason).toBe('capped:shop-sms-month');
  });

  it('answers a period and a quiet-hours window for each instant and zone asked, whatever was asked before', () => {
    const q = { from: '21:00', to: '09:00', categories: ['marketing', 'care', 'transactional'] } as Parameters<typeof quietUntil>[1];
    const lateNight = Date.parse('2026-11-04T15:00:00Z'); // 23:00 Shanghai, 15:00 UTC
    for (let round = 0; round < 2; round++) {
      expect(periodBounds(NOW, 'month', TZ)).toEqual({ start: Date.parse('2026-10-31T16:00:00Z'), end: Date.parse('2026-11-30T16:00:00Z') });
      expect(periodBounds(NOW, 'month', 'UTC')).toEqual({ start: Date.parse('2026-11-01T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') });
      expect(periodBounds(Date.parse('2026-12-01T00:30:00Z'), 'month', TZ).start).toBe(Date.parse('2026-11-30T16:00:00Z'));
      expect(quietUntil(lateNight, q, TZ)).toBe(Date.parse('2026-11-05T01:00:00Z'));
      expect(quietUntil(lateNight, q, 'UTC')).toBeNull();
      expect(quietUntil(NOW, q, TZ)).toBeNull();
      expect(quietUntil(lateNight, { ...q, from: '08:00', to: '09:00' }, TZ)).toBeNull();
    }
  });
});
