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
