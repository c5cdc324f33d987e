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

function install() {
  if (vm.SourceTextModule && !vm.SourceTextModule.rekindleCodeCache) {
    const Base = vm.SourceTextModule;
    class CachedSourceTextModule extends Base {
      constructor(code, options = {}) {
        if (!cacheable(code)) {
          super(code, options);
          return;
        }
        const key = keyOf(options.identifier ?? '', code);
        const cachedData = caches.get(key);
        super(code, cachedData ? { ...options, cachedData } : options);
        if (cachedData) stats.hits++;
        else {
          // Only before the module is evaluated (Node's rule): its top-level code and what V8
          // compiled eagerly with it.
          const data = this.createCachedData();
          caches.set(key, data);
          stats.made++;
          stats.bytes += data.length;
        }
      }
    }
    CachedSourceTextModule.rekindleCodeCache = true;
    vm.SourceTextModule = CachedSourceTextModule;
  }
  if (!vm.compileFunction.rekindleCodeCache) {
    const compileFunction = vm.compileFunction;
    const cached = function (code, params, options = {}) {
      if (!cacheable(code)) return compileFunction(code, params, options);
      const key = keyOf(`${options.filename ?? ''}\0${(params ?? []).join(',')}`, code);
      const cachedData = caches.get(key);
      const fn = compileFunction(code, params, cachedData ? { ...options, cachedData } : { ...options, produceCachedData: true });
      if (cachedData) {
        if (fn.cachedDataRejected) {
          stats.rejected++;
          caches.delete(key);
        } else stats.hits++;
      } else if (fn.cachedData) {
        caches.set(key, fn.cachedData);
        stats.made++;
        stats.bytes += fn.cachedData.length;
      }
      return fn;
    };
    cached.rekindleCodeCache = true;
    vm.compileFunction = cached;
  }
}

module.exports = { install, stats };
