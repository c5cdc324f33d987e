import { describe, expect, it } from '@jest/globals';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { CouponFileSchema } from '../../server/src/core/coupons/schema.js';

/**
 * Day counts in flow and coupon files are bounded like every other day count (36,500 days): a
 * coupon valid for 99,999,999,999 days passed `rekindle validate`, and the first send that issued
 * it threw "Invalid time value" (its expiry is no date) — `rekindle simulate` said only that, and
 * the engine's batch failed on every tick; a wait of 99,999,999,999,999 days overflows the wake-up
 * column on PostgreSQL the same way.
 */
const FILE = 'rules/flows/t.flow.yaml';
const flow = (send: string, wait = '2h') => `id: t
name: Test flow
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created }
    next: w
  - id: w
    type: wait
    duration: ${wait}
    next: give
  - id: give
    type: send
    channel: sms
    template: 券 {{coupon.amount}} 到 {{coupon.expires}}
${send}
    next: done
  - id: done
    type: exit
`;
const problems = (text: string) => validateFlowText(text, FILE, ruleCatalogFromNames([])).problems.filter((p) => p.severity === 'error').map((p) => formatProblem(FILE, p));

describe('day counts in flow and coupon files', () => {
  it('a one-off coupon valid for more than 36,500 days is an error at its node and field', () => {
    expect(problems(flow('    coupon: { value: 5, validDays: 99999999999 }'))).toEqual([`${FILE}:16 node give: coupon.validDays: Too big: expected number to be <=36500`]);
    expect(problems(flow('    coupon: { value: 5, validDays: 36500 }'))).toEqual([]);
  });

  it('a wait longer than 36,500 days is an error at its node', () => {
    expect(problems(flow('    coupon: { value: 5, validDays: 7 }', '99999999999999d'))).toEqual([`${FILE}:10 node w: duration: at most 36500 days (100 years)`]);
    expect(problems(flow('    coupon: { value: 5, validDays: 7 }', '36500d'))).toEqual([]);
  });

  it('a coupon template of rules/coupons.yaml valid for more than 36,500 days is refused', () => {
    const r = CouponFileSchema.safeParse({ templates: { forever: { amount: 5, validDays: 1e11 } } });
    expect(r.success).toBe(false);
    expect(r.error?.issues.map((i) => i.path.join('.'))).toEqual(['templates.forever.validDays']);
  });
});
