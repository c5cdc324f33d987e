#!/usr/bin/env -S node --max-semi-space-size=64
// The `rekindle` command. Runs the compiled CLI (npm start / npm test build it first).
// The flag (a 64 MB young generation) is what stepping commands want: `worker`, `simulate`
// (server/src/runtime/young-generation.ts says why); `npm run rekindle` passes it too.
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
