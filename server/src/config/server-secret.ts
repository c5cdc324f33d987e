import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { dialectOf, sqliteFileOf, type DatabaseTarget } from './database-target.js';

/**
 * The server secret: 32 random bytes generated at first start and kept in a file only its owner
 * may read (0600). It keys the HMACs of CSRF tokens and of the opaque message ids handed to
 * channel providers, so nothing a client or provider sees can be derived from ids (tracked-link
 * tokens are drawn at random, core/engine/tokens.ts, and need no key). Every process of one shop
 * (server, workers, CLI) must read the same file: `REKINDLE_SECRET_FILE`, or next to the SQLite
 * database, or data/rekindle.secret.
 */
export function secretFileFor(database: DatabaseTarget, env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.REKINDLE_SECRET_FILE) return resolve(env.REKINDLE_SECRET_FILE);
  if (dialectOf(database) === 'postgres') return resolve('data/rekindle.secret');
  const file = sqliteFileOf(database);
  if (file === null) return null;
  return join(dirname(resolve(file)), 'rekindle.secret');
}

const memorySecrets = new Map<string, string>();

/** Reads the secret, creating it (0600) when missing; tightens a file others could read. */
export function loadServerSecret(file: string | null): string {
  if (file === null) {
    // An in-memory database lives as long as this process: so does its secret.
    let s = memorySecrets.get(':memory:');
    if (!s) memorySecrets.set(':memory:', (s = randomBytes(32).toString('hex')));
    return s;
  }
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    try {
      writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      // Another process of the same shop created it first: read theirs.
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new Error(`cannot create the server secret file: ${(e as Error).message}`);
    }
  }
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32) throw new Error('the server secret file is too short; delete it to have a new one generated (this signs everyone out and changes new link tokens only)');
  return secret;
}
