/**
 * better-sqlite3's built addon kept outside the checkout, keyed by what it was built for, so a
 * machine compiles it once and not on every fresh clone (scripts/install-dependencies.mjs says why).
 * Plain functions of paths and the lock file, so tests/install can try them on throwaway folders.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export const ADDON = 'better-sqlite3';

/** Where the installed addon sits under a checkout (better-sqlite3 loads it through `bindings`). */
export function addonPath(root) {
  return join(root, 'node_modules', ADDON, 'build', 'Release', 'better_sqlite3.node');
}

/**
 * The cached file's name: a different package (version and lock-file integrity), Node ABI,
 * platform, architecture or C library is a different file, so a stale addon is never found.
 */
export function cacheFileName(lock, runtime = currentRuntime()) {
  const entry = lock.packages[`node_modules/${ADDON}`];
  if (!entry) throw new Error(`package-lock.json has no node_modules/${ADDON}`);
  const what = [ADDON, entry.version, entry.integrity, `abi${runtime.abi}`, runtime.platform, runtime.arch, runtime.libc].join('|');
  return `${ADDON}-${entry.version}-node${runtime.abi}-${runtime.platform}-${runtime.arch}-${createHash('sha256').update(what).digest('hex').slice(0, 16)}.node`;
}

export function currentRuntime() {
  return {
    abi: process.versions.modules,
    platform: process.platform,
    arch: process.arch,
    libc: process.report?.getReport?.().header?.glibcVersionRuntime ?? 'no-glibc',
  };
}

/** $REKINDLE_CACHE_DIR, else $XDG_CACHE_HOME/rekindle, else ~/.cache/rekindle. */
export function cacheDir(env = process.env) {
  if (env.REKINDLE_CACHE_DIR) return env.REKINDLE_CACHE_DIR;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'rekindle');
}

/** The packages whose install scripts set-up runs: the lock file's that have one, less those `allowScripts` denies. */
export function packagesWithInstallScripts(lock, pkg) {
  const denied = new Set(Object.entries(pkg.allowScripts ?? {}).filter(([, allowed]) => allowed === false).map(([name]) => name));
  const names = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && p.hasInstallScript)
    .map(([path]) => path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length));
  return [...new Set(names)].filter((name) => !denied.has(name));
}

/** Whether the checkout's better-sqlite3 loads its addon and opens a database, in a process of its own. */
export function addonWorks(root) {
  const probe = `const D = require(${JSON.stringify(join(root, 'node_modules', ADDON))}); new D(':memory:').prepare('select 1').get();`;
  return spawnSync(process.execPath, ['-e', probe], { stdio: 'ignore' }).status === 0;
}

/** Copies a cached addon in; true only if it then works (one that does not is taken out again). */
export function restoreAddon(root, cached) {
  if (!existsSync(cached)) return false;
  const target = addonPath(root);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(cached, target);
  if (addonWorks(root)) return true;
  rmSync(target, { force: true });
  return false;
}

/** Keeps a freshly built, working addon for the next clone (written aside, then renamed in). */
export function keepAddon(root, cached) {
  mkdirSync(dirname(cached), { recursive: true });
  const part = `${cached}.${process.pid}.part`;
  copyFileSync(addonPath(root), part);
  renameSync(part, cached);
}
