import { cpSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadShopConfig } from '../../server/src/config/workspace.js';
import { usableDeclarations } from '../../server/src/core/data/event-declarations.js';
import { checkYamlFile } from '../../server/src/core/flow/yaml-checks.js';
import { ShopConfigSchema } from '../../server/src/core/shop-config.js';
import { declaredEventsOf, knownEventsOf } from '../../server/src/runtime/declared-events.js';
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
    const text = `${SHOP}  - name: Review Posted
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
      '9 events.1.name: "Review Posted" is not an event name: lower-case letters, digits, "_", "." or "-", starting with a letter, at most 64 (e.g. wechat_reply)',
      '11 events.2.description: say what the event means (Chinese or English), e.g. description: 客户在微信里回复了消息',
      '15 events.3.fields.amount: "money" is not a field type: string, number, boolean or date',
      expect.stringMatching(/^16 events\.4: .*colour/),
    ]);
  });

  it('a name declared twice and a system event redeclared are errors on the repeated name, even beside a malformed entry', () => {
    const text = `${SHOP}  - name: order_paid
    description: 付款
  - name: wechat_reply
    description: 又一次
  - name: Bad
    description: x
`;
    expect(problems(text)).toEqual([
      expect.stringMatching(/^13 events\.3\.name: "Bad" is not an event name/),
      expect.stringMatching(/^9 events\.1\.name: "order_paid" is a system event \(the system records it itself: .*\); remove it from events$/),
      '11 events.2.name: "wechat_reply" is declared twice (first as events.0)',
    ]);
  });

  it('stops start-up naming file, line and field', () => {
    expect(() => loadShopConfig(rulesWith(`${SHOP}  - name: wechat_reply\n    description: again\n`))).toThrow(/shop\.yaml:9 events\.1\.name: "wechat_reply" is declared twice/);
  });

  it('the flow checks use the valid declarations even while another entry is broken, and the repository shop declares one', () => {
    expect(usableDeclarations([{ name: 'a_b', description: 'x' }, { name: 'Bad', description: 'y' }, { name: 'order_paid', description: 'z' }, { name: 'a_b', description: 'again' }]).map((d) => d.name)).toEqual(['a_b']);
    const dir = rulesWith(`${SHOP}  - name: Bad\n    description: x\n`);
    expect(declaredEventsOf(dir).map((d) => d.name)).toEqual(['wechat_reply']);
    expect(knownEventsOf(dir, ['seen_one']).known()).toEqual(expect.arrayContaining(['order_paid', 'wechat_reply', 'seen_one']));
    expect(declaredEventsOf(rulesWith(': : broken'))).toEqual([]);
    expect(declaredEventsOf(tempDir('rekindle-events-none-'))).toEqual([]);
    const demo = tempDir('rekindle-events-demo-');
    cpSync(join(process.cwd(), 'rules', 'shop.yaml'), join(demo, 'shop.yaml'));
    expect(declaredEventsOf(demo).map((d) => d.name)).toContain('wechat_reply');
  });
});
