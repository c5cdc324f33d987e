/**
 * An imported row with a misspelt value of a fixed list (an order's status `canceled`, `shiped`)
 * is refused with the list, the value and now the one it was most likely meant to be.
 */
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { describeRowIssues } from '../../server/src/core/data/import/row-issue-words.js';

const STATUS = z.object({ status: z.enum(['created', 'paid', 'shipped', 'completed', 'refunded', 'cancelled']) });
const issues = (raw: unknown) => {
  const r = STATUS.safeParse(raw);
  if (r.success) throw new Error('expected a refusal');
  return describeRowIssues(r.error, raw);
};

describe('an imported value outside its list', () => {
  it('names the nearest value of the list, when one is near', () => {
    expect(issues({ status: 'canceled' })).toEqual([{ field: 'status', message: 'expected one of created, paid, shipped, completed, refunded, cancelled, got "canceled": did you mean "cancelled"?' }]);
    expect(issues({ status: 'shiped' })[0].message).toMatch(/: did you mean "shipped"\?$/);
    expect(issues({ status: 'shipped-ish' })[0].message).toBe('expected one of created, paid, shipped, completed, refunded, cancelled, got "shipped-ish"');
  });
});
