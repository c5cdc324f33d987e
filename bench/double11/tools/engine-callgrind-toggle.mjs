// Preload: callgrind instrumentation on from bench/engine's "enrollment:" line to its "stepping:" line.
import { execFileSync } from 'node:child_process';
import { isMainThread } from 'node:worker_threads';
if (isMainThread) {
  const log = console.log;
  const cg = (x) => execFileSync('callgrind_control', ['-i', x, String(process.pid)], { stdio: 'ignore' });
  console.log = (...a) => { const s = String(a[0]); if (s.startsWith('enrollment:')) { log(...a); cg('on'); return; } if (s.startsWith('stepping:')) cg('off'); return log(...a); };
}
