import { describe, expect, it } from '@jest/globals';
import { maskContactsInText } from '../../server/src/core/access/contact-text.js';
import type { Principal } from '../../server/src/core/access/roles.js';
import { sendLogRowInView, sendLogViewFor, WITHHELD_MARK } from '../../server/src/core/access/send-log-view.js';
import { translate } from '../../designer/src/model/i18n.js';

const caller = (role: Principal['role'], contactsVisible: boolean, kind: Principal['kind'] = 'user'): Principal => ({ kind, name: String(role), userId: null, tokenId: null, role, scopes: [], contactsVisible });

describe("the send log's view by caller", () => {
  it('marketers and admins (people or tokens) read the whole log', () => {
    expect(sendLogViewFor(caller('marketer', true))).toBeNull();
    expect(sendLogViewFor(caller('admin', true, 'token'))).toBeNull();
  });

  it('an analyst never reads the message text; contacts are masked unless granted', () => {
    expect(sendLogViewFor(caller('analyst', false))).toEqual({ withheld: ['subject', 'body'], masked: ['last_error'] });
    expect(sendLogViewFor(caller('analyst', true))).toEqual({ withheld: ['subject', 'body'], masked: [] });
  });

  it('marks only a withheld cell that has a value, and masks contacts inside the masked ones', () => {
    const view = sendLogViewFor(caller('analyst', false))!;
    expect(sendLogRowInView({ subject: null, body: '李娜您好', last_error: 'to li.na@example.com', coupon: 'CPN1' }, view, '(withheld)')).toEqual({ subject: null, body: '(withheld)', last_error: 'to l***@example.com', coupon: 'CPN1' });
  });
});

it("the designer's analyst download says the mark the Excel file writes", () => {
  expect(translate('zh', 'counts.sendsCsvAnalystHelp')).toContain(`「${WITHHELD_MARK.excel}」`);
  expect(translate('en', 'counts.sendsCsvAnalystHelp')).toContain(WITHHELD_MARK.excel);
});

describe('contacts inside free text', () => {
  it('masks addresses and numbers as the customer list does, however the number is written', () => {
    expect(maskContactsInText('550 <li.na@example.com> rejected')).toBe('550 <l***@example.com> rejected');
    expect(maskContactsInText('invalid 13912345678;')).toBe('invalid 139****5678;');
    expect(maskContactsInText('+86 139 1234 5678 unreachable')).not.toMatch(/1234|139 1234/);
    expect(maskContactsInText('order 20271104123456789 failed')).toBe('order 20271104123456789 failed');
  });
});
