import type { DataSource } from 'typeorm';
import { formatShopTime } from '../core/engine/local-time.js';
import { simulationRunsIn, type SimulationRun } from '../persistence/simulation-copy-mark.js';

/**
 * A simulation's copy of the shop sends nothing and moves no journey. `rekindle simulate --copy-of`
 * copies the live shop — the real customers' phones and e-mails — and leaves the simulation's
 * messages queued (`--no-delivery`) up to the simulation's end and its journeys waiting; the copy
 * is then opened with a server to read the results. Its outbox worker delivered those messages
 * through the shop's real providers as their times passed (at once, for a simulation of a past
 * period), and its ticker stepped the waiting journeys into new real messages. The copy is marked
 * in the database itself (persistence/simulation-copy-mark.ts), so whatever opens it knows.
 *
 * This is the one decision, made once when a process opens the database. The server then starts
 * nothing that moves a journey or sends — no ticker, no event intake poll or nudge, no engine
 * thread, no outbox schedule (api/simulation-copy/live-only.ts) — and its routes that would do so
 * by hand (a tick, an outbox dispatch, a test send) answer 409 (api/simulation-copy/nothing-runs-on-a-copy.ts);
 * the CLI commands that would (`worker`, `scheduler`) or that change what runs (`flows publish`,
 * `pause`, `resume`, `stop`) refuse (cli/simulation-copy-guard.ts). Reading — the journeys home,
 * counts, reports, exports — is untouched.
 */
export interface SimulationCopyHold {
  runs: SimulationRun[];
  /** Said once at start-up: which simulation, and that nothing is sent. */
  line: string;
}

/**
 * What a route or command refused on a copy would have done: `runs` — sent or moved journeys (a
 * tick, an outbox dispatch, a test send, `rekindle worker` or `scheduler`); `goes-live` — changed
 * what runs (publishing, pausing, resuming or stopping a journey, approving a publish request),
 * which on a copy runs nowhere; `shop-files` — changed one of the shop's own rule files (the contact
 * policy, a block list's title, a segment in place). A copy is of the database only: the rules
 * folder its server reads is the shop's own, so such a change would not stay in the copy but change
 * what the live shop runs on, from a server that shows a copy.
 */
export type CopyRefusal = 'runs' | 'goes-live' | 'shop-files';

/** The hold when `ds` is a simulation's copy, else null (the live shop, the user's own database). */
export async function simulationCopyHold(ds: DataSource, timezone: string): Promise<SimulationCopyHold | null> {
  const runs = await simulationRunsIn(ds);
  return runs.length ? { runs, line: simulationCopyLine(runs, timezone) } : null;
}

/** "this database is a simulation's copy (payment-reminder, 2026-11-01 – 2026-11-02): nothing is sent and no journey moves". */
export function simulationCopyLine(runs: readonly SimulationRun[], timezone: string): string {
  return `this database is a simulation's copy (${runs.map((r) => `${r.flowId}, ${shopPeriod(r, timezone)}`).join('; ')}): nothing is sent and no journey moves`;
}

/** Days when both ends are the shop's midnight (`--from 2026-11-01 --days 1`), else days and times. */
function shopPeriod(r: SimulationRun, timezone: string): string {
  const [from, to] = [formatShopTime(r.from, timezone), formatShopTime(r.to, timezone)];
  const days = from.slice(11, 16) === '00:00' && to.slice(11, 16) === '00:00';
  return days ? `${from.slice(0, 10)} – ${to.slice(0, 10)}` : `${from.slice(0, 16)} – ${to.slice(0, 16)}`;
}
