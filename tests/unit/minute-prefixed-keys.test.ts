import { describe, expect, it } from '@jest/globals';
import { COUPON_CODE_LENGTH, newCouponCode } from '../../server/src/core/coupons/code.js';
import { newLinkToken } from '../../server/src/core/engine/tokens.js';

/**
 * Link tokens and coupon codes start with the minute they were made (so one minute's keys share a
 * part of their unique index, bench/README.md) and keep their length, alphabet and random rest.
 */
const AT = Date.parse('2026-11-08T02:00:00Z');

describe('keys that start with their minute', () => {
  it('a link token: 12 URL-safe characters, the first two the same within a minute and different in the next', () => {
    const same = Array.from({ length: 2000 }, (_, i) => newLinkToken(AT + (i % 60) * 1000));
    for (const t of same) expect(t).toMatch(/^[A-Za-z0-9_-]{12}$/);
    expect(new Set(same.map((t) => t.slice(0, 2))).size).toBe(1);
    expect(newLinkToken(AT + 60_000).slice(0, 2)).not.toBe(same[0].slice(0, 2));
    // The rest is random: 2,000 tokens of one minute, 2,000 different rests, every character seen.
    expect(new Set(same.map((t) => t.slice(2))).size).toBe(2000);
    expect(new Set(same.map((t) => t[5])).size).toBeGreaterThan(50);
    // 12 bits: the same prefix again after 4,096 minutes.
    expect(newLinkToken(AT + 4096 * 60_000).slice(0, 2)).toBe(same[0].slice(0, 2));
  });

  it('a coupon code: 12 letters of its alphabet, the first two the minute of issue', () => {
    const same = Array.from({ length: 2000 }, (_, i) => newCouponCode(AT + (i % 60) * 1000));
    for (const c of same) expect(c).toMatch(new RegExp(`^[2-9A-HJKMNP-Z]{${COUPON_CODE_LENGTH}}$`));
    expect(new Set(same.map((c) => c.slice(0, 2))).size).toBe(1);
    expect(newCouponCode(AT + 60_000).slice(0, 2)).not.toBe(same[0].slice(0, 2));
    expect(new Set(same.map((c) => c.slice(2))).size).toBe(2000);
    expect(new Set(same.map((c) => c[7])).size).toBe(31);
    expect(newCouponCode(AT + 961 * 60_000).slice(0, 2)).toBe(same[0].slice(0, 2));
    // Times before 1970 (a test clock) still give a valid prefix.
    expect(newCouponCode(-90_000)).toMatch(/^[2-9A-HJKMNP-Z]{12}$/);
    expect(newLinkToken(-90_000)).toMatch(/^[A-Za-z0-9_-]{12}$/);
  });
});
