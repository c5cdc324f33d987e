import type { ChildProcess } from 'node:child_process';

/** A TCP port on 127.0.0.1 that was free a moment ago (shared with the benches). */
export { freePort } from '../../bench/support/free-port.js';

/** Resolves once the server process a test spawned answers /api/health (fails if it exits or takes over 60 s: a loaded 2-core machine took over 30 s). */
export async function serverReady(base: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${base}/api/health`)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 30));
  }
  throw new Error('server did not become ready');
}

/**
 * Starts the built server (`dist/server/src/main.js`, which `npm test` builds first) with `env`
 * added to this process's environment and PORT 0, and returns what it printed up to and including
 * its "Rekindle is running" line; the server is stopped (SIGTERM) before this returns. Fails if it
 * exits first or is not running within 60 s.
 */
export async function startUpLines(env: Record<string, string>): Promise<{ out: string; err: string }> {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const child = spawn(process.execPath, [join(process.cwd(), 'dist/server/src/main.js')], { env: { ...process.env, PORT: '0', REKINDLE_QUIET: '0', NODE_ENV: 'production', ...env } });
  let out = '';
  let err = '';
  child.stdout.on('data', (b) => (out += b));
  child.stderr.on('data', (b) => (err += b));
  try {
    await new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`not running after 60 s:\n${out}\n${err}`)), 60_000);
      child.stdout.on('data', () => /Rekindle is running/.test(out) && (clearTimeout(timer), done()));
      child.on('exit', (code) => (clearTimeout(timer), fail(new Error(`exited ${code}:\n${err}`))));
    });
  } finally {
    child.kill('SIGTERM');
  }
  return { out, err };
}
