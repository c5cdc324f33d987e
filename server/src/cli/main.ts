import 'reflect-metadata';
import { Command, CommanderError } from 'commander';
import { loadSettings, setting } from '../config/settings.js';
import { COMMANDS } from './commands/index.js';
import { CliError } from './context.js';

export function buildProgram(): Command {
  const program = new Command('rekindle')
    .description('Rekindle: repeat-customer marketing engine (segments, journeys, experiments)')
    .option('--db <file|url>', 'SQLite file or postgres:// URL (default: $DATABASE_URL or data/rekindle.sqlite)')
    .option('--rules <dir>', "the shop's rules folder (default: $REKINDLE_RULES or ./rules)")
    .option('--json', 'machine-readable output')
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

export async function run(argv: string[]): Promise<number> {
  try {
    // Every setting is validated before a command runs; a bad one is named (config/settings.ts).
    loadSettings();
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    // The reader went away (`rekindle export customers | head`): what it wanted was written, as
    // with `cat | head`; an "error: write EPIPE" would only alarm.
    if (brokenPipe(e)) return 0;
    if (e instanceof CliError) {
      process.stderr.write(`error: ${e.message}\n`);
      return e.exitCode;
    }
    process.stderr.write(`error: ${e instanceof Error ? (setting('REKINDLE_DEBUG') ? e.stack : e.message) : String(e)}\n`);
    return 1;
  }
}

function brokenPipe(e: unknown): boolean {
  return (e as { code?: unknown } | null)?.code === 'EPIPE';
}
