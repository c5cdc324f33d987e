import type { DataSource } from 'typeorm';
import { loadChannelsConfig } from '../core/channels/config-file.js';
import type { ChannelsConfig } from '../core/channels/config.js';
import { OutboxDispatcher, type DispatcherLog } from '../core/channels/dispatcher.js';
import { hmacOpaqueId } from '../core/channels/opaque-id.js';
import { buildProviders, closeProviders, type ChannelProviders } from '../core/channels/registry.js';
import type { Clock } from '../core/clock.js';
import type { Workspace } from '../config/workspace.js';
import { loadServerSecret, secretFileFor } from '../config/server-secret.js';
import type { DatabaseTarget } from '../persistence/data-source.js';
import { SqlOutboxStore } from '../persistence/outbox-store.js';
import { yieldingOutboxStore } from './yielding-outbox-store.js';

/**
 * The one place that assembles the delivery side (rules/channels.yaml → providers → outbox
 * dispatcher). Provider message ids are an HMAC under the shop's server secret, so every process
 * that builds providers here — the server, and any worker, scheduler or CLI command that
 * dispatches — derives the same id for the same send, as long as it reads the same secret file
 * (REKINDLE_SECRET_FILE, or next to the SQLite file, or data/rekindle.secret on PostgreSQL).
 */
export interface ChannelRuntime {
  config: ChannelsConfig;
  providers: ChannelProviders;
  dispatcher: OutboxDispatcher;
  close(): Promise<void>;
}

/** Where the secret comes from: a database target (its default file) and/or an explicit file (null: in memory). */
export interface SecretSource {
  database: DatabaseTarget;
  secretFile?: string | null;
}

/** The shop's server secret, from the same file for every process of the shop (created 0600 if missing). */
export function shopSecret(source: SecretSource, env: NodeJS.ProcessEnv = process.env): string {
  return loadServerSecret(source.secretFile !== undefined ? source.secretFile : secretFileFor(source.database, env));
}

/** Providers for every channel, their message ids keyed by the shop's secret. */
export function channelProviders(config: ChannelsConfig, secret: string, env: Record<string, string | undefined> = process.env): ChannelProviders {
  return buildProviders(config, env, hmacOpaqueId(secret));
}

export function createChannelRuntime(
  ds: DataSource,
  workspace: Workspace,
  clock: Clock,
  opts: { secret: string; config?: ChannelsConfig; env?: Record<string, string | undefined>; log?: DispatcherLog },
): ChannelRuntime {
  const config = opts.config ?? loadChannelsConfig(workspace.rulesDir);
  const providers = channelProviders(config, opts.secret, opts.env);
  // Yielding: the server dispatches on its request thread, which must go on serving meanwhile.
  const dispatcher = new OutboxDispatcher(yieldingOutboxStore(new SqlOutboxStore(ds)), providers, clock, config, opts.log);
  return { config, providers, dispatcher, close: () => closeProviders(providers) };
}
