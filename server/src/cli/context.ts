import type { Command } from 'commander';
import type { DataSource } from 'typeorm';
import type { AuditAction } from '../core/access/audit-actions.js';
import { systemClock, type Clock, fixedClock } from '../core/clock.js';
import { parseShopInstant } from '../core/shop-instant.js';
import { openWorkspace, type Workspace } from '../config/workspace.js';
import { cannotOpenDatabase, dialectOf, openDatabase, resolveDatabaseTarget, type DatabaseTarget } from '../persistence/data-source.js';
import { AuditLog } from '../persistence/audit-log.js';
import { existsSync } from 'node:fs';
import { userInfo } from 'node:os';

/** Options every command accepts (declared once on the root program). */
export interface GlobalOptions {
  db?: string;
  rules?: string;
  json?: boolean;
}

/** An error meant for the user: printed to stderr without a stack, exit code 1. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 1) {
    super(message);
  }
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

export interface CommandContext {
  database: DatabaseTarget;
  workspace: Workspace;
  json: boolean;
  clock: Clock;
}

export function commandContext(cmd: Command, at?: string): CommandContext {
  const o = globalOptions(cmd);
  const workspace = openWorkspace(o.rules);
  return {
    database: resolveDatabaseTarget(o.db),
    workspace,
    json: !!o.json,
    clock: at ? fixedClock(parseShopInstant(at, '--at', workspace.shop.timezone)) : systemClock,
  };
}

/**
 * Opens the database for the duration of `fn` and always closes it. `existing`: the command only
 * reads (or changes) a shop that must already be there. Opening a SQLite file creates it (and its
 * folders), so a mistyped --db on `segment`, `report`, `explain`… used to answer from a new empty
 * database — "0 customers" — instead of saying the path is wrong.
 */
/** The command's database, or a CLI error naming it (without its password) and --db / $DATABASE_URL. */
export async function openCliDatabase(target: DatabaseTarget): Promise<DataSource> {
  return openDatabase(target).catch((e: unknown) => {
    throw new CliError(cannotOpenDatabase(target, e, 'from --db or $DATABASE_URL'));
  });
}

export async function withDatabase<T>(ctx: Pick<CommandContext, 'database'>, fn: (ds: DataSource) => Promise<T>, o: { existing?: boolean } = {}): Promise<T> {
  if (o.existing) requireExistingDatabase(ctx.database);
  const ds = await openCliDatabase(ctx.database);
  try {
    return await fn(ds);
  } finally {
    await ds.destroy();
  }
}

/** Refuses a SQLite file that does not exist, naming --db (PostgreSQL: the server says so itself). */
export function requireExistingDatabase(target: DatabaseTarget): void {
  if (dialectOf(target) !== 'sqlite' || target.url === ':memory:' || existsSync(target.url)) return;
  throw new CliError(`--db ${target.url}: no database there; check the path (or $DATABASE_URL), or create the shop first with rekindle seed or rekindle import`);
}

/** Who ran a command, for the audit log: the operating-system account (the CLI runs with the database's keys). */
export function cliActor(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

/** Appends to the audit log (who, what, which target, what changed) as the CLI user. */
export function cliAudit(ds: DataSource, action: AuditAction, target: string, detail: Record<string, unknown> = {}, at?: number): Promise<void> {
  return new AuditLog(ds).record({ actor: cliActor(), action, target, detail, at });
}

/** Prints a result: JSON when --json, otherwise the human text. */
export function output(ctx: { json: boolean }, value: unknown, human: () => string): void {
  process.stdout.write(ctx.json ? JSON.stringify(value, null, 2) + '\n' : human() + '\n');
}
