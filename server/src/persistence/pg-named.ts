import type { Client } from 'pg';

/**
 * A PostgreSQL stepping batch's statements as named prepared statements (node-postgres's
 * `{ name, text, values }`): each connection parses and analyses a statement text once and, after
 * PostgreSQL's five custom plans, reuses a generic plan instead of planning every batch again. The
 * batch's statements are the same dozen texts batch after batch, most with 1,000-element array
 * parameters whose `= ANY(…)` the planner otherwise estimates element by element on every bind.
 * Measured on three of a batch's reads by id arrays (200 alternating runs, 1,000 ids each): the
 * backend's CPU 7.0–7.8 → 5.7–6.8 ms (bench/README.md, twentieth wave).
 *
 * One name per distinct text, the same on every connection of the process (node-postgres refuses a
 * name reused for another text). Texts with many parameters (`IN (?, ?, …)` lists whose length
 * varies) and any text past the first MAX_NAMED stay unnamed, as before: prepared statements live
 * as long as their connection, so their number must stay small.
 */
const names = new Map<string, string>();
const MAX_NAMED = 200;
const MAX_PARAMS = 32;

export async function pgNamedQuery<T = Record<string, unknown>>(client: Client, text: string, values: unknown[]): Promise<T[]> {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMED && values.length <= MAX_PARAMS) names.set(text, (name = `rekindle_batch_${names.size}`));
  const r = await client.query(name === undefined ? { text, values } : { name, text, values });
  return r.rows as T[];
}
