/**
 * Preload for profiling the server under the events bench:
 *   BENCH_SERVER_NODE_ARGS="--import ./dist/bench/events/cpu-profile.js" CPU_PROFILE_DIR=/tmp/prof npm run bench:events
 * Starts the V8 CPU profiler in the server's main thread and in each worker thread (workers
 * inherit the preload) and writes one .cpuprofile per thread on SIGUSR2 (the bench sends it
 * before killing the server), so the profiles survive a hard stop.
 */
import { Session } from 'node:inspector';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads';

const session = new Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.setSamplingInterval', { interval: 1000 }, () => session.post('Profiler.start')));

function write(done: () => void) {
  session.post('Profiler.stop', (err, res) => {
    const dir = process.env.CPU_PROFILE_DIR ?? '.';
    mkdirSync(dir, { recursive: true });
    if (!err) writeFileSync(join(dir, `server-${process.pid}-thread${threadId}.cpuprofile`), JSON.stringify(res.profile));
    done();
  });
}

const channel = new BroadcastChannel('rekindle-cpu-profile');
if (isMainThread) {
  process.on('SIGUSR2', () => {
    channel.postMessage('write');
    write(() => setTimeout(() => process.exit(0), 3000));
  });
} else {
  channel.onmessage = () => write(() => channel.close());
  (channel as unknown as { unref(): void }).unref();
}
