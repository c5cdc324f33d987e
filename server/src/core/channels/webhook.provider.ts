import { DeliveryError, type ChannelProvider, type DeliveryResult, type OutboundMessage } from './provider.js';
import { SIGNATURE_HEADER, signBody } from './signature.js';
import { processOpaqueId, type OpaqueId } from './opaque-id.js';

export interface WebhookOptions {
  url: string;
  /** Shared HMAC secret (read from the env var named in channels.yaml, never from git). */
  secret: string;
  timeoutMs: number;
  /** Our id for a send when the gateway gives none (opaque-id.ts). */
  opaqueId?: OpaqueId;
  /** Extra static headers (e.g. a gateway's account id); never secrets. */
  headers?: Record<string, string>;
}

/** The JSON a webhook receives. Built without the attempt number so every retry is byte-identical. */
export function webhookPayload(m: OutboundMessage): Record<string, unknown> {
  return {
    id: m.idempotencyKey,
    channel: m.channel,
    category: m.category,
    to: m.to,
    customer: m.customerExternalId,
    subject: m.subject,
    body: m.body,
    link: m.trackedLink,
    coupon: m.couponCode,
    flow: m.flowId,
    node: m.nodeId,
  };
}

/** Statuses worth retrying: the receiver is down or overloaded, not rejecting the message. */
function retryableStatus(status: number): boolean {
  return status >= 500 || status === 408 || status === 429;
}

/**
 * Delivers sms/wechat/wangwang/push through the shop's own gateway: a signed JSON POST with an
 * `Idempotency-Key` header (the send's idempotency key), so a gateway that saw the message before
 * a crash or timeout can answer 2xx without sending it twice.
 */
export class WebhookProvider implements ChannelProvider {
  readonly kind = 'webhook';

  constructor(private readonly opts: WebhookOptions) {}

  async deliver(m: OutboundMessage): Promise<DeliveryResult> {
    const raw = JSON.stringify(webhookPayload(m));
    let res: Response;
    try {
      res = await fetch(this.opts.url, {
        method: 'POST',
        headers: {
          ...this.opts.headers,
          'Content-Type': 'application/json; charset=utf-8',
          'Idempotency-Key': m.idempotencyKey,
          'X-Rekindle-Attempt': String(m.attempt),
          [SIGNATURE_HEADER]: signBody(this.opts.secret, raw),
        },
        body: raw,
        // A redirect would re-POST the message somewhere the config does not name: refuse it.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      if (err.name === 'TimeoutError') throw new DeliveryError(`webhook ${this.opts.url}: no answer within ${this.opts.timeoutMs} ms`, true);
      throw new DeliveryError(`webhook ${this.opts.url}: ${err.cause?.code ?? err.message}`, true);
    }
    const text = await res.text().catch(() => '');
    if (res.status < 200 || res.status >= 300) {
      throw new DeliveryError(`webhook ${this.opts.url}: HTTP ${res.status}${text ? ` ${text.slice(0, 300)}` : ''}`, retryableStatus(res.status));
    }
    return { providerMessageId: providerId(text) ?? `webhook:${(this.opts.opaqueId ?? processOpaqueId)(m.idempotencyKey)}` };
  }
}

/** Uses the gateway's own id when its 2xx answer is JSON with `id` or `messageId`. */
function providerId(text: string): string | null {
  try {
    const body = JSON.parse(text) as { id?: unknown; messageId?: unknown };
    const id = body?.messageId ?? body?.id;
    return typeof id === 'string' || typeof id === 'number' ? String(id).slice(0, 200) : null;
  } catch {
    return null;
  }
}
