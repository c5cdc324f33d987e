import type { Channel } from '../data/model.js';

/**
 * The delivery port. The outbox dispatcher hands a provider one message at a time; the provider
 * either delivers it (and says under which id the far side knows it) or throws a DeliveryError
 * saying whether trying again later could help.
 */
export interface OutboundMessage {
  /** Row id in `sends` (the send log). */
  sendId: number;
  /**
   * The send's idempotency key (enrollment:node:step). Stable across retries and crashes, so a
   * provider passes it on (Message-ID, Idempotency-Key header) and the far side can recognise a
   * resend of a message it already has.
   */
  idempotencyKey: string;
  channel: Channel;
  category: 'marketing' | 'care' | 'transactional';
  /** The customer's address on this channel (phone, email, WeChat id, buyer nick…). */
  to: string;
  customerExternalId: string;
  subject: string | null;
  body: string;
  /** The tracked link (`/r/<token>`, absolute when `publicBaseUrl` is configured), if any. */
  trackedLink: string | null;
  couponCode: string | null;
  flowId: string;
  nodeId: string;
  /** Which delivery attempt this is (1 for the first). */
  attempt: number;
}

export interface DeliveryResult {
  /** The far side's id for the message, kept in `sends.provider_message_id`. */
  providerMessageId: string;
}

export interface ChannelProvider {
  /** Short name for logs and the send log (`outbox-only`, `smtp`, `webhook`). */
  readonly kind: string;
  deliver(message: OutboundMessage): Promise<DeliveryResult>;
  /** Releases connections (SMTP pool); called on shutdown. */
  close?(): Promise<void>;
}

/**
 * A failed delivery. `retryable` is the provider's judgement: a timeout, a refused connection
 * or a 5xx may work later; a 4xx (bad address, rejected payload) never will, so it is not
 * retried and the send is marked failed straight away.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** Any error a provider lets slip is treated as retryable: an unknown failure may be transient. */
export function asDeliveryError(e: unknown): DeliveryError {
  if (e instanceof DeliveryError) return e;
  return new DeliveryError(e instanceof Error ? e.message : String(e), true);
}
