import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { tempDir } from '../support/temp-dirs.js';

/**
 * The suite's jest workers compile a module they compiled for an earlier test file from V8's code
 * cache (tests/support/v8-code-cache.cjs, installed by the test environment). These run it in a
 * plain node process, as jest's runtime uses vm: a later file gets the same module, a changed
 * source is never served an old cache, and a module that imports dynamically still can.
 */
const HELPER = join(process.cwd(), 'tests/support/v8-code-cache.cjs');

function run(script: string): Record<string, unknown> {
  const file = join(tempDir('rekindle-code-cache-'), 'probe.mjs');
  writeFileSync(file, `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst cc = require(${JSON.stringify(HELPER)});\ncc.install();\nconst vm = require('node:vm');\n${script}`);
  const out = execFileSync(process.execPath, ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', file], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** Evaluates an ES module's source in a fresh context, as jest does for each test file; its `value` export. */
const EVALUATE = `
async function evaluate(source, identifier = '/src/a.js') {
  const context = vm.createContext({});
  const m = new vm.SourceTextModule(source, { context, identifier, importModuleDynamically: (s) => import(s) });
  await m.link(() => { throw new Error('no imports here'); });
  await m.evaluate();
  return m.namespace.value instanceof Promise ? await m.namespace.value : m.namespace.value;
}
`;

describe('V8 code cache for the jest workers', () => {
  it('compiles a module seen by an earlier file from its cache, with the same result', () => {
    const r = run(`${EVALUATE}
const source = 'export const value = [1, 2, 3].map((x) => x * 2).join();';
const first = await evaluate(source);
const second = await evaluate(source);
console.log(JSON.stringify({ first, second, ...cc.stats }));`);
    expect(r).toMatchObject({ first: '2,4,6', second: '2,4,6', made: 1, hits: 1 });
  });

  it('never serves a changed source the cache of the old one, even of the same length and path', () => {
    const r = run(`${EVALUATE}
const before = await evaluate('export const value = [1, 2, 3].map((x) => x * 2).join();');
const after = await evaluate('export const value = [3, 2, 1].map((x) => x * 2).join();');
console.log(JSON.stringify({ before, after, ...cc.stats }));`);
    expect(r).toMatchObject({ before: '2,4,6', after: '6,4,2', made: 2, hits: 0 });
  });

  it("leaves a module that calls import() to compile as before, so its import still works (Node 20 loses vm's callback with a cache)", () => {
    const r = run(`${EVALUATE}
const source = "export const value = import('node:path').then((p) => p.basename('/a/b.txt'));";
const first = await evaluate(source);
const second = await evaluate(source);
console.log(JSON.stringify({ first, second, ...cc.stats }));`);
    expect(r).toMatchObject({ first: 'b.txt', second: 'b.txt', made: 0, hits: 0 });
  });

  it('drops every cache once a test changes V8\'s flags (V8 refuses them) and goes on compiling', () => {
    const r = run(`${EVALUATE}
const source = 'export const value = [1, 2, 3].map((x) => x * 2).join();';
const body = 'return [a, b].join("+");';
const before = [await evaluate(source), vm.compileFunction(body, ['a', 'b'], { filename: '/src/c.cjs' })('x', 'y')];
require('node:v8').setFlagsFromString('--allow-natives-syntax');
const after = [await evaluate(source), vm.compileFunction(body, ['a', 'b'], { filename: '/src/c.cjs' })('x', 'y')];
const again = await evaluate(source);
console.log(JSON.stringify({ before, after, again, ...cc.stats }));`);
    expect(r).toMatchObject({ before: ['2,4,6', 'x+y'], after: ['2,4,6', 'x+y'], again: '2,4,6', rejected: 1, made: 4, hits: 1 });
  });

  it('caches a CommonJS module body (vm.compileFunction) the same way', () => {
    const r = run(`
const body = 'return module.exports = [a, b].join("+");';
const results = [1, 2].map(() => vm.compileFunction(body, ['module', 'a', 'b'], { filename: '/src/c.cjs' })({}, 'x', 'y'));
const other = vm.compileFunction(body.replace('+', '-'), ['module', 'a', 'b'], { filename: '/src/c.cjs' })({}, 'x', 'y');
console.log(JSON.stringify({ results, other, ...cc.stats }));`);
    expect(r).toMatchObject({ results: ['x+y', 'x+y'], other: 'x-y', made: 2, hits: 1, rejected: 0 });
  });
});
