import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Command } from 'commander';
import { SCHEMA_FILES, schemaFileText, type SchemaFileName } from '../../core/flow/json-schema.js';
import { CliError, commandContext, output } from '../context.js';
import type { RegisterCommand } from './index.js';

/**
 * `rekindle schema`: writes rules/schema/flow.schema.json and layout.schema.json from the zod
 * source, for editor autocompletion. `--check` writes nothing and fails when a file is missing
 * or out of date (CI; a test does the same for this repository).
 */
export const registerSchema: RegisterCommand = (program) => {
  program
    .command('schema')
    .description('write the JSON Schemas of flow and layout files into rules/schema/ (for editors)')
    .option('--check', 'do not write; exit 1 when a schema file is missing or out of date')
    .action((opts: { check?: boolean }, cmd: Command) => {
      const ctx = commandContext(cmd);
      const dir = join(ctx.workspace.rulesDir, 'schema');
      const files = (Object.keys(SCHEMA_FILES) as SchemaFileName[]).map((name) => {
        const file = join(dir, name);
        const text = schemaFileText(name);
        const current = existsSync(file) ? readFileSync(file, 'utf8') : null;
        return { file: relative(process.cwd(), file) || file, path: file, text, upToDate: current === text };
      });
      if (opts.check) {
        const stale = files.filter((f) => !f.upToDate);
        output(ctx, { files: files.map((f) => ({ file: f.file, upToDate: f.upToDate })) }, () =>
          files.map((f) => `${f.file}: ${f.upToDate ? 'up to date' : 'OUT OF DATE (run rekindle schema)'}`).join('\n'),
        );
        if (stale.length) throw new CliError(`${stale.length} schema file(s) out of date: run \`rekindle schema\``);
        return;
      }
      mkdirSync(dir, { recursive: true });
      for (const f of files) if (!f.upToDate) writeFileSync(f.path, f.text);
      output(ctx, { files: files.map((f) => ({ file: f.file, written: !f.upToDate })) }, () =>
        files.map((f) => `${f.file}: ${f.upToDate ? 'unchanged' : 'written'}`).join('\n'),
      );
    });
};
