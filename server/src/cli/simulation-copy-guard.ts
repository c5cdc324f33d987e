import { existsSync } from 'node:fs';
import type { DataSource } from 'typeorm';
import { dialectOf, shownDatabaseUrl } from '../persistence/data-source.js';
import { simulationCopyHold, type CopyRefusal } from '../runtime/simulation-copy-hold.js';
import { CliError, openCliDatabase, withDatabase, type CommandContext } from './context.js';

/**
 * The CLI's side of what a server on a simulation's copy refuses (api/simulation-copy/nothing-runs-on-a-copy.ts):
 * the commands that change what runs (`flows publish|pause|resume|stop`: `goes-live`) or that move
 * journeys and send (`worker`, `scheduler`: `runs`) refuse a database `rekindle simulate --copy-of`
 * marked, before they write anything. On a copy they "succeeded" — a version, an audit entry
 * "published", a flow paused — in a rehearsal file where nothing runs, and a marketer took the
 * journey for live. Whether the database is a copy is decided in one place
 * (runtime/simulation-copy-hold.ts); every such command asks it here, so they say it alike.
 * Reading (validate, report, export, audit, explain, segment, `flows list`) and `simulate` itself
 * (which records a further run on a copy) never ask.
 */
export interface CopyRefusedCommand {
  /** As the user would type it: `rekindle flows publish payment-reminder`. */
  command: string;
  /** A command never writes the shop's rule files through a copy's database (`shop-files` is the server's). */
  refused: Exclude<CopyRefusal, 'shop-files'>;
}

/**
 * "rekindle flows publish winback is refused: data/sim.sqlite is a simulation's copy (…): nothing is
 * sent and no journey moves; …": what was refused, which file, that nothing was written, and how a
 * file that really is a shop now is unmarked — said with what unmarking does, so it is not done by a slip.
 */
export function copyRefusalMessage(what: CopyRefusedCommand, db: string, line: string): string {
  const copy = line.replace(/^this database is/, `${db} is`);
  const why =
    what.refused === 'goes-live'
      ? `a journey published, paused, resumed or stopped in it would run nowhere: do it on the live shop's database`
      : 'nothing is stepped, planned or sent from it';
  return `${what.command} ${what.refused === 'goes-live' ? 'is refused' : 'does not run'}: ${copy}; ${why}. Nothing was written. Only if ${db} is a real shop now (a copy promoted, or marked by mistake): rekindle simulate unmark --db ${db} --yes — a server on it then sends its queued messages to the real customers in it`;
}

/**
 * Throws the CLI error when the command's database is a simulation's copy. `ds`: the database the
 * command already opened; without it the database is opened for the question and closed again — for
 * `worker` and `scheduler`, which ask before they refuse a SQLite file, so a copy is said as a copy
 * and not as "give a postgres:// URL". A SQLite file that is not there is no copy (and is not made).
 */
export async function refuseOnASimulationCopy(ctx: Pick<CommandContext, 'database' | 'workspace'>, what: CopyRefusedCommand, ds?: DataSource): Promise<void> {
  if (!ds) {
    const target = ctx.database;
    if (dialectOf(target) === 'sqlite' && (target.url === ':memory:' || !existsSync(target.url))) return;
    return withDatabase(ctx, (opened) => refuseOnASimulationCopy(ctx, what, opened));
  }
  const hold = await simulationCopyHold(ds, ctx.workspace.shop.timezone);
  if (hold) throw new CliError(copyRefusalMessage(what, shownDatabaseUrl(ctx.database.url), hold.line));
}

/**
 * `worker` and `scheduler`: the copy check, then the PostgreSQL database they run on, opened once —
 * they opened it for the check, closed it and opened it again (two pools, two connection set-ups
 * at every start). A SQLite file is only checked (so a copy is said as a copy) and null returned:
 * the command refuses SQLite next, saying why. Refused, the database is closed before the error.
 */
export async function openToRunUnlessACopy(ctx: Pick<CommandContext, 'database' | 'workspace'>, what: CopyRefusedCommand): Promise<DataSource | null> {
  if (dialectOf(ctx.database) !== 'postgres') {
    await refuseOnASimulationCopy(ctx, what);
    return null;
  }
  const ds = await openCliDatabase(ctx.database);
  try {
    await refuseOnASimulationCopy(ctx, what, ds);
  } catch (e) {
    await ds.destroy();
    throw e;
  }
  return ds;
}
