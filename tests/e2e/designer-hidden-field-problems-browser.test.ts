/**
 * A problem in a field the step's form does not show — the subject of an SMS (only an email has
 * one; a flow file or an import can still carry it) — was only in the Problems panel: the card
 * counted it in its badge, the form had no field to say it beside, so a marketer could not see what
 * to fix nor fix it. The card now says it in words (表单里看不到的「邮件标题」有 1 个问题), the form
 * lists it with a button that clears the field, and clearing it ends the problem.
 * Headless chromium through playwright-core, against the real server (run under
 * flock /work/wt/browser.lock).
 */
import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { VirtualClock } from '../../server/src/core/clock.js';
import { designerInBrowser, SHOTS } from '../support/designer-browser.js';

process.env.REKINDLE_QUIET = '1';
const T0 = Date.parse('2026-11-20T10:00:00+08:00');
const FLOW = `id: hidden-subject
name: 隐藏字段的问题
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: order_created, key: orderId }
    next: sms
  - id: sms
    type: send
    channel: sms
    category: care
    template: "【示例旗舰店】您好 {{customer.name}}"
    subject: "{{customer.nmae}} 的订单"
    next: done
  - id: done
    type: exit
`;

describe('a problem in a field the form does not show, in the browser', () => {
  const errors: string[] = [];
  const { session, signIn, textOf } = designerInBrowser({
    name: 'hidden',
    clock: () => new VirtualClock(T0),
    errors,
    rules: (dir) => {
      cpSync(join(process.cwd(), 'rules'), dir, { recursive: true });
      writeFileSync(join(dir, 'flows', 'hidden-subject.flow.yaml'), FLOW);
    },
  });

  it('says it on the step on the canvas, lists it in the form with a way to clear it, and clearing ends it', async () => {
    const { page, base } = session();
    await signIn('marketer');
    await page.goto(`${base}/#/flows/hidden-subject`);

    // On the canvas: the step says which field it is, in Chinese, not just a number in a badge.
    const marker = page.getByTestId('hidden-problems-sms');
    await textOf(marker, '表单里看不到的「邮件标题」有 1 个问题');
    expect(await marker.getAttribute('title')).toContain('只有邮件有标题');
    expect(await marker.getAttribute('title')).toContain('customer.nmae');
    expect(await marker.isVisible()).toBe(true);
    // The card's summary is the message the SMS sends, not the subject it never sends.
    await textOf(page.getByTestId('summary-sms'), '短信：【示例旗舰店】您好');

    // In the form: the problem in words, beside a button that clears the field.
    await page.locator('.react-flow__node[data-id="sms"]').click();
    const box = page.getByTestId('hidden-field-subject');
    await textOf(box, /表单里不显示「邮件标题」.*customer\.nmae/);
    await page.screenshot({ path: join(SHOTS, 'hidden-field-problems.png') });
    await page.getByTestId('clear-hidden-subject').click();
    // The check runs again on the edited draft: the problem and the marker are gone.
    const end = Date.now() + 15_000;
    while (Date.now() < end && (await marker.count()) > 0) await new Promise((r) => setTimeout(r, 200));
    expect(await marker.count()).toBe(0);
    expect(await box.count()).toBe(0);
    expect(await page.getByTestId('problems-sms').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 90_000);
});
