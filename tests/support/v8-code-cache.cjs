/**
 * V8's code cache for the modules a jest worker loads, kept in the worker's memory.
 *
 * Jest runs every test file in a fresh vm context and compiles every module of the file's graph
 * again there: an app-booting file imports ~2,100 modules, and V8 compiling them was ~12% of such
 * a file's CPU (profiled, bench/README.md forty-sixth wave). Node cannot hand a module from one
 * context to another, but V8 can start a module's compile from the code cache of the same source
 * compiled before. So the first file a worker runs compiles as before and keeps each module's code
 * cache here; every later file in that worker passes it back (vm's `cachedData`).
 *
 * The cache is keyed by the module's path and a hash of its (transformed) source: V8's own check of
 * a code cache compares the source's length, not its text.
 *
 * Measured (5 Dec 2026, one worker, `--runInBand`, turns off/on): tests/unit 62.9 / 54.5 s against
 * 46.8 / 48.9 s, tests/security 40.4 / 39.9 s against 36.3 / 36.9 s. In a full `npm test` on three
 * workers the difference is inside the run-to-run spread (576 against 572 s): most of that wall is
 * files waiting on the servers, workers and browser they start, which compile in processes of their own.
 */
const vm = require('node:vm');
const { createHash } = require('node:crypto');

const caches = new Map();
/** What this worker did: modules compiled from a cache, caches made, caches V8 refused, bytes kept. */
const stats = { hits: 0, made: 0, rejected: 0, bytes: 0 };

function keyOf(identifier, code) {
  return `${identifier}\0${createHash('sha1').update(code).digest('base64')}`;
}

/**
 * A module compiled from a code cache loses vm's dynamic-import callback (Node 20: "A dynamic import
 * callback was not specified" from NestFactory's `import('@nestjs/platform-express')`), so a source
 * that may call `import()` is compiled as before.
 */
function cacheable(code) {
  return !code.includes('import(');
}

/**
 * V8 refuses every cache made before a test changed V8's flags (stepper-working-copies.test.ts sets
 * --allow-natives-syntax): then all of them are dropped and made again.
 */
function refused() {
  stats.rejected++;
  stats.bytes = 0;
  caches.clear();
}

function keep(key, data) {
  caches.set(key, data);
  stats.made++;
  stats.bytes += data.length;
}

function install() {
  if (vm.SourceTextModule && !vm.SourceTextModule.rekindleCodeCache) {
    const SourceTextModule = vm.SourceTextModule;
    // A function, not a subclass, so that a refused cache can be followed by a second construction;
    // `new` returns the module it made and `instanceof` still holds (same prototype).
    const CachedSourceTextModule = function (code, options = {}) {
      if (!cacheable(code)) return new SourceTextModule(code, options);
      const key = keyOf(options.identifier ?? '', code);
      const cachedData = caches.get(key);
      if (cachedData) {
        try {
          const module = new SourceTextModule(code, { ...options, cachedData });
          stats.hits++;
          return module;
        } catch (e) {
          if (e?.code !== 'ERR_VM_MODULE_CACHED_DATA_REJECTED') throw e;
          refused();
        }
      }
      const module = new SourceTextModule(code, options);
      // Only before the module is evaluated (Node's rule): its top-level code and what V8
      // compiled eagerly with it.
      keep(key, module.createCachedData());
      return module;
    };
    CachedSourceTextModule.prototype = SourceTextModule.prototype;
    CachedSourceTextModule.rekindleCodeCache = true;
    vm.SourceTextModule = CachedSourceTextModule;
  }
  if (!vm.compileFunction.rekindleCodeCache) {
    const compileFunction = vm.compileFunction;
    const cached = function (code, params, options = {}) {
      if (!cacheable(code)) return compileFunction(code, params, options);
      const key = keyOf(`${options.filename ?? ''}\0${(params ?? []).join(',')}`, code);
      const cachedData = caches.get(key);
      if (cachedData) {
        const fn = compileFunction(code, params, { ...options, cachedData });
        // A refused cache still compiles (from the source); the next file's makes a new one.
        if (fn.cachedDataRejected) refused();
        else stats.hits++;
        return fn;
      }
      const fn = compileFunction(code, params, { ...options, produceCachedData: true });
      if (fn.cachedData) keep(key, fn.cachedData);
      return fn;
    };
    cached.rekindleCodeCache = true;
    vm.compileFunction = cached;
  }
}

module.exports = { install, stats };
