import { describe, expect, it } from '@jest/globals';
import { detailText } from '../../server/src/cli/commands/audit.js';

describe('rekindle audit: an entry detail on one line', () => {
  it('leaves out the values an entry does not have, instead of printing them as null', () => {
    expect(detailText({ format: 'csv', flowId: null, customerId: null, status: undefined, note: '' })).toBe('format csv');
  });

  it('keeps every value that is there, zero and false included', () => {
    expect(detailText({ rows: 0, dryRun: false, file: 'orders.csv' })).toBe('rows 0, dryRun false, file orders.csv');
  });
});
