#!/usr/bin/env node
/**
 * `npm ci` for scripts/setup.sh, with better-sqlite3's native addon taken from a cache outside
 * the checkout when this machine has built the same one before (scripts/native-addon-cache.mjs).
 *
 * Why: npm cannot download better-sqlite3's prebuilt addon here (prebuild-install reaches for
 * github.com), so every fresh clone compiled SQLite from source: ~130 s of one core, most of a
 * fresh clone's set-up and of CI's time before the first test (4 Dec 2026: `npm ci` 162-167 s,
 * 128-132 s of it user CPU in that one compile; with the addon cached, 40 s of CPU in all).
 *
 * How: `npm ci --ignore-scripts` installs exactly the committed lock file; then the packages' own
 * install scripts run (`npm rebuild <names>`), except better-sqlite3's when the cache holds an
 * addon built for the same package, Node ABI, platform, architecture and C library and that
 * addon opens a database. A miss, or a cached copy that does not load, builds it the usual way,
 * and a good build is kept for the next clone.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADDON, addonWorks, cacheDir, cacheFileName, keepAddon, packagesWithInstallScripts, restoreAddon } from './native-addon-cache.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const npm = (args) => execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd: root, stdio: 'inherit' });

const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const withScripts = packagesWithInstallScripts(lock, pkg);

npm(['ci', '--ignore-scripts']);

const cached = join(cacheDir(), 'native', cacheFileName(lock));
const restored = withScripts.includes(ADDON) && restoreAddon(root, cached);
if (restored) console.log(`    ${ADDON}: the addon this machine built before (${cached})`);

const toRun = withScripts.filter((name) => !(restored && name === ADDON));
if (toRun.length > 0) npm(['rebuild', ...toRun]);

if (!restored && withScripts.includes(ADDON) && addonWorks(root)) {
  try {
    keepAddon(root, cached);
  } catch (e) {
    // A cache that cannot be written only means the next clone compiles again.
    console.log(`    (could not keep ${ADDON}'s addon for the next clone: ${e.message})`);
  }
}
