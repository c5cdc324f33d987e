import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';

type Node = { id: string; type: string; category?: string; template?: string; subject?: string; coupon?: unknown };
const flows = readdirSync('rules/flows').filter((f) => f.endsWith('.flow.yaml'));

/**
 * A transactional message escapes the shop's marketing caps (rules/policy.yaml: one marketing touch
 * a day, two marketing SMS a month), so the worked examples a shop copies must not file a
 * promotion under it: a message that offers a discount or a coupon is marketing.
 */
describe('the shipped flows file no promotion as a transactional message', () => {
  it.each(flows)('%s: transactional sends offer no discount or coupon', (file) => {
    const nodes = (parse(readFileSync(`rules/flows/${file}`, 'utf8')) as { nodes: Node[] }).nodes;
    const promoting = nodes
      .filter((n) => n.type === 'send' && n.category === 'transactional')
      .filter((n) => n.coupon !== undefined || /优惠|券|折扣|红包|特价|满减|coupon|discount/i.test(`${n.subject ?? ''} ${n.template ?? ''}`))
      .map((n) => n.id);
    expect(promoting).toEqual([]);
  });
});
