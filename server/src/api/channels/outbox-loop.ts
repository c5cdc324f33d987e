import { Interval } from '@nestjs/schedule';
import { setting } from '../../config/settings.js';
import { liveOnly } from '../simulation-copy/live-only.js';
import { OutboxService } from './outbox.service.js';

/**
 * The outbox dispatcher's schedule: a run every REKINDLE_OUTBOX_MS (@nestjs/schedule; only when
 * ScheduleModule is loaded). Kept apart from OutboxService, which the dispatch route and the tests
 * call too, so that on a simulation's copy this alone is left out (outboxLoopProvider).
 */
export class OutboxLoop {
  constructor(private readonly outbox: OutboxService) {}

  @Interval('outbox-dispatch', setting('REKINDLE_OUTBOX_MS'))
  dispatch(): Promise<void> {
    return this.outbox.onSchedule();
  }
}

/** Not built on a simulation's copy: nothing is sent from it (api/simulation-copy/live-only.ts). */
export const outboxLoopProvider = liveOnly(OutboxLoop, [OutboxService], (outbox: OutboxService) => new OutboxLoop(outbox));
