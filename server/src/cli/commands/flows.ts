import type { Command } from 'commander';
import { FlowLifecycleError } from '../../persistence/flow-repository.js';
import { seenEventTypes } from '../../persistence/event-types.js';
import { createEngineRuntime } from '../../runtime/engine-runtime.js';
import { flowOverview, FlowNotFoundError, InvalidFlowError, loadValidFlow } from '../../runtime/flow-files.js';
import { CliError, cliAudit, commandContext, output, withDatabase } from '../context.js';
import { refuseOnASimulationCopy } from '../simulation-copy-guard.js';
import { userInfo } from 'node:os';
import { formatProblem } from '../../core/flow/problems.js';
import { intakeStatus } from '../../persistence/event-inbox.js';
import { PublishRequestStore } from '../../persistence/publish-requests.js';
import { formatShopTime, shopIsoTime } from '../../core/engine/local-time.js';
import { flowNameDetail, liveVersionDetail } from '../../core/access/audit-flow-name.js';

/** `flows list`'s note of a flow's trigger events that arrived while it was paused (none: nothing said). */
export function pausedSkipWords(r: { skippedWhilePaused: number; lastSkippedAt: string | null }, timezone: string): string {
  if (r.skippedWhilePaused === 0) return '';
  const last = r.lastSkippedAt ? `, the last ${formatShopTime(Date.parse(r.lastSkippedAt), timezone)}` : '';
  return `  ${r.skippedWhilePaused.toLocaleString('en-US')} trigger event(s) arrived while paused and started no journey (not caught up on resume${last})`;
}

/** `flows list`'s note of a flow file that differs from the live version (a commit not published yet). */
export function fileChangedWords(r: { id: string; version: number | null; fileChanged: boolean | null }): string {
  return r.fileChanged ? `  file changed since v${r.version}, not published (rekindle flows publish ${r.id})` : '';
}

/** `flows list`'s note of a publish waiting for an admin's approval (rules/shop.yaml approval.publish). */
export function waitingApprovalWords(r: { request: { id: number; requestedBy: string; requestedAt: string } | null }): string {
  return r.request ? `  publish request #${r.request.id} by ${r.request.requestedBy} (${r.request.requestedAt}) waits for an admin's approval (journeys home, 待审批的发布)` : '';
}

/** `rekindle flows list|publish|pause|resume|stop`: the same lifecycle as the API. */
export function registerFlows(program: Command): void {
  const flows = program.command('flows').description('publish, pause, resume and stop the flows in rules/flows/');

  flows
    .command('list')
    .description('flow files and their published versions')
    .action(async (_o, cmd: Command) => {
      const ctx = commandContext(cmd);
      await withDatabase(ctx, async (ds) => {
        const rt = createEngineRuntime(ds, ctx.workspace, ctx.clock);
        // A paused flow's trigger events start no journey and are not caught up on resume: how many, said per flow.
        const skipped = new Map((await intakeStatus(ds)).flows.map((f) => [f.flowId, f]));
        const waiting = new Map((await new PublishRequestStore(ds).list({ status: 'pending', limit: 500 })).map((r) => [r.flowId, r]));
        const rows = (await flowOverview(ctx.workspace.rulesDir, rt.flows)).map(({ id, status, currentVersion, versions, fileChanged }) => {
          const asked = waiting.get(id);
          return {
          id,
          status,
          version: currentVersion,
          versions,
          fileChanged,
          skippedWhilePaused: skipped.get(id)?.skippedWhilePaused ?? 0,
          lastSkippedAt: skipped.get(id)?.lastSkippedAt ? shopIsoTime(skipped.get(id)!.lastSkippedAt!, ctx.workspace.shop.timezone) : null,
          request: asked ? { id: asked.id, requestedBy: asked.requestedBy, requestedAt: shopIsoTime(asked.requestedAt, ctx.workspace.shop.timezone) } : null,
          };
        });
        output(ctx, rows, () => rows.map((r) => `${r.id.padEnd(28)} ${r.status.padEnd(8)} ${r.version === null ? '-' : `v${r.version}`}${fileChangedWords(r)}${pausedSkipWords(r, ctx.workspace.shop.timezone)}${waitingApprovalWords(r)}`).join('\n'));
      });
    });

  flows
    .command('publish <flow>')
    .description('validate the flow file and record an immutable version; customers already in a journey stay on theirs')
    .option('--author <name>', 'recorded with the version', userInfo().username)
    .option('--without-approval', 'publish although rules/shop.yaml asks for approval (recorded as such in the audit log)')
    .action(async (flow: string, o: { author: string; withoutApproval?: boolean }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const approval = ctx.workspace.shop.approval.publish;
      await withDatabase(ctx, async (ds) => {
        // Before the approval: on a simulation's copy no publish goes live, --without-approval or not.
        await refuseOnASimulationCopy(ctx, { command: `rekindle flows publish ${flow}`, refused: 'goes-live' }, ds);
        // Publish approval: whoever runs this holds the database, so it cannot be enforced here, only
        // not done by accident — the command asks to be told, and the audit log says it was.
        if (approval && !o.withoutApproval) {
          throw new CliError(
            `rules/shop.yaml: approval.publish is on: a journey goes live when an admin other than the one who asked approves it. Ask in the designer (发布 → 提交审批) or with POST /api/flows/${flow}/publish; or publish anyway with --without-approval (the audit log records it)`,
          );
        }
        const rt = createEngineRuntime(ds, ctx.workspace, ctx.clock);
        try {
          // Like POST /api/flows/:id/publish: the events in the shop's log are known ones.
          const { flow: f, file, warnings } = loadValidFlow(ctx.workspace.rulesDir, flow, rt.rules, await seenEventTypes(ds), { now: ctx.clock.now(), timeZone: ctx.workspace.shop.timezone });
          const now = ctx.clock.now();
          const { version, created, restarted } = await rt.flows.publish(f, o.author, now);
          // Dated as the status change itself: `explain` reads the flow's status history from the audit log.
          if (created || restarted) await cliAudit(ds, 'flow-published', `flow:${f.id}`, { ...flowNameDetail(f), version: version.version, hash: version.hash, author: o.author, ...(restarted ? { restarted } : {}), ...(approval ? { withoutApproval: true } : {}) }, now);
          // The warnings too, as the API returns them: a flow waiting for an event nobody sends publishes, but should not pass unsaid.
          const result = { flowId: f.id, version: version.version, hash: version.hash, created, warnings };
          output(ctx, result, () =>
            [created ? `published ${f.id} v${version.version} from ${file} (${version.hash.slice(0, 12)})` : `${f.id} v${version.version} already has this content; nothing new published`, ...warnings.map((w) => formatProblem(file, w))].join('\n'),
          );
        } catch (e) {
          if (e instanceof InvalidFlowError || e instanceof FlowNotFoundError) throw new CliError(e.message);
          throw e;
        }
      });
    });

  for (const action of ['pause', 'resume', 'stop'] as const) {
    flows
      .command(`${action} <flow>`)
      .description({ pause: 'nobody enters or moves; waiting customers keep their place; trigger events meanwhile start no journey (counted in `flows list`)', resume: 'continue a paused flow', stop: 'end every journey in the flow now' }[action])
      .action(async (flowId: string, _o, cmd: Command) => {
        const ctx = commandContext(cmd);
        await withDatabase(ctx, async (ds) => {
          await refuseOnASimulationCopy(ctx, { command: `rekindle flows ${action} ${flowId}`, refused: 'goes-live' }, ds);
          const rt = createEngineRuntime(ds, ctx.workspace, ctx.clock);
          try {
            const now = ctx.clock.now();
            const exited = action === 'stop' ? await rt.flows.stop(flowId, now) : (await rt.flows[action](flowId, now), undefined);
            await cliAudit(ds, ({ pause: 'flow-paused', resume: 'flow-resumed', stop: 'flow-stopped' } as const)[action], `flow:${flowId}`, { ...liveVersionDetail(await rt.flows.liveVersion(flowId)), ...(exited === undefined ? {} : { exited }) }, now);
            output(ctx, { flowId, status: action === 'pause' ? 'paused' : action === 'stop' ? 'stopped' : 'active', exited }, () => `${flowId}: ${action === 'stop' ? `stopped (${exited} journey(s) ended)` : action === 'pause' ? 'paused: trigger events from now on start no journey, not even after resume (`flows list` counts them)' : 'resumed'}`);
          } catch (e) {
            if (e instanceof FlowLifecycleError) throw new CliError(e.message);
            throw e;
          }
        });
      });
  }
}
