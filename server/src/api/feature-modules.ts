import type { Type } from '@nestjs/common';

/**
 * Every feature module of the HTTP API. Each feature adds its own line here; nothing else about
 * the app changes when a feature is added.
 */
import { AnalysisModule } from './analysis/analysis.module.js';
import { ChannelsModule } from './channels/channels.module.js';
import { ShopDataModule } from './imports/shop-data.module.js';
import { JourneysModule } from './journeys/journeys.module.js';
import { SegmentsModule } from './segments/segments.module.js';
import { FactsModule } from './facts/facts.module.js';
import { PolicyModule } from './policy/policy.module.js';
import { ExperimentsModule } from './experiments/experiments.module.js';
import { DesignerModule } from './designer/designer.module.js';
export const FEATURE_MODULES: Type<unknown>[] = [
  DesignerModule, // first: its POST flows/:id/simulate must be routed before journeys' flows/:id/:action
  SegmentsModule, FactsModule,
  ShopDataModule,
  AnalysisModule,
  ChannelsModule,
  JourneysModule,
  PolicyModule,
  ExperimentsModule,
];
