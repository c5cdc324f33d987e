import { Module } from '@nestjs/common';
import { CustomerJourneyController } from './customer-journey.controller.js';
import { engineEventListenerProvider } from './engine-event-listener.js';
import { engineLoopsProvider } from './engine-loops.js';
import { EventIntakeRunner } from './event-intake.runner.js';
import { EventPruner } from './event-pruner.js';
import { engineRuntimeProvider, ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { engineThreadProvider } from './engine-thread.provider.js';
import { walCheckpointerProvider } from './wal-checkpointer.provider.js';
import { FlowsController } from './flows.controller.js';
import { FlowPublisher } from './flow-publisher.js';
import { PublishRequestsController } from './publish-requests.controller.js';
import { IntakeStatusController } from './intake-status.controller.js';
import { JourneyTicker } from './journey-ticker.js';
import { plannerTurnProvider } from './planner-turn.provider.js';
import { stepQueueModules, stepQueueProviders } from './step-queue.module.js';

@Module({
  imports: [...stepQueueModules()],
  controllers: [FlowsController, PublishRequestsController, CustomerJourneyController, IntakeStatusController],
  providers: [...stepQueueProviders(), FlowPublisher, engineRuntimeProvider, engineThreadProvider, walCheckpointerProvider, plannerTurnProvider, EventIntakeRunner, JourneyTicker, engineLoopsProvider, engineEventListenerProvider, EventPruner],
  exports: [ENGINE_RUNTIME, JourneyTicker, EventIntakeRunner, EventPruner],
})
export class JourneysModule {}
