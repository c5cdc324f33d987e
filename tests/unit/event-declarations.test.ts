import { cpSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadShopConfig } from '../../server/src/config/workspace.js';
import { EventDeclarationSchema, usableDeclarations } from '../../server/src/core/data/event-declarations.js';
import { inputSchemas } from '../../server/src/core/data/model.js';
import { ruleCatalogFromNames } from '../../server/src/core/flow/rule-references.js';
import { validateFlowText } from '../../server/src/core/flow/validate-flow.js';
import { checkYamlFile } from '../../server/src/core/flow/yaml-checks.js';
import { ShopConfigSchema } from '../../server/src/core/shop-config.js';
import { declaredEventsOf, knownEventsOf, readDeclaredEvents } from '../../server/src/runtime/declared-events.js';
import { tempDir } from '../support/temp-dirs.js';

const SHOP = `name: 测试店
timezone: Asia/Shanghai
events:
  - name: wechat_reply
    description: 客户在微信里回复了消息
    fields:
      text: string
      rating: number
`;

/** Each problem as `line path: message`, the way validate and start-up name it. */
const problems = (text: string) => checkYamlFile(text, ShopConfigSchema).problems.map((p) => `${p.line} ${p.path}: ${p.message}`);

const rulesWith = (text: string) => {
  const dir = tempDir('rekindle-events-decl-');
  writeFileSync(join(dir, 'shop.yaml'), text);
  return dir;
};

describe('events declared in rules/shop.yaml', () => {
  it('reads a declaration with its description and payload fields; none declared is an empty list', () => {
    const r = checkYamlFile(SHOP, ShopConfigSchema);
    expect(r.problems).toEqual([]);
    expect(r.value?.events).toEqual([{ name: 'wechat_reply', description: '客户在微信里回复了消息', fields: { text: 'string', rating: 'number' } }]);
    expect(checkYamlFile('name: x\n', ShopConfigSchema).value?.events).toEqual([]);
  });

  it('a bad name, a missing description, an unknown field type or key are errors on their line and field', () => {
    const text = `${SHOP}  - name: "wechat\\treply"
    description: 评价
  - name: gift_card
  - name: refund_asked
    description: 退款申请
    fields:
      amount: money
  - name: chat
    description: 聊天
    colour: red
`;
    expect(problems(text)).toEqual([
      '9 events.1.name: an event type contains a control character (U+0009) at position 7',
      '11 events.2.description: say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息',
      '15 events.3.fields.amount: "money" is not a field type: string, number, boolean or date',
      '16 events.4: unknown key "colour": an event has name, description and fields',
    ]);
  });

  it('declares exactly the types POST /api/events accepts (capitals, Chinese, up to 64 characters), with one definition', () => {
    const intake = inputSchemas('Asia/Shanghai').events;
    const types = ['WeChatReply', '微信回复', 'order.refund-asked', ' padded ', 'x'.repeat(64), 'x'.repeat(65), '', '   ', 'a\u0007b', 'Review Posted'];
    for (const type of types) {
      const taken = intake.safeParse({ customerExternalId: 'c1', type, occurredAt: 1_764_000_000_000, idempotencyKey: 'k' }).success;
      const declared = EventDeclarationSchema.safeParse({ name: type, description: '说明' }).success;
      expect({ type, declared }).toEqual({ type, declared: taken });
      expect({ type, taken }).toEqual({ type, taken: !['x'.repeat(65), '', '   ', 'a\u0007b'].includes(type) });
    }
    expect(problems(`events:\n  - name: WeChatReply\n    description: 客户在微信里回复了消息\n  - name: 微信回复\n    description: 同上\n`)).toEqual([]);
    expect(problems(`events:\n  - name: ${'x'.repeat(65)}\n    description: 太长\n`)).toEqual(['2 events.0.name: an event type is at most 64 characters']);
  });

  it('a name one slip from a system event is an error naming it, and is not taken as declared: the flows keep their "did you mean"', () => {
    const text = `${SHOP}  - name: order_piad\n    description: 付款了\n  - name: Click\n    description: 点击\n`;
    expect(problems(text)).toEqual([
      '9 events.1.name: "order_piad" is one slip from the system event "order_paid": declared, it would hide that misspelling in every flow; if you meant "order_paid", remove this entry (the system records it), otherwise choose a name further from it',
      '11 events.2.name: "Click" is one slip from the system event "click": declared, it would hide that misspelling in every flow; if you meant "click", remove this entry (the system records it), otherwise choose a name further from it',
    ]);
    const dir = rulesWith(text);
    expect(declaredEventsOf(dir).map((d) => d.name)).toEqual(['wechat_reply']);
    const flow = `id: t\nname: t\nnodes:\n  - id: start\n    type: entry\n    trigger: { type: event, event: order_piad }\n    next: done\n  - id: done\n    type: exit\n`;
    expect(validateFlowText(flow, 'rules/flows/t.flow.yaml', ruleCatalogFromNames([]), null, knownEventsOf(dir)).problems.map((p) => `${p.severity} ${p.message}`)).toEqual(['error event "order_piad" is not an event the shop records: did you mean "order_paid"?']);
  });

  it('shape errors read in the project words, not zod ones; an empty events: declares nothing', () => {
    expect(problems('name: x\nevents:\n')).toEqual([]);
    expect(checkYamlFile('name: x\nevents:\n', ShopConfigSchema).value?.events).toEqual([]);
    expect(problems(`events:\n  - name: a_b\n    description: 说明\n    fields:\n      1bad: string\n`)).toEqual(['5 events.0.fields.1bad: "1bad" is not a field name: letters, digits and "_", starting with a letter or "_", at most 64']);
    expect(problems(`events:\n  - name: a_b\n    description: 说明\n    fields: [text]\n`)).toEqual(['4 events.0.fields: expected the payload fields as name: type, e.g. fields: {text: string, rating: number}']);
    expect(problems('events: wechat_reply\n')).toEqual(['1 events: expected a list of events, each "- name: …" with a description: (docs/configuration.md)']);
    expect(problems('events:\n  - wechat_reply\n')).toEqual(['2 events.0: expected an event with name: and description: (e.g. - name: wechat_reply)']);
    expect(problems('events:\n  - description: 说明\n')).toEqual(['2 events.0.name: expected the event type as the shop sends it, e.g. name: wechat_reply']);
  });

  it('stops start-up with every problem as validate prints them: in line order, `file:line: field: message`, no absolute path', () => {
    const dir = rulesWith(`${SHOP}  - name: order_paid\n    description: 付款\n  - name: wechat_reply\n    description: again\n  - name: x\n`);
    let message = '';
    try {
      loadShopConfig(dir);
    } catch (e) {
      message = (e as Error).message;
    }
    const file = join(basename(dir), 'shop.yaml');
    expect(message.split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^${file}:9: events\\.1\\.name: "order_paid" is a system event`)),
      `${file}:11: events.2.name: "wechat_reply" is declared twice (first as events.0)`,
      `${file}:13: events.3.description: say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息`,
    ]);
    expect(message).not.toContain(dirname(dir));
  });

  it('the flow checks use the valid declarations even while another entry is broken, and the repository shop declares one', () => {
    expect(usableDeclarations([{ name: 'a_b', description: 'x' }, { name: '', description: 'y' }, { name: 'order_paid', description: 'z' }, { name: 'a_b', description: 'again' }]).map((d) => d.name)).toEqual(['a_b']);
    const dir = rulesWith(`${SHOP}  - name: bad\n`);
    expect(declaredEventsOf(dir).map((d) => d.name)).toEqual(['wechat_reply']);
    expect(knownEventsOf(dir, ['seen_one']).known()).toEqual(expect.arrayContaining(['order_paid', 'wechat_reply', 'seen_one']));
    expect(readDeclaredEvents(rulesWith(': : broken'))).toEqual({ declared: [], unreadable: expect.stringMatching(/^line 1: /) });
    expect(readDeclaredEvents(rulesWith('events: wechat_reply\n'))).toEqual({ declared: [], unreadable: 'line 1: events: is not a list' });
    expect(readDeclaredEvents(rulesWith('name: x\nevents:\n'))).toEqual({ declared: [], unreadable: null });
    expect(declaredEventsOf(tempDir('rekindle-events-none-'))).toEqual([]);
    const demo = tempDir('rekindle-events-demo-');
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(demo, 'shop.yaml'));
    expect(declaredEventsOf(demo).map((d) => d.name)).toContain('wechat_reply');
  });
});
