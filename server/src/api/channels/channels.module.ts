import { Logger, Module } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { loadChannelsConfig } from '../../core/channels/config-file.js';
import type { ChannelsConfig } from '../../core/channels/config.js';
import { OutboxDispatcher } from '../../core/channels/dispatcher.js';
import { buildProviders, type ChannelProviders } from '../../core/channels/registry.js';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { SqlOutboxStore } from '../../persistence/outbox-store.js';
import { hmacOpaqueId } from '../../core/channels/opaque-id.js';
import { CLOCK, SERVER_SECRET, WORKSPACE } from '../tokens.js';
import { CHANNEL_PROVIDERS, CHANNELS_CONFIG, OUTBOX_DISPATCHER } from './channels.tokens.js';
import { LinkClicksService } from './link-clicks.service.js';
import { LinksController } from './links.controller.js';
import { OutboxController } from './outbox.controller.js';
import { OutboxService } from './outbox.service.js';
import { SendsController } from './sends.controller.js';

/**
 * Delivery side of the journey engine: channels.yaml → providers, the outbox dispatcher (on a
 * schedule and on demand), tracked links (`/r/:token`) and the send-log export.
 */
@Module({
  controllers: [OutboxController, LinksController, SendsController],
  providers: [
    { provide: CHANNELS_CONFIG, inject: [WORKSPACE], useFactory: (ws: Workspace) => loadChannelsConfig(ws.rulesDir) },
    { provide: CHANNEL_PROVIDERS, inject: [CHANNELS_CONFIG, SERVER_SECRET], useFactory: (c: ChannelsConfig, secret: string) => buildProviders(c, process.env, hmacOpaqueId(secret)) },
    {
      provide: OUTBOX_DISPATCHER,
      inject: [DataSource, CHANNEL_PROVIDERS, CLOCK, CHANNELS_CONFIG],
      useFactory: (ds: DataSource, providers: ChannelProviders, clock: Clock, config: ChannelsConfig) =>
        new OutboxDispatcher(new SqlOutboxStore(ds), providers, clock, config, new Logger('Outbox')),
    },
    OutboxService,
    LinkClicksService,
  ],
  exports: [OUTBOX_DISPATCHER, OutboxService, CHANNELS_CONFIG, CHANNEL_PROVIDERS],
})
export class ChannelsModule {}
