import { createRequire } from 'node:module';
import { processOpaqueId, type OpaqueId } from './opaque-id.js';
import type { Transporter } from 'nodemailer';
import { DeliveryError, type ChannelProvider, type DeliveryResult, type OutboundMessage } from './provider.js';

export interface SmtpOptions {
  host: string;
  port: number;
  /** Implicit TLS (port 465). With false, STARTTLS is used when the server offers it. */
  secure: boolean;
  /** Refuse to send unless the server upgrades to TLS. */
  requireTLS: boolean;
  from: string;
  /** Domain of the Message-IDs; defaults to the domain of `from`. */
  messageIdDomain?: string;
  auth?: { user: string; pass: string };
  timeoutMs: number;
  opaqueId?: OpaqueId;
}

/**
 * The Message-ID of a send: an opaque id of its idempotency key (HMAC under the server secret),
 * so every attempt of the same send (including a resend after a crash mid-delivery) carries the
 * same Message-ID and mail systems and the shop's own archive can recognise it as one message,
 * while nothing in it reveals enrollment or node ids.
 */
export function messageIdFor(idempotencyKey: string, domain: string, opaqueId: OpaqueId = processOpaqueId): string {
  return `<rk.${opaqueId(idempotencyKey)}@${domain}>`;
}

function domainOf(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m ? m[1] : 'rekindle.invalid';
}

/**
 * nodemailer (~35 CommonJS modules) loads when a shop's channels name an SMTP relay, not with
 * every server and CLI start that never sends an email (kill tests restart the server 42 times).
 */
const loadNodemailer = (): typeof import('nodemailer') => createRequire(import.meta.url)('nodemailer');

/** Email through the shop's SMTP relay (nodemailer). */
export class SmtpEmailProvider implements ChannelProvider {
  readonly kind = 'smtp';
  private readonly transport: Transporter;
  private readonly domain: string;

  constructor(private readonly opts: SmtpOptions) {
    this.domain = opts.messageIdDomain ?? domainOf(opts.from);
    this.transport = loadNodemailer().createTransport({
      host: opts.host,
      port: opts.port,
      secure: opts.secure,
      requireTLS: opts.requireTLS,
      auth: opts.auth,
      connectionTimeout: opts.timeoutMs,
      greetingTimeout: opts.timeoutMs,
      socketTimeout: opts.timeoutMs,
    });
  }

  async deliver(m: OutboundMessage): Promise<DeliveryResult> {
    const messageId = messageIdFor(m.idempotencyKey, this.domain, this.opts.opaqueId);
    try {
      await this.transport.sendMail({
        from: this.opts.from,
        to: m.to,
        subject: m.subject ?? '',
        text: m.body,
        // No internal ids in the customer's mailbox: the opaque Message-ID identifies the send.
        messageId,
      });
    } catch (e) {
      throw classify(e);
    }
    return { providerMessageId: messageId };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * SMTP's own answer decides: a 5xx reply is permanent (unknown mailbox, rejected content) and is
 * not retried; a 4xx reply (greylisting, mailbox busy) and connection trouble are transient.
 */
function classify(e: unknown): DeliveryError {
  const err = e as Error & { responseCode?: number; code?: string; response?: string };
  const detail = err.response ?? err.message;
  if (typeof err.responseCode === 'number') return new DeliveryError(`smtp ${err.responseCode}: ${detail}`, err.responseCode < 500);
  return new DeliveryError(`smtp${err.code ? ` ${err.code}` : ''}: ${detail}`, true);
}
