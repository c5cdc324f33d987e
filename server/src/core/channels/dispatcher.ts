import type { Clock } from '../clock.js';
import { contactAddress } from '../engine/contact-address.js';
import type { ChannelsConfig } from './config.js';
import type { ClaimedSend, OutboxStore } from './outbox-store.js';
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
 * each to its channel's provider, recording the outcome. Delivery is at-least-once by design (a
 * crash between the provider's answer and the mark resends after the lease); the idempotency key
 * travels with every attempt (Message-ID, Idempotency-Key header) so the far side can drop the
 * duplicate. Time comes from the injected clock only.
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
      await runLimited(claimed, outbox.concurrency, (s) => this.deliverOne(s, report));
      if (claimed.length < outbox.batchSize) break;
    }
    return report;
  }

  private async deliverOne(s: ClaimedSend, report: DispatchReport): Promise<void> {
    const { outbox, publicBaseUrl } = this.config;
    const count = (ok: boolean, key: 'sent' | 'retried' | 'failed' | 'blocked') => {
      if (ok) report[key]++;
      else {
        report.lost++;
        this.log.warn(`send ${s.id}: outcome of attempt ${s.attempts} not recorded, the row was re-claimed after its lease expired`);
      }
    };
    // Re-checked at delivery: a retry may come hours after queueing, and the customer may have
    // been deleted, lost the address or (for marketing) withdrawn consent meanwhile.
    const blockReason = !s.customer
      ? 'customer-removed'
      : s.category === 'marketing' && s.customer.consent[s.channel] !== true
        ? `no-consent:${s.channel}`
        : contactAddress(s.channel, s.customer) === null
          ? `no-address:${s.channel}`
          : null;
    if (blockReason || !s.customer) return count(await this.store.markBlocked(s.id, s.attempts, blockReason ?? 'customer-removed'), 'blocked');

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
      attempt: s.attempts,
    };
    try {
      const { providerMessageId } = await this.providers[s.channel].deliver(message);
      count(await this.store.markSent(s.id, s.attempts, this.clock.now(), providerMessageId), 'sent');
    } catch (e) {
      const err = asDeliveryError(e);
      const at = err.retryable ? nextAttemptAt(outbox, s.attempts, this.clock.now()) : null;
      const text = `attempt ${s.attempts}: ${err.message}`.slice(0, 2000);
      if (at === null) count(await this.store.markFailed(s.id, s.attempts, err.retryable ? text : `${text} (not retryable)`), 'failed');
      else count(await this.store.markRetry(s.id, s.attempts, at, text), 'retried');
    }
  }
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function runLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
