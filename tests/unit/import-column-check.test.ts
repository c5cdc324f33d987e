import { describe, expect, it } from '@jest/globals';
import { checkHeader, columnDistance } from '../../server/src/core/data/import/column-check.js';

describe('import header check', () => {
  it('refuses a header without a required column and names the close header it probably meant', () => {
    const c = checkHeader('orders', ['externalId', 'custmerExternalId', 'status', 'amout', 'createdAt'], 'orders.csv');
    expect(c.error).toMatch(/^orders\.csv: required column "customerExternalId" is missing \(the header has "custmerExternalId": did you mean "customerExternalId"\?\); required column "amount" is missing \(the header has "amout": did you mean "amount"\?\); nothing was imported/);
    expect(c.warnings).toEqual([]);
  });

  it('suggests the camel-case column for snake case and for a header whose words are all in it', () => {
    const c = checkHeader('orders', ['externalId', 'customer_id', 'status', 'amount', 'created_at'], 'o.csv');
    expect(c.error).toContain('"customer_id": did you mean "customerExternalId"?');
    expect(c.error).toContain('"created_at": did you mean "createdAt"?');
  });

  it('names a missing required column without a guess when nothing in the header looks like it', () => {
    expect(checkHeader('customers', ['name', 'nickname'], 'c.csv').error).toMatch(/^c\.csv: required column "externalId" is missing; nothing was imported \(expected columns: externalId, name/);
  });

  it('warns about a misspelt optional column, not about columns that look like nothing known', () => {
    const c = checkHeader('customers', ['externalId', 'emial', 'nickname', 'attr_level'], 'c.csv');
    expect(c.error).toBeNull();
    expect(c.warnings).toEqual(['c.csv: column "emial" is not read: did you mean "email"?']);
  });

  it('does not take another word for a column: count is not amount, an exact column is never suggested again', () => {
    expect(columnDistance('count', 'amount')).toBeNull();
    expect(columnDistance('statsu', 'status')).toBe(1);
    expect(columnDistance('cratdAt', 'createdAt')).toBe(2);
    expect(checkHeader('orders', ['externalId', 'customerExternalId', 'status', 'amount', 'createdAt', 'amout'], 'o.csv').warnings).toEqual([]);
  });
});
