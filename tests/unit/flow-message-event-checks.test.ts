import { describe, expect, it } from '@jest/globals';
import { lookupVariable } from '../../server/src/core/engine/message-vars.js';
import { eventCatalog } from '../../server/src/core/flow/event-checks.js';
import { formatProblem } from '../../server/src/core/flow/problems.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { closestName } from '../../server/src/core/text/closest-name.js';
import { isJourneyCheckWarning } from '../support/journey-check-warnings.js';

const FILE = 'rules/flows/t.flow.yaml';
const RULES = ruleCatalogFromNames([]);

/** A clean little flow; each test changes one text in it. */
const flow = (o: { event?: string; template?: string; link?: string; waitFor?: string; exitOn?: string; keysNothing?: boolean } = {}) => `id: t
name: Test flow
exitOn:
  - event: ${o.exitOn ?? 'order_paid'}
nodes:
  - id: start
    type: entry
    trigger: { type: event, event: ${o.event ?? 'order_created'}${o.keysNothing ? '' : ', key: orderId'} }
    next: remind
  - id: remind
    type: send
    channel: sms
    template: "${o.template ?? '{{customer.name}}，您的订单 {{key}} 还没付款：{{link}}'}"
${o.link === '' ? '' : `    link: ${o.link ?? 'https://shop.example/pay'}\n`}    category: transactional
    next: answer
  - id: answer
    type: waitForEvent
    events: [${o.waitFor ?? 'order_paid, click'}]
    within: 1d
    responded: done
    timedOut: done
  - id: done
    type: exit
`;

/** Whether a problem is the payment-reminder stop warning (reminder-stop-checks.ts, pinned in its own test): a flow here whose exitOn is changed gets it too. */
const reminderStop = (p: { message: string }) => /^this payment reminder is sent even when the order was paid meanwhile/.test(p.message);
const lines = (text: string, seen: string[] = []) =>
  validateFlowText(text, FILE, RULES, null, eventCatalog(seen))
    .problems.filter((p) => !reminderStop(p) && !isJourneyCheckWarning(p))
    .map((p) => `${p.severity} ${formatProblem(FILE, p)}`);

describe('message checks: what a send prints', () => {
  it('a clean flow has no problem', () => {
    expect(lines(flow())).toEqual([]);
  });

  it('{{key}} in a journey whose entry keys nothing is a warning on the text: the customer would read an empty order number', () => {
    expect(lines(flow({ keysNothing: true }))).toEqual([`warning ${FILE}:13 node remind: warning: uses {{key}} but the entry keys no journey (no trigger key): customers would get an empty text in its place; choose what keys the journey in the entry (e.g. key: orderId) or take {{key}} out`]);
    expect(lines(flow({ keysNothing: true, template: '{{customer.name}}，订单还没付款：{{link}}' }))).toEqual([]);
  });

  it('{{link}} without a link target is an error on the text, naming the node', () => {
    expect(lines(flow({ link: '', template: '回店看看 {{link}} 退订回T' }))).toEqual([`error ${FILE}:13 node remind: uses {{link}} but has no link target: customers would get the text without a link; fill in the link target (link) or take {{link}} out`]);
  });

  it('a misspelt variable is an error with a "did you mean", at every level', () => {
    expect(lines(flow({ template: '{{customer.nmae}}，客单价 {{facts.aov2}}：{{link}}' }))).toEqual([
      `error ${FILE}:13 node remind: {{customer.nmae}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?`,
      `error ${FILE}:13 node remind: {{facts.aov2}} is not a message variable (customers would get an empty text in its place): did you mean {{facts.aov}}?`,
    ]);
    expect(lines(flow({ template: '{{name}} {{lnik}} {{link}}' }))).toEqual([
      `error ${FILE}:13 node remind: {{name}} is not a message variable (customers would get an empty text in its place): did you mean {{customer.name}}?`,
      `error ${FILE}:13 node remind: {{lnik}} is not a message variable (customers would get an empty text in its place): did you mean {{link}}?`,
    ]);
  });

  it('a variable nowhere near a real one names the roots; a group says to pick a field', () => {
    expect(lines(flow({ template: '{{shop.phone}} {{customer}} {{link}}' }))).toEqual([
      `error ${FILE}:13 node remind: {{shop.phone}} is not a message variable (customers would get an empty text in its place): use customer.<field>, facts.<fact>, key, link or coupon.<field>`,
      `error ${FILE}:13 node remind: {{customer}} does not say which field to print: use e.g. {{customer.id}}, {{customer.externalId}}, {{customer.name}}`,
    ]);
  });

  it('every fact of the catalogue, customer field, consent channel and imported attribute is a variable', () => {
    for (const p of ['customer.name', 'customer.city', 'customer.consent.sms', 'customer.attributes.vipLevel', 'facts.aov', 'facts.daysUntilSleeping', 'key', 'link', 'coupon.code', 'coupon.minSpend']) expect(lookupVariable(p)).toEqual({ kind: 'ok' });
    expect(lookupVariable('link.url').kind).toBe('unknown');
  });
});

describe('event checks: names a journey waits for', () => {
  it('an entry event one slip from a system event is an error with a "did you mean", on its line', () => {
    expect(lines(flow({ event: 'order_creatd' }))).toEqual([`error ${FILE}:8 node start: event "order_creatd" is not an event the shop records: did you mean "order_created"?`]);
  });

  it('an unknown event (下单) is a warning that says where a shop declares its own: the shop may send it through the API', () => {
    const out = lines(flow({ event: '下单' }));
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(new RegExp(`^warning ${FILE}:8 node start: warning: event "下单" is neither one the system records, nor declared in rules/shop.yaml, nor seen in the shop's event log \\(known: order_created, order_paid, .*\\): nothing would match it unless the shop sends it through POST /api/events; if it does, declare it in rules/shop.yaml under events: \\(name: 下单 and a description\\)$`));
  });

  it('exitOn and waitForEvent events are checked too', () => {
    expect(lines(flow({ exitOn: 'order_payed', waitFor: 'order_paid, clik' }))).toEqual([
      `error ${FILE}:4: event "order_payed" is not an event the shop records: did you mean "order_paid"?`,
      `error ${FILE}:19 node answer: event "clik" is not an event the shop records: did you mean "click"?`,
    ]);
  });

  it("an event seen in the shop's log is known", () => {
    expect(lines(flow({ waitFor: 'order_paid, reply' }), ['reply'])).toEqual([]);
    expect(lines(flow({ waitFor: 'order_paid, replyed' }), ['reply'])[0]).toContain('did you mean "reply"?');
  });

  it('an event declared in rules/shop.yaml is known without any log, and one slip from it is an error', () => {
    const declared = (text: string) =>
      validateFlowText(text, FILE, RULES, null, eventCatalog([], ['wechat_reply']))
        .problems.filter((p) => !reminderStop(p) && !isJourneyCheckWarning(p))
        .map((p) => `${p.severity} ${formatProblem(FILE, p)}`);
    expect(declared(flow({ waitFor: 'order_paid, wechat_reply' }))).toEqual([]);
    expect(declared(flow({ event: 'wechat_reply' }))).toEqual([]);
    expect(declared(flow({ waitFor: 'order_paid, wechat_replly' }))).toEqual([`error ${FILE}:19 node answer: event "wechat_replly" is not an event the shop records: did you mean "wechat_reply"?`]);
    expect(declared(flow({ exitOn: 'wechat_reply' }))).toEqual([]);
    // Not declared: only a warning, naming the file and key to declare it in.
    expect(lines(flow({ waitFor: 'order_paid, wechat_reply' }))).toEqual([expect.stringContaining('warning: event "wechat_reply" is neither one the system records, nor declared in rules/shop.yaml')]);
  });

  it('while rules/shop.yaml cannot be read, unknown events are one error saying so, not each a false "not declared" warning', () => {
    const unread = (text: string) =>
      validateFlowText(text, FILE, RULES, null, eventCatalog([], [], 'line 3: Nested mappings are not allowed in compact mappings'))
        .problems.filter((p) => !reminderStop(p) && !isJourneyCheckWarning(p))
        .map((p) => `${p.severity} ${formatProblem(FILE, p)}`);
    expect(unread(flow({ event: 'wechat_reply', waitFor: 'order_paid, review_posted', exitOn: 'wechat_reply' }))).toEqual([
      `error ${FILE}:8 node start: the shop's own events cannot be checked ("wechat_reply", "review_posted" here): rules/shop.yaml, where they are declared, could not be read (line 3: Nested mappings are not allowed in compact mappings); fix rules/shop.yaml first`,
    ]);
    // A slip from a system event is still said as such; a flow naming only known events is clean.
    expect(unread(flow({ event: 'order_creatd' }))).toEqual([`error ${FILE}:8 node start: event "order_creatd" is not an event the shop records: did you mean "order_created"?`]);
    expect(unread(flow())).toEqual([]);
    expect(unread(flow({ exitOn: 'wechat_reply' }))).toEqual([expect.stringMatching(new RegExp(`^error ${FILE}:4: the shop's own events cannot be checked \\("wechat_reply" here\\)`))]);
  });

  it('closestName: a third of the letters may differ, a neighbour swap counts once', () => {
    expect(closestName('nmae', ['name', 'city'])).toBe('name');
    expect(closestName('aov2', ['aov', 'orderCount'])).toBe('aov');
    expect(closestName('foo', ['aov', 'name'])).toBeNull();
    expect(closestName('下单', ['order_created'])).toBeNull();
  });
});
