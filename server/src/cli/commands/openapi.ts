import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { loadSettings } from '../../config/settings.js';
import { systemClock } from '../../core/clock.js';
import { CliError, commandContext, output } from '../context.js';
import type { RegisterCommand } from './index.js';

export const DEFAULT_OPENAPI_FILE = 'docs/openapi.json';

/**
 * `rekindle openapi`: writes docs/openapi.json, the OpenAPI 3.1 document of every HTTP route,
 * generated from the controllers and the zod schemas that validate requests (the server serves
 * the same document at /api/docs). It builds the app over a throw-away in-memory database, so it
 * needs no shop. `--check` writes nothing and fails when the file is missing or out of date (a
 * test does the same for this repository).
 */
export const registerOpenApi: RegisterCommand = (program) => {
  program
    .command('openapi')
    .description('write the OpenAPI 3.1 document of the HTTP API to docs/openapi.json')
    .option('--out <file>', 'where to write it', DEFAULT_OPENAPI_FILE)
    .option('--check', 'do not write; exit 1 when the file is missing or out of date')
    .action(async (opts: { out: string; check?: boolean }, cmd: Command) => {
      const ctx = commandContext(cmd);
      // The whole HTTP app (NestJS, swagger) is loaded only by this command: every other command starts without it.
      const { createApp } = await import('../../api/create-app.js');
      const { buildOpenApiDocument, openApiText } = await import('../../api/openapi/openapi-document.js');
      const settings = loadSettings({ ...process.env, LOG_LEVEL: 'silent' });
      const app = await createApp({ database: { url: ':memory:' }, rulesDir: ctx.workspace.rulesDir, clock: systemClock, schedulers: false, settings, secretFile: null });
      let text: string;
      try {
        text = openApiText(await buildOpenApiDocument(app));
      } finally {
        await app.close();
      }
      const file = resolve(opts.out);
      const shown = relative(process.cwd(), file) || file;
      const upToDate = existsSync(file) && readFileSync(file, 'utf8') === text;
      const operations = Object.values(JSON.parse(text).paths as Record<string, object>).reduce<number>((n, item) => n + Object.keys(item).length, 0);
      if (opts.check) {
        output(ctx, { file: shown, upToDate, operations }, () => `${shown}: ${upToDate ? 'up to date' : 'OUT OF DATE (run rekindle openapi)'}`);
        if (!upToDate) throw new CliError(`${shown} is out of date: run \`rekindle openapi\``);
        return;
      }
      if (!upToDate) {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, text);
      }
      output(ctx, { file: shown, written: !upToDate, operations }, () => `${shown}: ${upToDate ? 'unchanged' : 'written'} (${operations} operations)`);
    });
};
