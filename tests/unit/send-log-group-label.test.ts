import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { groupCaseLabel } from '../../server/src/core/flow/group-case-label.js';

/**
 * The send log's `group` is a group-size limit group (`cap-every-year-1`); its `group_label` says
 * which case of the switch the customer was put in, as the marketer named it.
 */
describe('send log group label', () => {
  const flow = parse(readFileSync('rules/flows/double11-campaign.flow.yaml', 'utf8'));

  it('names a split part of a limit node by the switch case that leads to it', () => {
    expect(groupCaseLabel(flow, 'cap-every-year-1')).toBe('A2 每年双十一都买');
    expect(groupCaseLabel(flow, 'cap-every-year-12')).toBe('A2 每年双十一都买');
    expect(groupCaseLabel(flow, 'cap-deep-1')).toBe('D2 深度沉睡');
  });

  it('uses the limit node label when no case leads to it, and nothing for an unknown or absent group', () => {
    const own = { nodes: [{ id: 'cap', type: 'limit', label: '每天最多 500 人' }] };
    expect(groupCaseLabel(own, 'cap')).toBe('每天最多 500 人');
    expect(groupCaseLabel(flow, 'no-such-limit-1')).toBeNull();
    expect(groupCaseLabel(flow, null)).toBeNull();
  });

  it('reads a split part only as the limit id, a dash and digits, and prefers the longest limit id', () => {
    const odd = {
      nodes: [
        { id: 'cap.a', type: 'limit', label: '点号' },
        { id: 'cap', type: 'limit', label: '短' },
        { id: 'cap-vip', type: 'limit', label: '长' },
      ],
    };
    expect(groupCaseLabel(odd, 'capXa-1')).toBeNull(); // a dot in an id is a dot, not any character
    expect(groupCaseLabel(odd, 'cap.a-3')).toBe('点号');
    expect(groupCaseLabel(odd, 'cap-vip-2')).toBe('长');
    expect(groupCaseLabel(odd, 'cap-2')).toBe('短');
    expect(groupCaseLabel(odd, 'cap-')).toBeNull();
    expect(groupCaseLabel(odd, 'cap-2x')).toBeNull();
  });

  it('gives the same answer when asked again for a flow it has seen (the export asks once a row)', () => {
    for (let i = 0; i < 3; i++) expect(groupCaseLabel(flow, 'cap-deep-1')).toBe('D2 深度沉睡');
    expect(groupCaseLabel(flow, 'no-such-limit-1')).toBeNull();
  });
});
