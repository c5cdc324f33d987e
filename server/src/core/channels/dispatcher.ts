import type { Clock } from '../clock.js';
import { contactAddress } from '../engine/contact-address.js';
import type { ChannelsConfig } from './config.js';
import type { ClaimedSend, OutboxStore, SendOutcome } from './outbox-store.js';
import { asDeliveryError, type OutboundMessage } from './provider.js';
import type { ChannelProviders } from './registry.js';
import { nextAttemptAt } from './retry-policy.js';
import { absolutiseLinks, trackedLink } from './tracked-link.js';

export interface DispatchReport {
  /** Expired `sending` leases put back in the queue / given up. */
  recovered: number;
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  blocked: number;
  /** Marks that found the row no longer ours (lease expired and re-claimed meanwhile). */
  lost: number;
}

export interface DispatcherLog {
  warn(message: string): void;
}

/**
 * Delivers the outbox: recovers expired leases, then claims due sends batch by batch and hands
 * each to its channel's provider, recording the batch's outcomes together once its last delivery
 * has answered (one write for the batch: PostgreSQL commits once per batch instead of once per
 * message, which held the outbox to ~300–550 messages/s). Delivery is at-least-once by design (a
 * crash between a provider's answer and the batch's mark resends after the lease: the batch's
 * sends that had been delivered, as a crash between a delivery and its own mark did before); the
 * idempotency key travels with every attempt (Message-ID, Idempotency-Key header) so the far side
 * can drop the duplicate. The lease must cover a whole batch's deliveries either way (the last
 * send of a batch is delivered that long after the claim), so marking at the batch's end asks no
 * longer lease. Time comes from the injected clock only.
 */
export class OutboxDispatcher {
  constructor(
    private readonly store: OutboxStore,
    private readonly providers: ChannelProviders,
    private readonly clock: Clock,
    private readonly config: Pick<ChannelsConfig, 'outbox' | 'publicBaseUrl'>,
    private readonly log: DispatcherLog = { warn: () => {} },
  ) {}

  /**
   * Runs until no due send is left (or `maxBatches` batches were claimed, or `shouldStop` says so
   * before the next claim: a process shutting down finishes the batch in hand and leaves the rest
   * queued, instead of delivering a whole backlog before it may exit).
   */
  async dispatch(opts: { maxBatches?: number; shouldStop?: () => boolean } = {}): Promise<DispatchReport> {
    const { outbox } = this.config;
    const report: DispatchReport = { recovered: 0, claimed: 0, sent: 0, retried: 0, failed: 0, blocked: 0, lost: 0 };
    const r = await this.store.recoverExpired(this.clock.now(), outbox.maxAttempts);
    report.recovered = r.requeued + r.failed;
    report.failed += r.failed;
    for (let batches = 0; batches < (opts.maxBatches ?? Infinity); batches++) {
      if (opts.shouldStop?.()) break;
      const now = this.clock.now();
      const claimed = await this.store.claim(now, now + outbox.lease, outbox.batchSize);
      report.claimed += claimed.length;
      // The outcomes in the order they came; a delivery that threw (not a provider's refusal, which
      // is an outcome) stops the dispatch, but only after the others' outcomes are recorded.
      const outcomes: SendOutcome[] = [];
      let broke: { error: unknown } | null = null;
      await runLimited(claimed, outbox.concurrency, async (s) => {
        try {
          outcomes.push(await this.deliverOne(s));
        } catch (error) {
          broke ??= { error };
        }
      });
      const recorded = outcomes.length ? await this.store.markAll(outcomes) : [];
      outcomes.forEach((o, i) => {
        if (recorded[i]) report[COUNTED_AS[o.kind]]++;
        else {
          report.lost++;
          this.log.warn(`send ${o.id}: outcome of attempt ${o.attempt} not recorded, the row was re-claimed after its lease expired`);
        }
      });
      if (broke) throw (broke as { error: unknown }).error;
      if (claimed.length < outbox.batchSize) break;
    }
    return report;
  }

  /** Delivers one claimed send (or finds it blocked) and says what became of it; records nothing. */
  private async deliverOne(s: ClaimedSend): Promise<SendOutcome> {
    const { outbox, publicBaseUrl } = this.config;
    const attempt = s.attempts;
    // Re-checked at delivery: a retry may come hours after queueing, and the customer may have
    // been deleted, lost the address or (for marketing) withdrawn consent meanwhile.
    const blockReason = !s.customer
      ? 'customer-removed'
      : s.category === 'marketing' && s.customer.consent[s.channel] !== true
        ? `no-consent:${s.channel}`
        : contactAddress(s.channel, s.customer) === null
          ? `no-address:${s.channel}`
          : null;
    if (blockReason || !s.customer) return { kind: 'blocked', id: s.id, attempt, reason: blockReason ?? 'customer-removed' };

    const message: OutboundMessage = {
      sendId: s.id,
      idempotencyKey: s.idempotencyKey,
      channel: s.channel,
      category: s.category,
      to: contactAddress(s.channel, s.customer)!,
      customerExternalId: s.customer.externalId,
      subject: s.subject,
      body: absolutiseLinks(s.body, s.linkToken, publicBaseUrl),
      trackedLink: trackedLink(s.linkToken, publicBaseUrl),
      couponCode: s.couponCode,
      flowId: s.flowId,
      nodeId: s.nodeId,
      attempt,
    };
    try {
      const { providerMessageId } = await this.providers[s.channel].deliver(message);
      return { kind: 'sent', id: s.id, attempt, at: this.clock.now(), providerMessageId };
    } catch (e) {
      const err = asDeliveryError(e);
      const at = err.retryable ? nextAttemptAt(outbox, attempt, this.clock.now()) : null;
      const text = `attempt ${attempt}: ${err.message}`.slice(0, 2000);
      if (at === null) return { kind: 'failed', id: s.id, attempt, error: err.retryable ? text : `${text} (not retryable)` };
      return { kind: 'retry', id: s.id, attempt, nextAttemptAt: at, error: text };
    }
  }
}

/** The report's count of each outcome. */
const COUNTED_AS = { sent: 'sent', retry: 'retried', failed: 'failed', blocked: 'blocked' } as const satisfies Record<SendOutcome['kind'], keyof DispatchReport>;

/** Runs `fn` over `items` with at most `limit` in flight. */
async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
