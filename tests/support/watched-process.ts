import { spawn, type ChildProcess } from 'node:child_process';

/** A process a test started: what it printed so far, and its exit code once it ends. */
export interface WatchedProcess {
  child: ChildProcess;
  out: string;
  err: string;
  exited: Promise<number | null>;
}

/** Starts `node <script> …args` with `env` added to this process's environment, collecting its output. */
export function startWatched(script: string, args: string[], env: Record<string, string | undefined> = {}): WatchedProcess {
  const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  const run: WatchedProcess = { child, out: '', err: '', exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  child.stdout!.on('data', (d) => (run.out += String(d)));
  child.stderr!.on('data', (d) => (run.err += String(d)));
  return run;
}

/** Kills (SIGKILL) whichever of `runs` still run and waits for all of them to end: a test's clean-up. */
export async function endAll(runs: WatchedProcess[]): Promise<void> {
  for (const r of runs) if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
  await Promise.all(runs.map((r) => r.exited));
}
