import type { DataSource } from 'typeorm';
import type { Flow } from '../core/flow/schema.js';
import { missedEntries, type CustomerEnrollment, type FlowStatus, type FlowStatusChange, type MissedEntry, type PublishedVersion } from '../core/engine/missed-entries.js';
import { inChunks, placeholders, queryRows } from './sql-batch.js';

/** The customer's latest events read for the check (by ix_customer_events_customer_type): enough for any question about recent journeys. */
const EVENTS_READ = 500;
/** Missed entries reported, newest first; the rest are counted. */
export const MISSED_REPORTED = 20;

/**
 * A flow's status over time, from the audit log's lifecycle entries (who and when). A publish
 * starts the flow unless it was paused (then it stays paused: flow-repository.ts). A flow that has
 * no entry on record (published by `simulate`, or before the audit log existed) but is paused or
 * stopped now counts as such since its last status change (flows.updated_at), by nobody on record.
 */
async function statusHistory(ds: DataSource, flowIds: string[]): Promise<Map<string, FlowStatusChange[]>> {
  const out = new Map<string, FlowStatusChange[]>();
  if (flowIds.length === 0) return out;
  const rows = await queryRows(
    ds,
    `SELECT at, actor, action, target FROM audit_log
      WHERE action IN ('flow-published', 'flow-paused', 'flow-resumed', 'flow-stopped') AND target IN (${placeholders(flowIds.length)})
      ORDER BY at, id`,
    flowIds.map((id) => `flow:${id}`),
  );
  for (const r of rows) {
    const flowId = String(r.target).slice('flow:'.length);
    const list = out.get(flowId) ?? [];
    const before = list.at(-1)?.status;
    const status: FlowStatus = r.action === 'flow-paused' ? 'paused' : r.action === 'flow-stopped' ? 'stopped' : r.action === 'flow-resumed' ? 'active' : before === 'paused' ? 'paused' : 'active';
    list.push({ at: Number(r.at), status, actor: String(r.actor) });
    out.set(flowId, list);
  }
  const flows = await queryRows(ds, `SELECT id, status, updated_at FROM flows WHERE id IN (${placeholders(flowIds.length)})`, flowIds);
  for (const f of flows) {
    const id = String(f.id);
    if (!out.has(id) && f.status !== 'active') out.set(id, [{ at: Number(f.updated_at), status: f.status as FlowStatus, actor: null }]);
  }
  return out;
}

/** The customer's events that an event-triggered flow names but that started no journey, with why. */
export async function customerMissedEntries(ds: DataSource, customerId: number, enrollments: Record<string, unknown>[]): Promise<{ entries: MissedEntry[]; omitted: number }> {
  const versions: PublishedVersion[] = (await queryRows(ds, 'SELECT flow_id, version, published_at, content FROM flow_versions ORDER BY flow_id, version')).map((r) => ({
    flowId: String(r.flow_id),
    version: Number(r.version),
    publishedAt: Number(r.published_at),
    flow: JSON.parse(String(r.content)) as Flow,
  }));
  const types = new Set<string>();
  for (const v of versions) {
    const entry = v.flow.nodes.find((n) => n.type === 'entry');
    if (entry?.type === 'entry' && entry.trigger.type === 'event') types.add(entry.trigger.event);
  }
  if (types.size === 0) return { entries: [], omitted: 0 };
  const eventRows = await queryRows(
    ds,
    `SELECT id, type, properties, occurred_at, received_at FROM customer_events WHERE customer_id = ? AND type IN (${placeholders(types.size)}) ORDER BY occurred_at DESC, id DESC LIMIT ${EVENTS_READ}`,
    [customerId, ...types],
  );
  const pending = new Set(
    (await inChunks(eventRows.map((r) => Number(r.id)), (chunk) => queryRows(ds, `SELECT event_id FROM event_inbox WHERE event_id IN (${placeholders(chunk.length)})`, chunk))).map((r) => Number(r.event_id)),
  );
  const actedOn = new Map(
    (await inChunks(eventRows.map((r) => Number(r.id)), (chunk) => queryRows(ds, `SELECT event_id, consumed_at FROM consumed_events WHERE event_id IN (${placeholders(chunk.length)})`, chunk))).map((r) => [Number(r.event_id), Number(r.consumed_at)]),
  );
  const flowIds = [...new Set(versions.map((v) => v.flowId))];
  const entries = missedEntries({
    versions,
    history: await statusHistory(ds, flowIds),
    events: eventRows.map((r) => ({
      id: Number(r.id),
      type: String(r.type),
      properties: typeof r.properties === 'string' ? (JSON.parse(r.properties) as Record<string, unknown>) : ((r.properties as Record<string, unknown>) ?? {}),
      occurredAt: Number(r.occurred_at),
      receivedAt: Number(r.received_at),
      pending: pending.has(Number(r.id)),
      actedOnAt: actedOn.get(Number(r.id)) ?? null,
    })),
    enrollments: enrollments.map(
      (e): CustomerEnrollment => ({ flowId: String(e.flow_id), journeyKey: String(e.journey_key ?? ''), enteredAt: Number(e.entered_at), status: String(e.status), updatedAt: Number(e.updated_at), entryKey: String(e.entry_key) }),
    ),
  });
  return { entries: entries.slice(0, MISSED_REPORTED), omitted: Math.max(0, entries.length - MISSED_REPORTED) };
}
