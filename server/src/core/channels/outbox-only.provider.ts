import { processOpaqueId, type OpaqueId } from './opaque-id.js';
import type { ChannelProvider, DeliveryResult, OutboundMessage } from './provider.js';

/**
 * The default provider for every channel: the message is recorded as delivered in the send log
 * and nothing leaves the machine. The demo and a shop trying Rekindle out run safely with it;
 * the send log (`rekindle export sends`) shows exactly what would have gone out.
 */
export class OutboxOnlyProvider implements ChannelProvider {
  readonly kind = 'outbox-only';

  constructor(private readonly opaqueId: OpaqueId = processOpaqueId) {}

  async deliver(message: OutboundMessage): Promise<DeliveryResult> {
    return { providerMessageId: `outbox:${this.opaqueId(message.idempotencyKey)}` };
  }
}
