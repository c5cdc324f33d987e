import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/temp-dirs.js';

/**
 * How the suite's jest workers end (jest.config.js's workerGracefulExitTimeout). At the end of a
 * full run a worker held a 1.6-1.8 GB heap; ending such a process costs 0.3-1.3 s of CPU (the kernel
 * freeing its pages), which on a loaded 2-core machine took longer than jest's default 500 ms, so
 * jest printed "A worker process has failed to exit gracefully" though nothing leaked. These run
 * a small jest with the project's own settings: a worker that takes seconds to end is waited for,
 * and a worker that never ends (a test's interval left running) is still reported.
 */
const ROOT = process.cwd();
const WARNING = 'A worker process has failed to exit gracefully';

/** A temp dir of plain-JS test files, run by jest with this project's config (other than where the tests are). */
async function runJest(files: Record<string, string>) {
  const dir = tempDir('rekindle-jest-end-');
  mkdirSync(join(dir, 'tests'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'tests', name), text);
  const project = (await import(pathToFileURL(join(ROOT, 'jest.config.js')).href)).default;
  const config = {
    ...project,
    rootDir: dir,
    roots: ['<rootDir>/tests'],
    testMatch: ['**/*.test.cjs'],
    extensionsToTreatAsEsm: [],
    moduleNameMapper: {},
    transform: {},
    testEnvironment: join(ROOT, 'tests/support/node-environment.cjs'),
    testSequencer: join(ROOT, 'tests/support/slow-first-sequencer.mjs'),
    globalSetup: join(ROOT, 'tests/support/global-setup.mjs'),
    globalTeardown: join(ROOT, 'tests/support/global-teardown.mjs'),
    cacheDirectory: join(dir, 'cache'),
  };
  writeFileSync(join(dir, 'jest.config.json'), JSON.stringify(config));
  const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
  const child = spawn(process.execPath, [jest, '--config', join(dir, 'jest.config.json')], { cwd: dir, env: { ...process.env, FORCE_COLOR: '0' } });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const status = await new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { status, output };
}

/** A test environment (the project's) whose worker process takes `ms` to end once jest is done with it. */
function slowEndEnvironment(ms: number) {
  return `const Base = require(${JSON.stringify(join(ROOT, 'tests/support/node-environment.cjs'))});
if (!process.slowEnd) {
  process.slowEnd = true;
  // What freeing a large heap costs a worker at its end, as a plain wait.
  process.on('exit', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ${ms}));
}
module.exports = Base;
`;
}

describe("jest's workers at the end of a run", () => {
  it('a worker that takes 2 s to end (a large heap on a loaded machine) is not reported as failing to exit', async () => {
    const { status, output } = await runJest({
      'slow-env.cjs': slowEndEnvironment(2000),
      'a.test.cjs': `/** @jest-environment ./tests/slow-env.cjs */\ntest('a', () => {});\n`,
      'b.test.cjs': `/** @jest-environment ./tests/slow-env.cjs */\ntest('b', () => {});\n`,
    });
    expect({ status, warned: output.includes(WARNING), passed: /Tests:\s+2 passed/.test(output) }).toEqual({ status: 0, warned: false, passed: true });
  }, 60_000);

  it('a worker that never ends (a test left an interval running) is still reported', async () => {
    const { status, output } = await runJest({
      'a.test.cjs': `test('leaves an interval running', () => { setInterval(() => {}, 1000); });\n`,
      'b.test.cjs': `test('b', () => {});\n`,
    });
    expect({ status, warned: output.includes(WARNING) }).toEqual({ status: 0, warned: true });
  }, 60_000);
});
