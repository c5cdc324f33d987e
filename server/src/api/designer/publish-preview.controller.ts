import { Body, Controller, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiResponse } from '../openapi/deferred-swagger.js';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { Clock } from '../../core/clock.js';
import { armAudiences } from '../../core/flow/arm-audiences.js';
import { capsForFlow } from '../../core/policy/caps-for-flow.js';
import { EMPTY_POLICY, type ContactPolicy } from '../../core/policy/schema.js';
import { RuleSet, segmentsDir } from '../../core/rules/rule-set.js';
import { runSegment } from '../../core/segment/segmenter.js';
import type { Workspace } from '../../config/workspace.js';
import { flowRunReport } from '../../persistence/flow-report.js';
import { PolicyFile } from '../../persistence/policy-file.js';
import { SqlSegmentStore, type SqlReader } from '../../persistence/segment-store.js';
import { Allow } from '../auth/allow.decorator.js';
import { CLOCK, SQL_READER, WORKSPACE } from '../tokens.js';

const FlowIdParam = z.string().max(64, 'flow ids are at most 64 characters').regex(/^[a-z0-9][a-z0-9-]*$/, 'flow ids are lower-case letters, digits and "-"');
const PreviewBody = z.object({
  flow: z
    .object({ nodes: z.array(z.record(z.string(), z.unknown())).describe('the steps, as the designer draws them') })
    .passthrough()
    .describe('the journey about to be published (the designer sends its drawing, which may be ahead of the saved draft)'),
});

/**
 * What the designer's publish confirmation needs from the shop, before anything goes live: how
 * many customers the entry's segment matches now (a one-off audience or a schedule), how many are
 * in the journey now, and the contact-policy caps and quiet hours that would hold its messages
 * back. Reads only: nothing is written, published or audited. The words are the designer's
 * (designer/src/model/publish-preview.ts).
 */
@Controller()
export class PublishPreviewController {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(WORKSPACE) private readonly workspace: Workspace,
    @Inject(SQL_READER) private readonly reader: SqlReader | null,
  ) {}

  @Post('flows/:id/publish-preview')
  @Allow('marketer') // those who may publish: the preview is the first half of publishing
  @HttpCode(200)
  @ApiResponse({ status: 200, description: '`{at, audience: {segment, count} | null, inFlight, caps, quietHours, arms: [{splitId, armId, sendId, channel, reached, allowing}]}` (arms: each A/B arm\'s first marketing message, how many would reach it now and how many of them allow its channel); `count` is null when the segment cannot be counted (unknown rule: the flow\'s checks say so and publishing is refused)' })
  @ApiResponse({ status: 400, description: 'The body has no `flow` with a `nodes` list (the field is named)' })
  async preview(@Param('id', { schema: FlowIdParam }) id: string, @Body({ schema: PreviewBody }) body: z.infer<typeof PreviewBody>) {
    const at = this.clock.now();
    const entry = body.flow.nodes.find((n) => n.type === 'entry');
    const trigger = (entry?.trigger ?? {}) as { type?: unknown; segment?: unknown };
    const segment = trigger.type !== 'event' && typeof trigger.segment === 'string' ? trigger.segment : null;
    const audience = segment === null ? null : { segment, count: await this.count(segment, at) };
    const inFlight = (await flowRunReport(this.ds, id)).enrollments.active;
    const { caps, quietHours } = capsForFlow(this.policy(), body.flow);
    return { flowId: id, at, audience, inFlight, caps, quietHours, arms: await this.armConsent(body.flow.nodes, at) };
  }

  /**
   * Each A/B arm's first marketing message (core/flow/arm-audiences.ts): how many customers would
   * reach it now and how many of them allow its channel; null counts when they cannot be counted.
   */
  private async armConsent(nodes: readonly unknown[], at: number) {
    const out = [];
    const consents = (channel: string) => ({ fact: `consent${channel.charAt(0).toUpperCase()}${channel.slice(1)}`, operator: 'equal', value: true });
    for (const a of armAudiences(nodes)) {
      const reached = await this.countWhere({ all: a.conditions }, at);
      const allowing = reached === null ? null : await this.countWhere({ all: [...a.conditions, consents(a.channel)] }, at);
      // Those the channel loses who get the message on the step's 备用渠道 instead: without it the
      // warning said they 收不到消息, of an arm that in fact mostly tests the fallback's message.
      const fallbackAllowing =
        a.fallback === null || allowing === null ? null : await this.countWhere({ all: [...a.conditions, { not: consents(a.channel) }, consents(a.fallback)] }, at);
      out.push({ splitId: a.splitId, armId: a.armId, sendId: a.sendId, channel: a.channel, reached, allowing, fallback: a.fallback, fallbackAllowing });
    }
    return out;
  }

  private async countWhere(conditions: unknown, at: number): Promise<number | null> {
    try {
      const { set, name } = RuleSet.loadDir(segmentsDir(this.workspace.rulesDir)).inline(conditions);
      const store = new SqlSegmentStore(this.ds, undefined, this.reader);
      return (await runSegment(store, set, name, { at, timezone: this.workspace.shop.timezone, lifecycle: this.workspace.shop.lifecycle, sample: 0 })).count;
    } catch {
      return null; // an unknown rule or fact: the flow's checks name it
    }
  }

  /** The segment's size now, as `GET /api/segments/:name/count` says it; null when it cannot be counted. */
  private async count(segment: string, at: number): Promise<number | null> {
    try {
      const rules = RuleSet.loadDir(segmentsDir(this.workspace.rulesDir));
      if (!rules.get(segment)) return null;
      const store = new SqlSegmentStore(this.ds, undefined, this.reader);
      return (await runSegment(store, rules, segment, { at, timezone: this.workspace.shop.timezone, lifecycle: this.workspace.shop.lifecycle, sample: 0 })).count;
    } catch {
      return null; // a broken rule file: the flow's checks name it
    }
  }

  /** A policy file that does not parse binds nothing the designer could show (PUT /api/policy refuses one). */
  private policy(): ContactPolicy {
    try {
      return new PolicyFile(this.workspace.rulesDir).policy();
    } catch {
      return EMPTY_POLICY;
    }
  }
}
