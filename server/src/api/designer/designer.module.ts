import { Module } from '@nestjs/common';
import { DesignerController } from './designer.controller.js';
import { DraftsController } from './drafts.controller.js';
import { ChannelsModule } from '../channels/channels.module.js';
import { HomeController } from './home.controller.js';
import { MessagesController } from './messages.controller.js';
import { PublishPreviewController } from './publish-preview.controller.js';
import { SimulationRuns } from './simulation-runs.js';

/** The designer's API (flow files, drafts, journeys home, message preview and test send, live validation, the publish confirmation's figures, counts, simulation, templates). */
@Module({ imports: [ChannelsModule], controllers: [DesignerController, DraftsController, HomeController, MessagesController, PublishPreviewController], providers: [SimulationRuns] })
export class DesignerModule {}
