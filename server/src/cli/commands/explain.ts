import type { Command } from 'commander';
import { yuan } from '../../core/text/money.js';
import { endWords, outcomeWords, sendStatusWords } from '../../core/flow/outcome-words.js';
import { formatShopTime } from '../../core/engine/local-time.js';
import { customerJourney } from '../../persistence/journey-report.js';
import { queryRows } from '../../persistence/sql-batch.js';
import { flowNameOf, isSimulatedFlowId } from '../../runtime/simulated-flow.js';
import { CliError, commandContext, output, withDatabase } from '../context.js';
import { RuleSet, segmentsDir } from '../../core/rules/rule-set.js';
import { entryReason } from '../../core/flow/entry-reason.js';
import { CHANNELS } from '../../core/data/model.js';
import { whyNotEntered } from '../../runtime/why-not-entered.js';
import { unmetWords } from '../../core/rules/unmet-conditions.js';
import { PolicyFile } from '../../persistence/policy-file.js';

/** `rekindle explain <customer>`: every journey step and message of a customer, with reasons. */
export function registerExplain(program: Command): void {
  program
    .command('explain <customer>')
    .description('why a customer got (or did not get) each message: journeys, decisions, sends')
    .action(async (customer: string, _o, cmd: Command) => {
      const ctx = commandContext(cmd);
      await withDatabase(ctx, async (ds) => {
        const [row] = await queryRows(ds, 'SELECT id FROM customers WHERE external_id = ? OR CAST(id AS VARCHAR(20)) = ?', [customer, customer]);
        if (!row) throw new CliError(`no customer "${customer}" (give the external id or the numeric id)`);
        // People read the shop's wall clock (rules/shop.yaml timezone); --json keeps ISO instants.
        const tz = ctx.workspace.shop.timezone;
        // A block list is said by its title, in --json's `why` as in the lines: the titles read once, for the whole answer.
        const listTitles = new PolicyFile(ctx.workspace.rulesDir).titledLists();
        const j = byFlowName((await customerJourney(ds, Number(row.id), tz, listTitles))!);
        const at = (iso: string | null) => (iso ? formatShopTime(Date.parse(iso), tz) : '—');
        // Why each journey let the customer in, from the entry of the version they entered (a
        // customer asking "why did I get this SMS" is answered by it: "entered" alone said nothing).
        let segments: RuleSet | null = null;
        try {
          segments = RuleSet.loadDir(segmentsDir(ctx.workspace.rulesDir));
        } catch {
          segments = null;
        }
        const reasons = new Map<number, string | null>();
        for (const e of j.journeys) {
          if (reasons.has(e.versionId)) continue;
          const [v] = await queryRows(ds, 'SELECT content FROM flow_versions WHERE id = ?', [e.versionId]);
          reasons.set(e.versionId, v ? entryReason(JSON.parse(String(v.content)), (name) => segments?.get(name)?.title ?? null) : null);
        }
        // The live journeys they are not in, and what their entry's segment says of them now: "why did
        // this customer not get it" answered by the rule's figures (a segment entry only; events: below).
        const notEntered = await whyNotEntered(ds, ctx.workspace, j, ctx.clock.now(), segments ?? undefined);
        output(ctx, { ...j, notEntered }, () => {
          const who = j.customer.erasedAt ? `personal data erased ${at(j.customer.erasedAt)} (PIPL erase request)` : `${j.customer.name ?? 'no name'}`;
          const lines = [`customer ${j.customer.externalId} (${who})${j.customer.inRecycleBin ? ' [in recycle bin]' : ''}`];
          // Consents as they are today (none are kept per moment): a marketing message goes only on a channel said yes.
          if (!j.customer.erasedAt) lines.push(`  marketing consent now: ${CHANNELS.map((c) => `${c} ${j.customer.consentNow[c] === true ? 'yes' : j.customer.consentNow[c] === false ? 'no (opted out)' : 'not given'}`).join(', ')}`);
          if (j.journeys.length === 0) lines.push('  never entered a flow');
          for (const e of j.journeys) {
            lines.push('', `${e.flowId}${e.simulated ? ' (simulated)' : ''}${e.journeyKey ? ` [${e.journeyKey}]` : ''}: ${e.status}${e.exitReason ? ` (${endWords(String(e.exitReason))})` : ''}${e.arm ? `, arm ${e.arm}` : ''}`);
            // The path with what the customer did in it (clicks, coupons used) and the order that ended it, by time.
            const why = reasons.get(e.versionId);
            const path: { at: string | null; line: string }[] = e.steps.map((s) => ({ at: s.at, line: `  ${at(s.at)}  ${String(s.node).padEnd(24)} ${outcomeWords(String(s.outcome), undefined, listTitles)}${s.event ? ` — ${eventWords(s.event, at)}` : ''}${why && s.outcome === 'entered' ? ` — ${why}` : ''}` }));
            for (const a of e.answers) path.push({ at: a.at, line: `  ${at(a.at)}  ${String(a.node).padEnd(24)} ${a.kind === 'clicked' ? 'clicked the message\'s link' : `used coupon ${a.code} (${yuan(a.amount)} off)${a.order ? ` in order ${a.order}` : ''}`}` });
            path.sort((x, y) => String(x.at ?? '').localeCompare(String(y.at ?? '')));
            for (const p of path) lines.push(p.line);
          }
          if (notEntered.length) {
            lines.push('', 'not in these live journeys (their entry segment, by the customer\'s facts now):');
            for (const n of notEntered) {
              lines.push(`  ${n.flowId} (v${n.version}${n.status === 'paused' ? ', paused' : ''}): ${n.entry ?? `segment ${n.segment}`}`);
              if (n.inSegment === null) lines.push(`    segment ${n.segment} is not under rules/segments/ any more: not checked`);
              else if (n.inSegment) lines.push(`    in the segment now: ${n.audienceAt === null ? 'the next run lets them in, unless the journey\'s limits or re-entry rules hold them out' : n.audienceAt > ctx.clock.now() ? `the audience is drawn at its start, ${at(new Date(n.audienceAt).toISOString())}` : `the audience was drawn at its start, ${at(new Date(n.audienceAt).toISOString())}, without them (not in it then)`}`);
              else lines.push(`    not in the segment now: ${n.unmet.map(unmetWords).join('; ') || 'its rule does not match'}`);
            }
          }
          if (j.missedEntries.length) {
            lines.push('', 'no journey:');
            for (const m of j.missedEntries) lines.push(`  ${m.why}`);
            if (j.missedEntriesOmitted) lines.push(`  (${j.missedEntriesOmitted} earlier event(s) left out)`);
          }
          if (j.sends.length) {
            lines.push('', 'messages:');
            for (const s of j.sends) lines.push(`  ${at(s.scheduledAt)}  ${String(s.channel).padEnd(9)} ${sendStatusWords(String(s.status), s.reason === null ? null : String(s.reason), listTitles)}  ${s.flowId}/${s.node}${s.simulated ? ' (simulated)' : ''}${s.error ? `\n      not delivered: ${s.error}` : ''}${s.body ? `\n      ${s.status === 'blocked' || s.status === 'skipped' ? 'would have read' : 'text'}: ${String(s.body).replace(/\s+/g, ' ')}` : ''}${s.clickedAt ? `\n      clicked: ${at(s.clickedAt)}` : ''}${s.coupon ? `\n      coupon: ${s.coupon.code} (${yuan(s.coupon.amount)}), ${s.coupon.status === 'used' ? `used ${at(s.coupon.usedAt)}${s.coupon.order ? ` in order ${s.coupon.order}` : ''}` : s.coupon.status}` : ''}`);
          }
          return lines.join('\n');
        });
      }, { existing: true });
    });
}

/** The event that ended a journey (or answered a wait): "order o-1 paid 260.00 at …". */
function eventWords(ev: { type: string; at: string | null; orderId: string | null; amount: number | null }, at: (iso: string | null) => string): string {
  const what = ev.orderId ? `order ${ev.orderId}${ev.amount !== null ? ` (${yuan(ev.amount)})` : ''}` : ev.type;
  return ev.type === 'order_paid' && ev.orderId ? `${what} paid ${at(ev.at)}` : `${what}${ev.orderId ? ` ${ev.type}` : ''} ${at(ev.at)}`;
}

/**
 * On a copy `rekindle simulate` ran a flow in, its journeys and messages are stored under the
 * simulation's id (runtime/simulated-flow.ts): they are shown under the flow's name, marked
 * `simulated`, as the developer named the flow they simulated.
 */
type CustomerJourney = NonNullable<Awaited<ReturnType<typeof customerJourney>>>;
type Simulated<R> = R & { simulated?: true };
function byFlowName(j: CustomerJourney): Omit<CustomerJourney, 'journeys' | 'sends'> & { journeys: Simulated<CustomerJourney['journeys'][number]>[]; sends: Simulated<CustomerJourney['sends'][number]>[] } {
  const named = <R extends { flowId: unknown }>(r: R): Simulated<R> => (isSimulatedFlowId(String(r.flowId)) ? { ...r, flowId: flowNameOf(String(r.flowId)), simulated: true } : r);
  return { ...j, journeys: j.journeys.map(named), sends: j.sends.map(named) };
}
