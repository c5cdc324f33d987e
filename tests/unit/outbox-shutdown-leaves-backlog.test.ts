import { describe, expect, it } from '@jest/globals';
import { OutboxService } from '../../server/src/api/channels/outbox.service.js';
import { parseChannelsConfig } from '../../server/src/core/channels/config.js';
import { OutboxDispatcher } from '../../server/src/core/channels/dispatcher.js';
import { hmacOpaqueId } from '../../server/src/core/channels/opaque-id.js';
import type { ClaimedSend, OutboxStore, SendOutcome } from '../../server/src/core/channels/outbox-store.js';
import { buildProviders } from '../../server/src/core/channels/registry.js';
import { VirtualClock } from '../../server/src/core/clock.js';

const config = parseChannelsConfig({});

/** An outbox with an endless due backlog: every claim returns a full batch. */
class EndlessBacklog implements OutboxStore {
  claims = 0;
  private next = 1;
  async recoverExpired() {
    return { requeued: 0, failed: 0 };
  }
  async claim(_now: number, _lease: number, limit: number): Promise<ClaimedSend[]> {
    this.claims++;
    await new Promise((r) => setTimeout(r, 1));
    return Array.from({ length: limit }, () => ({
      id: this.next++, idempotencyKey: `k${this.next}`, attempts: 1, channel: 'sms' as const, category: 'transactional' as const,
      subject: null, body: 'hi', linkToken: null, couponCode: null, flowId: 'f', nodeId: 'n', customer: null,
    }));
  }
  async markAll(outcomes: readonly SendOutcome[]) { return outcomes.map(() => true); }
}

describe('outbox at shutdown', () => {
  it('a server closing while the outbox has a large backlog finishes the batch in hand and exits, leaving the rest queued', async () => {
    const store = new EndlessBacklog();
    const providers = buildProviders(config, {}, hmacOpaqueId('test'));
    const service = new OutboxService(new OutboxDispatcher(store, providers, new VirtualClock(Date.parse('2026-12-01T02:00:00Z')), config), providers);
    const run = service.dispatchNow();
    while (store.claims < 3) await new Promise((r) => setTimeout(r, 1));
    // Nest's order on app.close(): onModuleDestroy of every provider, then onApplicationShutdown.
    (service as Partial<{ onModuleDestroy(): void }>).onModuleDestroy?.();
    const closed = await Promise.race([service.onApplicationShutdown().then(() => 'closed'), new Promise((r) => setTimeout(() => r('still delivering after 3 s'), 3000).unref())]);
    expect(closed).toBe('closed');
    const claimsAtClose = store.claims;
    expect(claimsAtClose).toBeLessThanOrEqual(4);
    const report = await run;
    expect(report.claimed).toBe(claimsAtClose * config.outbox.batchSize);
    // and no new run starts once closing
    await service.onSchedule();
    expect(store.claims).toBe(claimsAtClose);
  });
});
