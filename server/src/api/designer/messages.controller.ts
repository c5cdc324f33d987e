import { randomUUID } from 'node:crypto';
import { BadRequestException, Body, Controller, HttpCode, Inject, NotFoundException, Post, UnprocessableEntityException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Principal } from '../../core/access/roles.js';
import type { Clock } from '../../core/clock.js';
import type { ChannelsConfig } from '../../core/channels/config.js';
import { DeliveryError } from '../../core/channels/provider.js';
import { trackedLink } from '../../core/channels/tracked-link.js';
import type { ChannelProviders } from '../../core/channels/registry.js';
import { CHANNELS } from '../../core/data/model.js';
import type { MessageVars } from '../../core/engine/message-vars.js';
import { CouponFileError } from '../../core/coupons/coupon-text.js';
import { findCouponTemplate, sampleCoupon, type CouponSpec } from '../../core/coupons/issue.js';
import { COUPON_ID } from '../../core/coupons/schema.js';
import { couponVars } from '../../core/coupons/template-vars.js';
import { renderTemplate, templatePaths } from '../../core/engine/template.js';
import type { Workspace } from '../../config/workspace.js';
import type { AuditLog } from '../../persistence/audit-log.js';
import { CouponLedger } from '../../persistence/coupon-ledger.js';
import { TypeOrmJourneyStore } from '../../persistence/journey-store.js';
import { customerIdsByExternalId } from '../../persistence/shop-repository.js';
import { Allow } from '../auth/allow.decorator.js';
import { DocumentedResponse } from '../openapi/documented-body.js';
import { RefusedOnASimulationCopy } from '../simulation-copy/nothing-runs-on-a-copy.js';
import { AUDIT } from '../auth/auth.tokens.js';
import { actorName, Caller } from '../auth/principal.decorator.js';
import { CHANNEL_PROVIDERS, CHANNELS_CONFIG } from '../channels/channels.tokens.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { MAX_DAYS } from '../../core/rules/operators.js';

const Message = z.object({
  channel: z.enum(CHANNELS),
  template: z.string().min(1, 'the message is empty').max(5000),
  subject: z.string().max(300).optional(),
  customer: z.string().min(1).max(128).optional().describe('external id of the customer to render for (default: the first customer)'),
  coupon: z
    .union([
      z.string().regex(COUPON_ID, 'a coupon template id of rules/coupons.yaml'),
      z.object({ value: z.number().positive(), minSpend: z.number().nonnegative().default(0), validDays: z.number().int().positive().max(MAX_DAYS).default(7) }),
    ])
    .nullable()
    .optional()
    .describe("the send node's coupon (template id or one-off coupon): the preview shows a coupon issued from it now, with a sample code"),
  link: z.string().max(2000).nullish().describe("the send's link target: {{link}} is filled in only when there is one, as the send step does"),
});
const TestSend = Message.extend({
  to: z.string().min(3).max(200).describe("the marketer's own address or phone on this channel"),
});

/** Stands for a send's link token in previews and test sends: 12 characters, as newLinkToken's. */
const PREVIEW_LINK_TOKEN = 'PREVIEW00000';

/**
 * The message editor's server side: a template rendered for a chosen customer exactly as the
 * send step renders it (same renderer, same variables), and a test send of it to the marketer's
 * own address through the channel configured in rules/channels.yaml.
 */
@Controller('messages')
export class MessagesController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProviders,
    @Inject(CHANNELS_CONFIG) private readonly channelsConfig: ChannelsConfig,
    @Inject(AUDIT) private readonly audit: AuditLog,
  ) {
    this.coupons = new CouponLedger(ds, workspace.rulesDir);
  }

  /** rules/coupons.yaml, re-read when it changes (the ledger part is not used here). */
  private readonly coupons: CouponLedger;

  @Post('preview')
  @Allow('analyst')
  @HttpCode(200)
  async preview(@Body({ schema: Message }) body: z.infer<typeof Message>) {
    return this.render(body);
  }

  @Post('test-send')
  @Allow('marketer')
  // The address is the marketer's own, but the message leaves through the shop's real providers,
  // which a simulation's copy never uses (api/simulation-copy/live-only.ts).
  @RefusedOnASimulationCopy()
  @DocumentedResponse(200, 'Sent: `{sent, provider, providerMessageId, to, body, subject}`')
  @DocumentedResponse(409, "The database is a simulation's copy (`code: simulation-copy`): nothing is sent from it, a test neither")
  @HttpCode(200)
  async testSend(@Body({ schema: TestSend }) body: z.infer<typeof TestSend>, @Caller() caller: Principal | null) {
    const r = await this.render(body);
    const provider = this.providers[body.channel];
    // What the message says comes before how it would leave: customers would never get this one.
    if (r.couponMissing) {
      throw new UnprocessableEntityException({ code: 'coupon-missing', message: 'the message names a coupon but none is chosen (coupon): customers would not get it (held back, no-coupon); choose the coupon this message issues' });
    }
    if (provider.kind === 'outbox-only') {
      // `code`: the designer says it in the marketer's words; the message stays for API users.
      throw new UnprocessableEntityException({ code: 'channel-outbox-only', channel: body.channel, message: `${body.channel} is not connected to a provider (outbox-only in rules/channels.yaml): a test would not leave the machine` });
    }
    try {
      const delivered = await provider.deliver({
        sendId: 0,
        idempotencyKey: `test:${randomUUID()}`,
        channel: body.channel,
        category: 'transactional',
        to: body.to,
        customerExternalId: r.customer?.externalId ?? 'test',
        subject: body.channel === 'email' ? `[测试 test] ${r.subject ?? ''}`.trim() : r.subject,
        body: r.body,
        trackedLink: null,
        couponCode: r.coupon?.code ?? null,
        flowId: 'test-send',
        nodeId: 'test-send',
        attempt: 1,
      });
      await this.audit.record({ actor: actorName(caller), action: 'message-test-sent', target: `channel:${body.channel}`, detail: { to: body.to, provider: provider.kind } });
      return { sent: true, provider: provider.kind, providerMessageId: delivered.providerMessageId, to: body.to, body: r.body, subject: r.subject };
    } catch (e) {
      if (e instanceof DeliveryError) throw new UnprocessableEntityException(`the ${provider.kind} provider refused the test: ${e.message}`);
      throw e;
    }
  }

  private sampleCouponOf(spec: CouponSpec, now: number) {
    let t;
    try {
      t = findCouponTemplate(spec, this.coupons);
    } catch (e) {
      // A broken rules/coupons.yaml: its own error names the file, line and field.
      if (e instanceof CouponFileError) throw new UnprocessableEntityException({ code: 'coupon-file', message: e.message });
      throw e;
    }
    if (!t) {
      const ids = [...this.coupons.templates().keys()];
      throw new UnprocessableEntityException({ code: 'coupon-unknown', message: `coupon: template "${String(spec)}" is not in rules/coupons.yaml (templates: ${ids.join(', ') || 'none'})` });
    }
    const issued = sampleCoupon(t, now);
    const v = couponVars(issued, this.workspace.shop.timezone) as { expires: string };
    const name = typeof spec === 'string' ? (this.coupons.template(spec)?.name ?? spec) : null;
    return { issued, shown: { templateId: typeof spec === 'string' ? spec : null, name, code: issued.code, amount: issued.amount, minSpend: issued.minSpend, expires: v.expires, validDays: t.validDays } };
  }

  private async render(body: z.infer<typeof Message>) {
    const store = new TypeOrmJourneyStore(this.ds, this.workspace.shop);
    let id: number | undefined;
    if (body.customer) {
      id = (await customerIdsByExternalId(this.ds.manager, [body.customer])).get(body.customer);
      if (id === undefined) throw new NotFoundException(`no customer "${body.customer}"`);
    } else {
      const [row] = await this.ds.query('SELECT id FROM customers WHERE deleted_at IS NULL ORDER BY id LIMIT 1');
      id = row ? Number(row.id) : undefined;
    }
    const now = this.clock.now();
    const customer = id === undefined ? null : ((await store.customers([id])).get(id) ?? null);
    const facts = id === undefined ? {} : ((await store.facts([id], now)).get(id) ?? {});
    // What a send step fills in: the journey key and tracked link are per journey, the coupon per issue.
    // The link as the customer will get it: absolute only with publicBaseUrl (rules/channels.yaml), else the
    // relative /r/<token> the outbox holds; a token of the real length, so the SMS count is the real one.
    // Without a link target the send step fills {{link}} with nothing: so does the preview, and says so.
    const { publicBaseUrl } = this.channelsConfig;
    const hasLink = typeof body.link === 'string' && body.link.trim() !== '';
    // The coupon as a send issues it now (same code path, same clock, shop time), with a sample code;
    // none chosen leaves the placeholders empty and says so, never a made-up coupon.
    const coupon = body.coupon ? this.sampleCouponOf(body.coupon, now) : null;
    const mentionsCoupon = [body.template, body.subject ?? ''].flatMap((t) => templatePaths(t)).some((p) => p === 'coupon' || p.startsWith('coupon.'));
    const vars: MessageVars = { customer: customer ?? {}, facts, key: 'E20261111001', link: hasLink ? (trackedLink(PREVIEW_LINK_TOKEN, publicBaseUrl) ?? '') : '', coupon: couponVars(coupon?.issued ?? null, this.workspace.shop.timezone) };
    if (body.template.length > 5000) throw new BadRequestException('template: at most 5000 characters');
    return {
      customer: customer ? { externalId: customer.externalId, name: customer.name } : null,
      /** False: `{{link}}` goes out as a relative path no customer can open (no publicBaseUrl). */
      linkAbsolute: publicBaseUrl !== null,
      /** The coupon shown (sample: true — its code is a sample; each customer gets their own). */
      coupon: coupon ? { ...coupon.shown, sample: true as const } : null,
      /** True: the message names a coupon but no coupon is chosen; customers would be held back (no-coupon). */
      couponMissing: mentionsCoupon && !coupon,
      /** True: the text uses `{{link}}` but the send has no link target, so customers get no link. */
      linkMissing: !hasLink && [body.template, body.subject ?? ''].some((t) => templatePaths(t).includes('link')),
      body: renderTemplate(body.template, vars),
      subject: body.subject ? renderTemplate(body.subject, vars) : null,
    };
  }
}
