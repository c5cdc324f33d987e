import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import type { DispatchReport, OutboxDispatcher } from '../../core/channels/dispatcher.js';
import { closeProviders, type ChannelProviders } from '../../core/channels/registry.js';
import { CHANNEL_PROVIDERS, OUTBOX_DISPATCHER } from './channels.tokens.js';
import { setting } from '../../config/settings.js';

/**
 * Runs the outbox dispatcher every few seconds when the schedulers are on (@Interval only fires
 * when ScheduleModule is loaded; tests call dispatchNow / POST /api/outbox/dispatch instead).
 * Runs in this process never overlap; several processes may run at once (claims are safe).
 */
@Injectable()
export class OutboxService implements OnApplicationShutdown {
  private readonly log = new Logger('Outbox');
  private running: Promise<DispatchReport> | null = null;

  constructor(
    @Inject(OUTBOX_DISPATCHER) private readonly dispatcher: OutboxDispatcher,
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProviders,
  ) {}

  @Interval('outbox-dispatch', setting('REKINDLE_OUTBOX_MS'))
  async onInterval(): Promise<void> {
    if (this.running) return;
    try {
      await this.dispatchNow();
    } catch (e) {
      this.log.error(`outbox dispatch failed: ${(e as Error).message}`);
    }
  }

  /** One full dispatch now; waits for a run already under way first. */
  async dispatchNow(): Promise<DispatchReport> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.dispatcher.dispatch();
    this.running = run;
    try {
      const r = await run;
      if (r.claimed || r.recovered) this.log.log(`sent ${r.sent}, retrying ${r.retried}, failed ${r.failed}, blocked ${r.blocked}, recovered ${r.recovered}`);
      return r;
    } finally {
      this.running = null;
    }
  }

  /** Lets a delivery in flight finish (so its outcome is recorded) before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
    await closeProviders(this.providers);
  }
}
