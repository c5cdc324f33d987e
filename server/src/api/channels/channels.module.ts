import { Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadChannelsConfig } from '../../core/channels/config-file.js';
import type { ChannelsConfig } from '../../core/channels/config.js';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { createChannelRuntime, type ChannelRuntime } from '../../runtime/channel-runtime.js';
import { CLOCK, SERVER_SECRET, SETTINGS, WORKSPACE } from '../tokens.js';
import type { Settings } from '../../config/settings.js';
import { CHANNEL_PROVIDERS, CHANNEL_RUNTIME, CHANNELS_CONFIG, OUTBOX_DISPATCHER } from './channels.tokens.js';
import { LinkClicksService } from './link-clicks.service.js';
import { LinksController } from './links.controller.js';
import { OutboxController } from './outbox.controller.js';
import { outboxLoopProvider } from './outbox-loop.js';
import { OutboxService } from './outbox.service.js';
import { SendsController } from './sends.controller.js';

/**
 * Delivery side of the journey engine: channels.yaml → providers, the outbox dispatcher (on a
 * schedule and on demand; neither on a simulation's copy), tracked links (`/r/:token`) and the
 * send-log export.
 */
@Module({
  controllers: [OutboxController, LinksController, SendsController],
  providers: [
    // REKINDLE_PUBLIC_BASE_URL (npm start: the demo server's own address) when channels.yaml sets no publicBaseUrl.
    { provide: CHANNELS_CONFIG, inject: [WORKSPACE, SETTINGS], useFactory: (ws: Workspace, settings: Settings) => loadChannelsConfig(ws.rulesDir, settings.REKINDLE_PUBLIC_BASE_URL ?? null) },
    // Built by the runtime's channel composition root, keyed by the shop's server secret (as every other process).
    {
      provide: CHANNEL_RUNTIME,
      inject: [DataSource, WORKSPACE, CLOCK, CHANNELS_CONFIG, SERVER_SECRET],
      useFactory: (ds: DataSource, ws: Workspace, clock: Clock, config: ChannelsConfig, secret: string) => createChannelRuntime(ds, ws, clock, { secret, config, log: new Logger('Outbox') }),
    },
    { provide: CHANNEL_PROVIDERS, inject: [CHANNEL_RUNTIME], useFactory: (rt: ChannelRuntime) => rt.providers },
    { provide: OUTBOX_DISPATCHER, inject: [CHANNEL_RUNTIME], useFactory: (rt: ChannelRuntime) => rt.dispatcher },
    OutboxService,
    // Not on a simulation's copy: nothing is sent from it (api/simulation-copy/live-only.ts).
    outboxLoopProvider,
    LinkClicksService,
  ],
  exports: [OUTBOX_DISPATCHER, OutboxService, CHANNELS_CONFIG, CHANNEL_PROVIDERS],
})
export class ChannelsModule {}
