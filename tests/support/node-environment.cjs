/**
 * Jest's node environment, plus one thing about how a jest worker process ends.
 *
 * Jest reported "A worker process has failed to exit gracefully and has been force exited" at the
 * end of most full runs. No handle was leaking: at the end both workers held only jest's own IPC
 * pipe and stdio (process.getActiveResourcesInfo(), _getActiveHandles(), /proc/self/task, open
 * files, all checked after every file). A worker gets 500 ms to exit once jest tells it to; it
 * exits when its event loop is empty, and Node then disposes of the whole V8 heap page by page
 * before the process ends. After ~130 test files a worker's heap is 1.0-1.4 GB (each file's ESM
 * module graph in its own vm context), and disposing of it took 0.85-1.7 s at load 7-8 (a plain
 * node process with a 1.27 GB heap: 1.7 s from its 'exit' event to its end; 221 MB: 0.2 s).
 *
 * So a worker whose event loop has emptied (jest is done with it: nothing of a test is left, or
 * the loop would not be empty) ends with process.exit(), which leaves the heap to the kernel.
 * A test that does leak a handle still keeps the loop alive, 'beforeExit' never fires, and jest
 * still reports it.
 *
 * That alone did not end the warning in full runs (2 Dec 2026): the kernel still frees the pages of
 * a 1.0-1.3 GB process as it ends, 0.3-1.3 s of CPU, longer than 500 ms on a loaded machine. So
 * jest.config.js also gives a worker longer to end (workerGracefulExitTimeout).
 */
const { TestEnvironment } = require('jest-environment-node');

if (!process.rekindleQuickExit) {
  process.rekindleQuickExit = true;
  process.once('beforeExit', (code) => process.exit(code));
}

// Later test files in this worker compile the modules they share with earlier ones from V8's code
// cache (v8-code-cache.cjs); REKINDLE_CODE_CACHE=0 turns it off.
if (process.env.REKINDLE_CODE_CACHE !== '0') {
  require('./v8-code-cache.cjs').install();
}

module.exports = TestEnvironment;
