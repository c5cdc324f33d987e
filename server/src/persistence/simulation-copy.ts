import type { DataSource } from 'typeorm';
import { executeBatch } from './sql-batch.js';

/**
 * In a simulation's COPY of the shop (never the live database): the live flow a simulated draft
 * stands in for is set aside, so the simulation is independent of its real run. Paused, it enters
 * nobody and its journeys under way do not move (they would send the same messages at the same
 * moments as the simulated journeys of the same customers and take their contact-policy slots);
 * its messages are forgotten, so what it really sent (or queued) does not cap the simulated
 * flow's sends either: the draft plays out as if the flow had never run. Other flows stay as
 * they are. Returns how many of its messages were forgotten.
 */
export async function setLiveFlowAside(copy: DataSource, flowId: string, now: number): Promise<number> {
  const [, forgotten] = await executeBatch(copy, [
    { sql: "UPDATE flows SET status = 'paused', updated_at = ? WHERE id = ?", params: [now, flowId] },
    { sql: 'DELETE FROM sends WHERE flow_id = ?', params: [flowId] },
  ]);
  return forgotten;
}
