import { describe, expect, it } from '@jest/globals';
import { eventCatalog } from '../../server/src/core/flow/event-checks.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/** rules/shop.yaml's wechat_reply as the catalog knows it: declared with messageId and text. */
const events = eventCatalog([], ['wechat_reply', 'store_visit'], null, new Map([['wechat_reply', ['messageId', 'text']]]));
const flow = (trigger: string) => `id: keyed
name: Keyed
nodes:
  - id: start
    type: entry
    trigger: ${trigger}
    next: done
  - { id: done, type: exit }
`;
const keyProblems = (trigger: string) => validateFlowText(flow(trigger), 'keyed.flow.yaml', ruleCatalogFromNames([]), null, events).problems.filter((p) => p.path === 'nodes.0.trigger.key');

describe("an event trigger's key against the event's fields", () => {
  it("is a warning with a did-you-mean against a system event's payload, on the key's line and node, in Chinese in the Problems panel", () => {
    const [p] = keyProblems('{ type: event, event: order_paid, key: orderNo }');
    expect(p).toMatchObject({ line: 6, nodeId: 'start', severity: 'warning' });
    expect(p.message).toBe('key "orderNo" is not a field of event "order_paid" (it carries orderId, amount, status, promotion): every journey would get the same empty key, so it is in effect one journey per customer and a match on $key finds nothing; did you mean "orderId"?');
    expect(serverProblemWords(p)).toBe('「旅程关键值」是「orderNo」，但「付款」事件不带这个字段（它带的是「订单号」、「amount」、「status」、「promotion」）：所有旅程的关键值都是空的，实际上每位顾客只有一段旅程，按「本旅程的关键值」匹配的条件也永远匹配不到。请改成「订单号」，或选「不区分」');
  });

  it("is a warning against a declared event's fields, and nothing for a key it carries or an event with no known fields", () => {
    expect(keyProblems('{ type: event, event: wechat_reply, key: orderId }')).toEqual([expect.objectContaining({ severity: 'warning', message: expect.stringContaining('(it carries messageId, text as rules/shop.yaml declares it)') })]);
    expect(keyProblems('{ type: event, event: wechat_reply, key: messageId }')).toEqual([]);
    expect(keyProblems('{ type: event, event: order_created, key: orderId }')).toEqual([]);
    expect(keyProblems('{ type: event, event: store_visit, key: storeId }')).toEqual([]); // declared without fields: may carry it
    expect(keyProblems('{ type: event, event: order_paid }')).toEqual([]);
  });
});
