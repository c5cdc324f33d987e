import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/temp-dirs.js';
// @ts-expect-error a plain .mjs set-up script without types
import * as cache from '../../scripts/native-addon-cache.mjs';

/**
 * better-sqlite3's addon kept between clones (scripts/native-addon-cache.mjs): compiling it was
 * most of a fresh clone's set-up. A cached addon must never be one built for something else,
 * and one that does not load must not stay installed.
 */
const ROOT = process.cwd();
const lock = { packages: { 'node_modules/better-sqlite3': { version: '12.11.1', integrity: 'sha512-aaa' } } };
const runtime = { abi: '115', platform: 'linux', arch: 'x64', libc: '2.36' };

/** A throwaway checkout holding better-sqlite3's JavaScript and what it requires, without its addon. */
function checkoutWithoutAddon(): string {
  const root = tempDir('rekindle-addon-');
  for (const name of ['better-sqlite3', 'bindings', 'file-uri-to-path']) {
    cpSync(join(ROOT, 'node_modules', name), join(root, 'node_modules', name), { recursive: true, filter: (src: string) => !src.includes(`${name}/build`) && !src.includes(`${name}/deps`) && !src.includes(`${name}/src`) });
  }
  return root;
}

describe('better-sqlite3 addon cache', () => {
  it('names the cached addon by package, Node ABI, platform, architecture and C library', () => {
    const name = cache.cacheFileName(lock, runtime);
    expect(cache.cacheFileName(lock, runtime)).toBe(name);
    expect(name).toMatch(/^better-sqlite3-12\.11\.1-node115-linux-x64-[0-9a-f]{16}\.node$/);
    const other = [
      cache.cacheFileName(lock, { ...runtime, abi: '127' }),
      cache.cacheFileName(lock, { ...runtime, arch: 'arm64' }),
      cache.cacheFileName(lock, { ...runtime, libc: '2.31' }),
      cache.cacheFileName({ packages: { 'node_modules/better-sqlite3': { version: '12.11.1', integrity: 'sha512-bbb' } } }, runtime),
    ];
    expect(new Set([name, ...other]).size).toBe(5);
  });

  it('runs the install scripts of the lock file, less those package.json denies', () => {
    const names = cache.packagesWithInstallScripts(
      { packages: { '': {}, 'node_modules/better-sqlite3': { hasInstallScript: true }, 'node_modules/@parcel/watcher': { hasInstallScript: true }, 'node_modules/a/node_modules/msgpackr-extract': { hasInstallScript: true }, 'node_modules/zod': {} } },
      { allowScripts: { 'better-sqlite3': true, '@parcel/watcher': false } },
    );
    expect(names.sort()).toEqual(['better-sqlite3', 'msgpackr-extract']);
  });

  it('keeps the cache outside the checkout: $REKINDLE_CACHE_DIR, else $XDG_CACHE_HOME/rekindle, else ~/.cache/rekindle', () => {
    expect(cache.cacheDir({ REKINDLE_CACHE_DIR: '/c', XDG_CACHE_HOME: '/x' })).toBe('/c');
    expect(cache.cacheDir({ XDG_CACHE_HOME: '/x' })).toBe('/x/rekindle');
    expect(cache.cacheDir({})).toMatch(/\/\.cache\/rekindle$/);
  });

  it('installs a cached addon that opens a database, and keeps a built one for the next clone', () => {
    const root = checkoutWithoutAddon();
    const cached = join(tempDir('rekindle-addon-cache-'), 'native', 'addon.node');
    expect(cache.addonWorks(root)).toBe(false);
    // "built": the project's own addon, put in place as a build would.
    mkdirSync(join(root, 'node_modules/better-sqlite3/build/Release'), { recursive: true });
    cpSync(cache.addonPath(ROOT), cache.addonPath(root));
    cache.keepAddon(root, cached);
    expect(existsSync(cached)).toBe(true);

    const clone = checkoutWithoutAddon();
    expect(cache.restoreAddon(clone, cached)).toBe(true);
    expect(cache.addonWorks(clone)).toBe(true);
  });

  it('takes out a cached file that does not load, so set-up builds the addon instead', () => {
    const root = checkoutWithoutAddon();
    const cached = join(tempDir('rekindle-addon-cache-'), 'broken.node');
    writeFileSync(cached, 'not an addon');
    expect(cache.restoreAddon(root, cached)).toBe(false);
    expect(existsSync(cache.addonPath(root))).toBe(false);
    expect(cache.restoreAddon(root, join(tempDir('rekindle-addon-cache-'), 'missing.node'))).toBe(false);
  });
});
