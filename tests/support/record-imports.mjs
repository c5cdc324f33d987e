// `node --import ./tests/support/record-imports.mjs …`: appends every bare specifier the process
// (and its worker threads) import to $REKINDLE_IMPORTS_LOG, one a line. Used by start-up-modules.test.ts.
import { register } from 'node:module';

register('./record-imports-hooks.mjs', import.meta.url, { data: { log: process.env.REKINDLE_IMPORTS_LOG } });
