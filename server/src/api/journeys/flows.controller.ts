import { BadRequestException, Body, ConflictException, Controller, Get, HttpCode, Inject, NotFoundException, Param, Post, UnprocessableEntityException } from '@nestjs/common';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import type { Workspace } from '../../config/workspace.js';
import { FlowLifecycleError } from '../../persistence/flow-repository.js';
import type { EngineRuntime } from '../../runtime/engine-runtime.js';
import { flowOverview, FlowNotFoundError, InvalidFlowError, loadValidFlow } from '../../runtime/flow-files.js';
import { CLOCK, WORKSPACE } from '../tokens.js';
import { ENGINE_RUNTIME } from './engine-runtime.provider.js';
import { JourneyTicker } from './journey-ticker.js';

const FlowIdParam = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"');
const PublishBody = z.object({ author: z.string().min(1).max(128).default('api') }).default({ author: 'api' });

/** Publish, pause, resume and stop flows kept as files in rules/flows/. */
@Controller()
export class FlowsController {
  constructor(
    @Inject(ENGINE_RUNTIME) private readonly runtime: EngineRuntime,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(JourneyTicker) private readonly ticker: JourneyTicker,
  ) {}

  @Get('flows')
  list() {
    return flowOverview(this.workspace.rulesDir, this.runtime.flows);
  }

  @Post('flows/:id/publish')
  @HttpCode(200)
  async publish(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: PublishBody }) body: z.infer<typeof PublishBody>) {
    try {
      const { flow, warnings } = loadValidFlow(this.workspace.rulesDir, id, this.runtime.rules);
      const { version, created } = await this.runtime.flows.publish(flow, body.author, this.clock.now());
      return { flowId: id, version: version.version, hash: version.hash, created, warnings };
    } catch (e) {
      if (e instanceof FlowNotFoundError) throw new NotFoundException(e.message);
      if (e instanceof InvalidFlowError) throw new UnprocessableEntityException({ message: `${e.file} has problems; fix them before publishing`, problems: e.problems });
      throw e;
    }
  }

  @Post('flows/:id/:action')
  @HttpCode(200)
  async lifecycle(@Param('id', { schema: FlowIdParam }) id: string, @Param('action') action: string) {
    const now = this.clock.now();
    try {
      if (action === 'pause') await this.runtime.flows.pause(id, now);
      else if (action === 'resume') await this.runtime.flows.resume(id, now);
      else if (action === 'stop') return { flowId: id, status: 'stopped', exited: await this.runtime.flows.stop(id, now) };
      else throw new BadRequestException(`unknown action "${action}" (publish, pause, resume or stop)`);
    } catch (e) {
      if (e instanceof FlowLifecycleError) throw new ConflictException(e.message);
      throw e;
    }
    return { flowId: id, status: action === 'pause' ? 'paused' : 'active' };
  }

  /** Runs due entries and steps now instead of waiting for the scheduler. */
  @Post('engine/tick')
  @HttpCode(200)
  async tick() {
    return this.ticker.tickNow();
  }
}
