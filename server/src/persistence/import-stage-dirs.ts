import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PREFIX = 'rekindle-import-stage-';

/**
 * A directory for one import's staged-order files (importer.ts), named for the process that
 * writes it. An import ends by removing its directory whatever ends it, except a kill -9 or a
 * power cut: then the next import in `parent` removes the directories whose process is gone
 * (up to two files of ~6 MB each), so killed imports do not pile up in the temp directory.
 */
export function makeStageDir(parent: string): string {
  sweepOrphanStageDirs(parent);
  return mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
}

/** Removes stage directories in `parent` left by processes that no longer run; returns their names. */
export function sweepOrphanStageDirs(parent: string): string[] {
  let names: string[];
  try {
    names = readdirSync(parent);
  } catch {
    return []; // the caller's mkdtemp says what is wrong with the directory
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = ownerOf(name);
    if (pid === null || pid === process.pid || running(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The pid in `rekindle-import-stage-<pid>-XXXXXX`; null for any other name (never touched). */
function ownerOf(name: string): number | null {
  const m = /^rekindle-import-stage-(\d+)-[A-Za-z0-9]{6}$/.exec(name);
  return m ? Number(m[1]) : null;
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs under another user; only "no such process" makes it an orphan.
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
