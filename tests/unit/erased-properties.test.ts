import { describe, expect, it } from '@jest/globals';
import { ERASED_TEXT, erasedProperties } from '../../server/src/core/data/erased-properties.js';

describe('erasedProperties: what an erased customer keeps of an event', () => {
  it('keeps numbers, true/false, null and the ids that join orders, messages and coupons; replaces other text, lists and objects', () => {
    expect(erasedProperties({ orderId: 'o1', amount: 299, paid: true, refund: null, note: '送到西湖区', items: [{ sku: 'A' }], contact: { phone: '139' }, url: 'https://x.example/?u=li' })).toEqual({
      orderId: 'o1',
      amount: 299,
      paid: true,
      refund: null,
      note: ERASED_TEXT,
      items: ERASED_TEXT,
      contact: ERASED_TEXT,
      url: ERASED_TEXT,
    });
  });

  it('answers null when there is nothing to erase (the row is not rewritten), also for an event erased before', () => {
    expect(erasedProperties({ code: 'C1', amount: 20, flowId: 'f' })).toBeNull();
    expect(erasedProperties({ note: ERASED_TEXT, amount: 1 })).toBeNull();
    expect(erasedProperties({})).toBeNull();
  });
});
