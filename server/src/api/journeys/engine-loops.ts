import { Interval } from '@nestjs/schedule';
import { setting } from '../../config/settings.js';
import { liveOnly } from '../simulation-copy/live-only.js';
import { EventIntakeRunner } from './event-intake.runner.js';
import { JourneyTicker } from './journey-ticker.js';

/**
 * What moves journeys on its own in this process: the ticker every REKINDLE_TICK_MS and the event
 * intake's poll every REKINDLE_INTAKE_POLL_MS (@nestjs/schedule; only when ScheduleModule is
 * loaded). Kept apart from JourneyTicker and EventIntakeRunner, which a route and the tests call
 * too, so that on a simulation's copy this alone is left out (engineLoopsProvider).
 */
export class EngineLoops {
  constructor(
    private readonly ticker: JourneyTicker,
    private readonly intake: EventIntakeRunner,
  ) {}

  @Interval('journey-tick', setting('REKINDLE_TICK_MS'))
  tick(): Promise<void> {
    return this.ticker.onSchedule();
  }

  @Interval('event-intake-poll', setting('REKINDLE_INTAKE_POLL_MS'))
  poll(): void {
    this.intake.poll();
  }
}

/** Not built on a simulation's copy: nothing ticks or polls there (api/simulation-copy/live-only.ts). */
export const engineLoopsProvider = liveOnly(EngineLoops, [JourneyTicker, EventIntakeRunner], (ticker: JourneyTicker, intake: EventIntakeRunner) => new EngineLoops(ticker, intake));
