import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/temp-dirs.js';

/**
 * A clone must install with `npm ci` and set-up must leave the checkout clean (issue 14). These
 * checks run in temporary directories, never on the project's own node_modules.
 */
const ROOT = process.cwd();

/** `npm ci --dry-run` on package.json + package-lock.json alone: the check a fresh clone's install makes. */
function npmCiDryRun(packageJson: string, lockJson: string) {
  const dir = tempDir('rekindle-npm-ci-');
  writeFileSync(join(dir, 'package.json'), packageJson);
  writeFileSync(join(dir, 'package-lock.json'), lockJson);
  // --offline with an empty cache: a complete lock file needs no registry to be checked.
  return spawnSync('npm', ['ci', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--offline', '--cache', join(dir, '.npm-cache')], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 120_000,
  });
}

describe('reproducible install', () => {
  const packageJson = readFileSync(join(ROOT, 'package.json'), 'utf8');
  const lockJson = readFileSync(join(ROOT, 'package-lock.json'), 'utf8');

  it('npm ci accepts the committed lock file (package.json and package-lock.json are in sync)', () => {
    const r = npmCiDryRun(packageJson, lockJson);
    expect({ status: r.status, errors: r.stderr.split('\n').filter((l) => l.startsWith('npm error')) }).toEqual({ status: 0, errors: [] });
  });

  it('the same check refuses a lock file that misses an optional platform package', () => {
    const lock = JSON.parse(lockJson) as { packages: Record<string, unknown> };
    const optional = Object.keys(lock.packages).find((k) => k.includes('@unrs/resolver-binding-'));
    expect(optional).toBeDefined();
    delete lock.packages[optional!];
    const r = npmCiDryRun(packageJson, JSON.stringify(lock, null, 2));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('in sync');
  });

  it('set-up installs only with `npm ci` (never `npm install`, which rewrites the lock file)', () => {
    const code = (file: string) =>
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .filter((l) => !/^\s*(#|\/\/|\*|\/\*)/.test(l))
        .join('\n');
    const setup = code('scripts/setup.sh');
    // setup.sh installs through scripts/install-dependencies.mjs (npm ci, then the install scripts).
    expect(setup).toMatch(/node scripts\/install-dependencies\.mjs/);
    const install = code('scripts/install-dependencies.mjs');
    expect(install).toMatch(/\['ci', '--ignore-scripts'\]/);
    for (const text of [setup, install]) {
      expect(text).not.toMatch(/npm (install|i|update)\b/);
      expect(text).not.toMatch(/\['(install|i|update)'/);
    }
  });
});

describe('scripts/worktree-snapshot.sh (npm test compares the tree before and after set-up)', () => {
  /** A throwaway git repository holding a copy of the snapshot script. */
  function repo() {
    const dir = tempDir('rekindle-snapshot-');
    mkdirSync(join(dir, 'scripts'));
    copyFileSync(join(ROOT, 'scripts/worktree-snapshot.sh'), join(dir, 'scripts/worktree-snapshot.sh'));
    chmodSync(join(dir, 'scripts/worktree-snapshot.sh'), 0o755);
    writeFileSync(join(dir, '.gitignore'), 'dist/\n');
    writeFileSync(join(dir, 'package-lock.json'), '{"v":1}\n');
    writeFileSync(join(dir, 'README.md'), 'hello\n');
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, encoding: 'utf8' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.invalid', 'commit', '-qm', 'init');
    const snapshot = () => execFileSync('bash', ['scripts/worktree-snapshot.sh'], { cwd: dir, encoding: 'utf8' });
    return { dir, snapshot };
  }

  it('is empty on a clean checkout and ignores ignored build output', () => {
    const { dir, snapshot } = repo();
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist/main.js'), 'x');
    expect(snapshot()).toBe('');
  });

  it('sees a rewritten tracked file even when the tree was already dirty', () => {
    const { dir, snapshot } = repo();
    writeFileSync(join(dir, 'README.md'), 'edited by the developer\n'); // dirty before set-up
    const before = snapshot();
    writeFileSync(join(dir, 'package-lock.json'), '{"v":2}\n'); // what a stray `npm install` does
    const after = snapshot();
    expect(after).not.toBe(before);
    expect(after).toContain('package-lock.json');
    // A file that was dirty before and is rewritten again by set-up also counts.
    const before2 = snapshot();
    writeFileSync(join(dir, 'README.md'), 'rewritten by set-up\n');
    expect(snapshot()).not.toBe(before2);
  });

  it('tolerates a dirty tree that set-up leaves alone, and sees new unignored files', () => {
    const { dir, snapshot } = repo();
    writeFileSync(join(dir, 'README.md'), 'edited\n');
    const before = snapshot();
    expect(snapshot()).toBe(before);
    writeFileSync(join(dir, 'stray.txt'), 'left by set-up');
    expect(snapshot()).toContain('stray.txt');
  });
});

describe('the repository is self-contained', () => {
  it('no file of the repository reaches outside the repository for data (a clone has no ../shared)', () => {
    const r = spawnSync('git', ['grep', '--untracked', '-n', '-I', '-F', '-e', '../shared', '-e', '/work/shared', '--', '.', ':!tests/install/install-reproducible.test.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    // git grep exits 1 when nothing is found; the hits name file:line.
    expect({ hits: r.stdout, status: r.status }).toEqual({ hits: '', status: 1 });
  });
});
