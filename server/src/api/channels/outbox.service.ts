import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleDestroy } from '@nestjs/common';
import type { DispatchReport, OutboxDispatcher } from '../../core/channels/dispatcher.js';
import { closeProviders, type ChannelProviders } from '../../core/channels/registry.js';
import { CHANNEL_PROVIDERS, OUTBOX_DISPATCHER } from './channels.tokens.js';

/**
 * Runs the outbox dispatcher every few seconds when the schedulers are on (outbox-loop.ts, on a
 * live database only; tests call dispatchNow / POST /api/outbox/dispatch instead).
 * Runs in this process never overlap; several processes may run at once (claims are safe).
 */
@Injectable()
export class OutboxService implements OnModuleDestroy, OnApplicationShutdown {
  private readonly log = new Logger('Outbox');
  private running: Promise<DispatchReport> | null = null;
  /** Set when the app starts closing: no new run, and a run under way ends after its batch. */
  private stopping = false;

  constructor(
    @Inject(OUTBOX_DISPATCHER) private readonly dispatcher: OutboxDispatcher,
    @Inject(CHANNEL_PROVIDERS) private readonly providers: ChannelProviders,
  ) {}

  /** The scheduled run (outbox-loop.ts). */
  async onSchedule(): Promise<void> {
    if (this.running || this.stopping) return;
    try {
      await this.dispatchNow();
    } catch (e) {
      this.log.error(`outbox dispatch failed: ${(e as Error).message}`);
    }
  }

  /** One full dispatch now; waits for a run already under way first. */
  async dispatchNow(): Promise<DispatchReport> {
    while (this.running) await this.running.catch(() => undefined);
    // A run otherwise goes on until the whole due backlog is delivered: with 200,000 queued
    // messages a SIGTERM took minutes to end the process (and a supervisor's SIGKILL then left
    // a batch's leases to expire). What is left stays queued for the next process.
    const run = this.dispatcher.dispatch({ shouldStop: () => this.stopping });
    this.running = run;
    try {
      const r = await run;
      if (r.claimed || r.recovered) this.log.log(`sent ${r.sent}, retrying ${r.retried}, failed ${r.failed}, blocked ${r.blocked}, recovered ${r.recovered}`);
      return r;
    } finally {
      this.running = null;
    }
  }

  /** First of the shutdown hooks: the run under way stops claiming (see dispatchNow). */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  /** Lets the batch in flight finish (so its outcomes are recorded) before the database closes. */
  async onApplicationShutdown(): Promise<void> {
    await this.running?.catch(() => undefined);
    await closeProviders(this.providers);
  }
}
