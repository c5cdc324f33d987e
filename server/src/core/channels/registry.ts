import { CHANNELS, type Channel } from '../data/model.js';
import { ChannelsConfigError, type ChannelsConfig, type ProviderConfig } from './config.js';
import type { OpaqueId } from './opaque-id.js';
import { OutboxOnlyProvider } from './outbox-only.provider.js';
import type { ChannelProvider } from './provider.js';
import { SmtpEmailProvider } from './smtp.provider.js';
import { WebhookProvider } from './webhook.provider.js';

export type ChannelProviders = Record<Channel, ChannelProvider>;

/**
 * One provider per channel from the validated config. Secrets are read from the environment here,
 * at startup, so a missing variable stops the server with its name instead of failing every send.
 * `opaqueId` has no default: a per-process key would give each process its own message ids, so
 * the composition root (runtime/channel-runtime.ts) hands in the one keyed by the server secret.
 */
export function buildProviders(config: ChannelsConfig, env: Record<string, string | undefined>, opaqueId: OpaqueId): ChannelProviders {
  const outboxOnly = new OutboxOnlyProvider(opaqueId);
  const need = (channel: Channel, field: string, name: string): string => {
    const v = env[name];
    if (!v) throw new ChannelsConfigError(`channels.${channel}.${field}: environment variable ${name} is not set`);
    return v;
  };
  const build = (channel: Channel, p: ProviderConfig): ChannelProvider => {
    switch (p.provider) {
      case 'outbox-only':
        return outboxOnly;
      case 'smtp':
        return new SmtpEmailProvider({
          host: p.host,
          port: p.port,
          secure: p.secure,
          requireTLS: p.requireTLS,
          from: p.from,
          messageIdDomain: p.messageIdDomain,
          auth: p.userEnv ? { user: need(channel, 'userEnv', p.userEnv), pass: p.passwordEnv ? need(channel, 'passwordEnv', p.passwordEnv) : '' } : undefined,
          timeoutMs: p.timeout,
          opaqueId,
        });
      case 'webhook':
        return new WebhookProvider({ url: p.url, secret: need(channel, 'secretEnv', p.secretEnv), timeoutMs: p.timeout, headers: p.headers, opaqueId });
    }
  };
  return Object.fromEntries(CHANNELS.map((c) => [c, build(c, config.channels[c])])) as ChannelProviders;
}

/** Closes every distinct provider once (several channels may share one). */
export async function closeProviders(providers: ChannelProviders): Promise<void> {
  for (const p of new Set(Object.values(providers))) await p.close?.();
}
