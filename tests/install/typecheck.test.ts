import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';

/**
 * The suite runs through ts-jest without type diagnostics (each file transpiled alone, for speed),
 * and the server's build (tsconfig.build.json) leaves tests and benches out: a type error in a
 * test or a bench passed every other check. Here the whole project is type-checked, as
 * `npm run typecheck` does, and the designer as its build does.
 */
const ROOT = process.cwd();
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

function typecheck(project: string) {
  const r = spawnSync(process.execPath, [TSC, '-p', project, '--noEmit'], { cwd: ROOT, encoding: 'utf8', timeout: 240_000 });
  return { status: r.status, errors: `${r.stdout}${r.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l)), failedToRun: r.error?.message ?? null };
}

describe('types', () => {
  it('the server, its tests and the benches type-check (tsconfig.json)', () => {
    expect(typecheck('tsconfig.json')).toEqual({ status: 0, errors: [], failedToRun: null });
  }, 240_000);

  it('the designer type-checks (designer/tsconfig.json)', () => {
    expect(typecheck('designer/tsconfig.json')).toEqual({ status: 0, errors: [], failedToRun: null });
  }, 240_000);
});
