import type { NodeExecutor } from '../executor.js';
import { contactAddress } from '../contact-address.js';
import type { SendRequest, StepResult } from '../model.js';
import { renderTemplate } from '../template.js';
import { stableToken } from '../tokens.js';

/**
 * Puts a message in the outbox (delivery happens later, with retries). A message that cannot go
 * out is still recorded, with its reason, so "why did this customer not get the SMS?" has an
 * answer: marketing needs the customer's consent for the channel, and every channel needs an
 * address.
 */
export const sendExecutor: NodeExecutor<'send'> = {
  type: 'send',
  async execute(node, batch, ctx) {
    const [customers, facts] = await Promise.all([ctx.customers(), ctx.facts()]);
    return batch.map((e): StepResult => {
      const customer = customers.get(e.customerId);
      if (!customer) return { kind: 'exit', reason: 'customer-removed', goal: false };
      const idempotencyKey = `${e.id}:${node.id}:${e.stepCount}`;
      const linkToken = node.link ? stableToken(`link:${idempotencyKey}`) : null;
      const couponCode = node.coupon ? stableToken(`coupon:${idempotencyKey}`, 10).toUpperCase() : null;
      let reason: string | null = null;
      if (node.category === 'marketing' && customer.consent[node.channel] !== true) reason = `no-consent:${node.channel}`;
      else if (!contactAddress(node.channel, customer)) reason = `no-address:${node.channel}`;
      const vars = { customer, facts: facts.get(e.customerId) ?? {}, key: e.journeyKey, link: linkToken ? `/r/${linkToken}` : '', coupon: couponCode ?? '' };
      const send: SendRequest = {
        idempotencyKey,
        enrollmentId: e.id,
        customerId: e.customerId,
        flowId: ctx.version.flowId,
        versionId: ctx.version.id,
        nodeId: node.id,
        arm: e.arm,
        channel: node.channel,
        category: node.category,
        priority: node.priority,
        subject: node.subject ? renderTemplate(node.subject, vars) : null,
        body: renderTemplate(node.template, vars),
        linkToken,
        linkUrl: node.link ?? null,
        couponCode,
        couponValue: node.coupon?.value ?? null,
        cost: node.cost ?? null,
        status: reason ? 'blocked' : 'queued',
        reason,
        scheduledAt: ctx.now,
      };
      return { kind: 'goto', edge: 'next', next: node.next, outcome: reason ? `blocked:${reason}` : 'queued', detail: reason ? { reason } : undefined, effects: [{ kind: 'send', send }] };
    });
  },
};
