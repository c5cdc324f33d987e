#!/usr/bin/env node
// The `rekindle` command. Runs the compiled CLI (npm start / npm test build it first).
// Stepping and import commands (`worker`, `simulate`, `import`) want a 64 MB young generation, which only node's own
// flag sets: `npm run rekindle` passes it, or NODE_OPTIONS=--max-semi-space-size=64 (not on this
// line: `env -S` is missing from busybox and older coreutils; server/src/runtime/young-generation.ts).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const entry = join(root, 'dist/server/src/cli/main.js');
if (!existsSync(entry)) {
  process.stderr.write('rekindle is not built yet: run `npm run build` (npm start and npm test do it for you)\n');
  process.exit(1);
}
const { run } = await import(entry);
process.exitCode = await run(process.argv);
