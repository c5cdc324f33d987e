import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { checkUnclickableWaits } from '../../server/src/core/flow/click-wait-checks.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { serverProblemWords } from '../../designer/src/model/server-problem-words.js';

/**
 * What a marketer drew in the designer (walked on 2 Dec 2026): order → wait → an SMS "回复 1 领券"
 * with no link → 等待响应 for 点击链接 (click) → 已响应 / 超时. Nobody can click a message without
 * a link, so every journey times out; the designer and `rekindle validate` said 没有问题.
 */
const FLOW = `id: walk-care
name: 下单关怀
nodes:
  - id: start
    type: entry
    trigger:
      type: event
      event: order_created
      key: orderId
    next: wait-1
  - id: wait-1
    type: wait
    duration: 1m
    next: send-1
  - id: send-1
    type: send
    channel: sms
    template: 【示例店】感谢下单 {{key}}，回复 1 领券
    next: wait-event-1
  - id: wait-event-1
    type: waitForEvent
    events:
      - click
    within: 1d
    responded: exit-1
    timedOut: exit-2
  - id: exit-1
    type: exit
    goal: true
  - id: exit-2
    type: exit
`;
const validate = (text: string) => validateFlowText(text, 'rules/flows/walk-care.flow.yaml', ruleCatalogFromNames([]));

describe('a wait for a click after messages without a link', () => {
  it('is a warning on the wait\'s events line, with its node id, saying why every journey times out and what to do', () => {
    const r = validate(FLOW);
    const found = r.problems.filter((p) => p.message.startsWith('waitForEvent waits for a click'));
    expect(found).toEqual([
      expect.objectContaining({ nodeId: 'wait-event-1', severity: 'warning', line: 22, message: 'waitForEvent waits for a click, but no send step before it has a link target: its messages carry no link, so nobody can click and every journey takes "timedOut"; give a send before it a link target (link) or wait for another event' }),
    ]);
    expect(FLOW.split('\n')[21]).toBe('    events:');
  });

  it('is not reported when a send on the way has a link, or the wait also waits for another event', () => {
    expect(validate(FLOW.replace('    next: wait-event-1', '    link: https://shop.example.com/coupon\n    next: wait-event-1')).problems.filter((p) => p.message.startsWith('waitForEvent waits for a click'))).toEqual([]);
    expect(validate(FLOW.replace('      - click', '      - click\n      - order_paid')).problems.filter((p) => p.message.startsWith('waitForEvent waits for a click'))).toEqual([]);
    // A link on a send after the wait does not count: its click cannot answer this wait.
    const after = [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'w' },
      { id: 'w', type: 'waitForEvent', events: ['click'], within: '1d', responded: 'done', timedOut: 's' },
      { id: 's', type: 'send', channel: 'sms', template: 'x {{link}}', link: 'https://shop.example.com/', next: 'done' },
      { id: 'done', type: 'exit' },
    ];
    expect(checkUnclickableWaits(after).map((p) => p.nodeId)).toEqual(['w']);
  });

  it('finds a link on any path before the wait, through branches and loops', () => {
    const nodes = [
      { id: 'start', type: 'entry', trigger: { type: 'event', event: 'order_created' }, next: 'c' },
      { id: 'c', type: 'condition', conditions: { all: [] }, yes: 'a', no: 'b' },
      { id: 'a', type: 'send', channel: 'sms', template: 'x {{link}}', link: 'https://shop.example.com/', next: 'w' },
      { id: 'b', type: 'send', channel: 'sms', template: 'no link', next: 'w' },
      { id: 'w', type: 'waitForEvent', events: ['click'], within: '1d', responded: 'done', timedOut: 'c' },
      { id: 'done', type: 'exit' },
    ];
    expect(checkUnclickableWaits(nodes)).toEqual([]);
  });

  it('the shipped flows have no such wait', () => {
    for (const file of readdirSync('rules/flows').filter((f) => f.endsWith('.flow.yaml'))) {
      expect([file, validate(readFileSync(`rules/flows/${file}`, 'utf8')).problems.filter((p) => p.message.startsWith('waitForEvent waits for a click'))]).toEqual([file, []]);
    }
  });

  it("is said in Chinese in the designer's Problems panel", () => {
    const [p] = validate(FLOW).problems.filter((x) => x.message.startsWith('waitForEvent waits for a click'));
    expect(serverProblemWords({ ...p, path: 'nodes.3.events' })).toBe('这一步只等「点击链接」，但它前面的发送步骤都没有填「链接」：消息里没有链接，没人能点，所有旅程都会走「超时」。请给前面的发送步骤填上「链接」，或改等别的事件');
  });
});
