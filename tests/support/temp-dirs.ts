import { afterAll } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Scratch folders under the system temp folder that go away with the test file that made them,
 * whether its tests passed or failed (a full run used to leave ~100 of them in /tmp).
 *
 * The hook is registered when a test file imports this module, which happens before the file's own
 * code runs, so it sits at the top level of the file: jest runs it after every describe block's
 * afterAll, i.e. once the servers, CLIs and databases that use the folders are closed. A test file
 * that closes something in a top-level afterAll of its own must call removeTempDirs() there, after
 * closing it (top-level hooks run in the order they are written).
 */
const made: string[] = [];

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

afterAll(removeTempDirs);
