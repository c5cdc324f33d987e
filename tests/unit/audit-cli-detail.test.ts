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

describe('rekindle audit: a file change (policy-changed) says what changed', () => {
  const header = '# yaml-language-server: $schema=../schemas/policy.schema.json\n# The shop\'s contact policy: every journey\'s messages go through it.\n';
  const before = `${header}caps:\n  - channel: any\n    max: 1\n    per: 1d\nquietHours: { from: "21:00", to: "09:00" }\n`;

  it('names the changed line before and after, not the two files cut inside their common header', () => {
    const after = before.replace('max: 1', 'max: 2');
    expect(detailText({ before, after })).toBe('line 5 changed: "max: 1" → "max: 2"');
  });

  it('says the span of several changed lines, added and removed lines too', () => {
    expect(detailText({ before, after: before.replace('    max: 1\n    per: 1d\n', '    max: 3\n    per: 7d\n') })).toBe('lines 5–6 changed: "max: 1" → "max: 3" (+1 more)');
    expect(detailText({ before, after: `${before}suppression: { lists: [bad-reviews] }\n` })).toBe('line 8 changed: (none) → "suppression: { lists: [bad-reviews] }"');
    expect(detailText({ before, after: before, note: 'x' })).toBe('no change, note x');
  });
});
