import { findCouponTemplate, issueCoupon, type IssuedTemplate } from '../../coupons/issue.js';
import type { CouponBook } from '../../coupons/ports.js';
import type { HeldCoupon, IssuedCoupon } from '../../coupons/schema.js';
import { couponVars } from '../../coupons/template-vars.js';
import type { Channel, Customer } from '../../data/model.js';
import type { Facts } from '../../facts/derive.js';
import { parseDuration } from '../../flow/duration.js';
import type { NodeOfType } from '../../flow/schema.js';
import type { ChannelOption, PolicyRequest, Verdict } from '../../policy/review.js';
import type { NodeExecutor } from '../executor.js';
import { contactAddress } from '../contact-address.js';
import { heldBackWithoutCoupon, LINK_STAND_IN } from '../held-back-coupon.js';
import type { Enrollment, SendRequest, StepResult } from '../model.js';
import type { MessageVars } from '../message-vars.js';
import { renderTemplate, templatePaths } from '../template.js';
import { COUPON_STAND_IN_VARS } from '../../coupons/held-back-text.js';
import { newLinkToken, storedLinkToken } from '../tokens.js';
import { trackedLink } from '../../channels/tracked-link.js';

/**
 * Puts a message in the outbox (delivery happens later, with retries). A message that cannot go
 * out is still recorded, with its reason, so "why did this customer not get the SMS?" has an
 * answer: marketing needs the customer's consent for the channel, and every channel needs an
 * address. With a contact policy (ctx.policy) the whole batch is then reviewed at once against
 * caps, quiet hours, give-up and suppression; the policy reserves the slots and writes the rows.
 */
export interface SendExecutorDeps {
  coupons?: CouponBook;
  /**
   * The address customers reach the server at (rules/channels.yaml `publicBaseUrl`, else
   * REKINDLE_PUBLIC_BASE_URL; runtime/engine-runtime.ts resolves it). `{{link}}` renders
   * `<publicBaseUrl>/r/<token>`, so the stored body is the one the customer gets; without it the
   * relative `/r/<token>` (docs/channels.md: `rekindle validate` warns of it). A function is asked
   * at the first message rendered: the runtime reads rules/channels.yaml then, so a command that
   * never sends (`rekindle flows pause`) does not depend on that file.
   */
  publicBaseUrl?: string | null | (() => string | null);
}

export function createSendExecutor(deps: SendExecutorDeps = {}): NodeExecutor<'send'> {
  return {
  type: 'send',
  async execute(node, batch, ctx) {
    const publicBaseUrl = typeof deps.publicBaseUrl === 'function' ? deps.publicBaseUrl() : (deps.publicBaseUrl ?? null);
    const paths = [node.template, node.subject ?? ''].flatMap((t) => templatePaths(t));
    // Facts are read (and derived) only for a message that names them: most messages name the customer only.
    const mentionsFacts = paths.some((p) => p === 'facts' || p.startsWith('facts.'));
    const [customers, facts] = await Promise.all([ctx.customers(), mentionsFacts ? ctx.facts() : NO_FACTS]);
    const flow = ctx.version.flow;
    const mentionsCoupon = paths.some((p) => p === 'coupon' || p.startsWith('coupon.'));
    // A message that names a coupon without issuing one names the coupon this journey issued
    // earlier. A message that issues a template the journey already holds (the win-back SMS after
    // the win-back email) names that coupon again instead of handing the customer a second code;
    // a customer whose earlier message never went out gets a new one with this message.
    const template = typeof node.coupon === 'string' ? node.coupon : null;
    // A journey whose coupon of this template was already used gets no second one: the message
    // is held back (`coupon-used`) — "your coupon, don't miss it" is wrong for them anyway.
    const held = deps.coupons && ((mentionsCoupon && !node.coupon) || template) ? await deps.coupons.held(batch.map((e) => e.customerId), ctx.now) : null;
    const used = deps.coupons && template ? await deps.coupons.redeemedIn(batch, template) : null;
    // The coupon template is looked up once per batch, when first needed (the book checks rules/coupons.yaml on disk at each lookup).
    let couponTemplate: IssuedTemplate | undefined;
    const toIssue = (spec: NonNullable<typeof node.coupon>) => (couponTemplate ??= couponTemplateOf(spec, deps.coupons));
    // The text is rendered once the verdict is known when the policy never reads it (a stepping
    // batch's policy: policy/ports.ts `textAfterVerdict`): a held-back message (most of a Double 11's:
    // no consent, caps) is rendered straight with its stand-ins, a deferred one not at all, and a
    // message that goes out renders no held-back copy it will not use. Otherwise (a policy that
    // writes the rows itself, or none) it is rendered first, as the policy stores it.
    const textLater = ctx.policy?.textAfterVerdict === true;
    const prepared: ({ e: Enrollment; send: SendRequest; request: PolicyRequest; vars: MessageVars; coupon: IssuedCoupon | null; fresh: boolean } | { e: Enrollment; exit: StepResult })[] = batch.map((e) => {
      const customer = customers.get(e.customerId);
      if (!customer) return { e, exit: { kind: 'exit', reason: 'customer-removed', goal: false } };
      const idempotencyKey = `${e.id}:${node.id}:${e.stepCount}`;
      const linkToken = node.link ? newLinkToken(ctx.now) : null;
      const kept = template ? heldBy(held, e, template) : null;
      const coupon = kept ?? (node.coupon ? issueCoupon(toIssue(node.coupon), ctx.now) : mentionsCoupon ? heldBy(held, e) : null);
      const couponCode = coupon?.code ?? null;
      // A coupon drawn for this message (not one the journey holds): issued only if it goes out.
      const fresh = !!(node.coupon && coupon && !kept);
      const couponProblem = used?.has(e.id) ? 'coupon-used' : mentionsCoupon && !coupon ? 'no-coupon' : null;
      const options: ChannelOption[] = [{ channel: node.channel, unavailable: couponProblem ?? unavailable(node, node.channel, customer) }];
      if (node.fallback && node.fallback !== node.channel) options.push({ channel: node.fallback, unavailable: couponProblem ?? unavailable(node, node.fallback, customer) });
      // No coupon for a template that names one: the message is held back (no-coupon), its text says so with stand-ins.
      const vars: MessageVars = { customer, facts: facts.get(e.customerId) ?? NO_FACT, key: e.journeyKey, link: trackedLink(linkToken, publicBaseUrl) ?? '', coupon: COUPON_STAND_IN_VARS };
      const send: SendRequest = {
        idempotencyKey,
        enrollmentId: e.id,
        customerId: e.customerId,
        flowId: ctx.version.flowId,
        versionId: ctx.version.id,
        nodeId: node.id,
        arm: e.arm,
        groupLabel: e.groupLabel,
        channel: node.channel,
        category: node.category,
        priority: node.priority,
        subject: null,
        body: '',
        linkToken,
        linkUrl: node.link ?? null,
        couponCode,
        couponValue: coupon?.amount ?? null,
        coupon: fresh ? { ...coupon!, journeyKey: e.journeyKey } : null,
        cost: node.cost ?? null,
        status: 'queued',
        reason: null,
        scheduledAt: ctx.now,
        campaign: flow.campaign ?? null,
      };
      if (!textLater) {
        const text = messageText(node, { ...vars, coupon: coupon ? couponVars(coupon, ctx.timezone) : COUPON_STAND_IN_VARS });
        send.subject = text.subject;
        send.body = text.body;
        if (fresh) send.withoutCoupon = messageText(node, { ...vars, coupon: COUPON_STAND_IN_VARS });
      }
      const request: PolicyRequest = {
        key: idempotencyKey,
        customerId: e.customerId,
        category: node.category,
        priority: node.priority,
        campaign: flow.campaign ?? null,
        options,
        flowCaps: flow.caps ?? [],
        multiTouchShare: flow.multiTouchShare ?? null,
        onCapped: node.onCapped ?? 'skip',
        expiresAt: node.expiresAfter ? e.nodeEnteredAt + parseDuration(node.expiresAfter) : null,
        urgent: node.urgent === true,
      };
      return { e, send, request, vars, coupon, fresh };
    });

    const live = prepared.filter((p): p is Extract<(typeof prepared)[number], { send: SendRequest }> => 'send' in p);
    const verdicts = ctx.policy ? await ctx.policy.review(live.map(({ send, request }) => ({ send, request })), ctx.now) : consentOnly(live.map((p) => p.request));

    return prepared.map((p): StepResult => {
      if ('exit' in p) return p.exit;
      const v = verdicts.get(p.send.idempotencyKey)!;
      if (v.status === 'deferred') return { kind: 'sleep', until: v.until, log: { outcome: `deferred:${v.reason}`, detail: { reason: v.reason, until: new Date(v.until).toISOString() } } };
      const status = v.status === 'capped' ? 'blocked' : v.status;
      // The verdict is written into the request this call made (or into the held-back copy, when it
      // made one) instead of a spread copy of every field per send.
      const send = textLater ? withTextFor(node, p, status, ctx.timezone) : heldBackWithoutCoupon(p.send, status, p.vars.link);
      send.linkToken = storedLinkToken(status, p.send.linkToken);
      send.channel = v.channel;
      send.status = status;
      send.reason = v.reason;
      const effects = [{ kind: 'send' as const, send }];
      if (v.status === 'capped' && node.onCapped === 'branch' && node.capped) {
        return { kind: 'goto', edge: 'capped', next: node.capped, outcome: `capped:${v.reason}`, detail: { reason: v.reason }, effects };
      }
      const outcome = status === 'queued' ? (v.reason ? `queued:${v.reason}` : 'queued') : `${status}:${v.reason}`;
      return { kind: 'goto', edge: 'next', next: node.next, outcome, detail: v.reason ? { reason: v.reason, ...(v.channel !== node.channel ? { channel: v.channel } : {}) } : undefined, effects };
    });
  },
  };
}

/** A message's subject (when the node has one) and body for these variables. */
function messageText(node: NodeOfType<'send'>, vars: MessageVars): { subject: string | null; body: string } {
  return { subject: node.subject ? renderTemplate(node.subject, vars) : null, body: renderTemplate(node.template, vars) };
}

/**
 * The request's text for its verdict, rendered once (the request was made without it): a message
 * that goes out names its coupon and tracked link; a held-back one is what heldBackWithoutCoupon
 * makes of that text, rendered straight — the coupon drawn for it stood in for (and not stored),
 * a coupon the journey holds still named, 〈链接〉 where the link would have been.
 */
function withTextFor(node: NodeOfType<'send'>, p: { send: SendRequest; vars: MessageVars; coupon: IssuedCoupon | null; fresh: boolean }, status: SendRequest['status'], timezone: string): SendRequest {
  const { send, coupon } = p;
  if (status === 'queued') {
    const text = messageText(node, { ...p.vars, coupon: coupon ? couponVars(coupon, timezone) : COUPON_STAND_IN_VARS });
    send.subject = text.subject;
    send.body = text.body;
    return send;
  }
  const heldBack = p.fresh || coupon === null ? COUPON_STAND_IN_VARS : couponVars(coupon, timezone);
  const text = messageText(node, { ...p.vars, coupon: heldBack, link: send.linkToken ? LINK_STAND_IN : p.vars.link });
  send.subject = text.subject;
  send.body = text.body;
  if (p.fresh) {
    send.couponCode = null;
    send.coupon = null;
  }
  return send;
}

const NO_FACTS: Map<number, Facts> = new Map();
/** A customer without facts renders `{{facts.…}}` as empty (shared: templates only read it). */
const NO_FACT: Facts = Object.freeze({}) as Facts;

/** The send executor without a coupon ledger (templates by id then fail; inline coupons work). */
export const sendExecutor: NodeExecutor<'send'> = createSendExecutor();

/** The node's coupon template (rules/coupons.yaml) or its inline definition. */
function couponTemplateOf(spec: NonNullable<NodeOfType<'send'>['coupon']>, book: CouponBook | undefined): IssuedTemplate {
  const t = findCouponTemplate(spec, book);
  if (!t) throw new Error(`coupon template "${String(spec)}" is not in rules/coupons.yaml`);
  return t;
}

/** The coupon this journey issued (newest; of `templateId` when given), else none. */
function heldBy(held: Map<number, HeldCoupon[]> | null, e: Enrollment, templateId?: string): HeldCoupon | null {
  return held?.get(e.customerId)?.find((c) => c.enrollmentId === e.id && (templateId === undefined || c.templateId === templateId)) ?? null;
}

/** Marketing needs consent for the channel; every channel needs an address. */
function unavailable(node: NodeOfType<'send'>, channel: Channel, customer: Customer): string | null {
  if (node.category === 'marketing' && customer.consent[channel] !== true) return `no-consent:${channel}`;
  if (!contactAddress(channel, customer)) return `no-address:${channel}`;
  return null;
}

/** Without a contact policy: the first usable channel, else blocked with the node channel's reason. */
function consentOnly(requests: PolicyRequest[]): Map<string, Verdict> {
  return new Map(
    requests.map((r): [string, Verdict] => {
      const ok = r.options.find((o) => o.unavailable === null);
      if (ok) return [r.key, { status: 'queued', channel: ok.channel, reason: ok === r.options[0] ? null : `fallback:${r.options[0].unavailable}` }];
      return [r.key, { status: 'blocked', channel: r.options[0].channel, reason: r.options[0].unavailable! }];
    }),
  );
}
