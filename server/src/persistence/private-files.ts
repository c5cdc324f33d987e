import { closeSync, openSync, statSync } from 'node:fs';

/**
 * Files holding customers' contacts, the audit log or password hashes are the owner's alone
 * (0600), like data/rekindle.secret. SQLite creates a new database with 0644 (less the umask), so
 * any local user could read it; it gives the -wal and -shm files the main file's mode, so creating
 * the empty main file 0600 before SQLite opens it keeps all three private. An existing file is not
 * changed behind the admin's back: start-up warns instead (sqliteReadableByOthers).
 */
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `file` empty with mode 0600 unless it exists; true when this call created it. */
export function createPrivateFile(file: string): boolean {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw e;
  }
}

/**
 * The warning for an existing SQLite file that other users of the machine may read (group or world
 * bits set), naming the file and the command that fixes it; null when it is private or absent.
 */
export function sqliteReadableByOthers(file: string): string | null {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return null;
  }
  if ((mode & 0o077) === 0) return null;
  return `warning: the database ${file} can be read by other users of this machine (mode ${mode.toString(8).padStart(4, '0')}): it holds customers' contacts, the audit log and password hashes. Run: chmod 600 ${file} ${file}-wal ${file}-shm`;
}
