import { Module } from '@nestjs/common';
import { CustomerJourneyController } from './customer-journey.controller.js';
import { EngineEventListener } from './engine-event-listener.js';
import { engineRuntimeProvider, ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { FlowsController } from './flows.controller.js';
import { JourneyTicker } from './journey-ticker.js';

@Module({
  controllers: [FlowsController, CustomerJourneyController],
  providers: [engineRuntimeProvider, JourneyTicker, EngineEventListener],
  exports: [ENGINE_RUNTIME, JourneyTicker],
})
export class JourneysModule {}
