/**
 * A restart after a crash is as fast as the server's start-up, which is mostly module loading.
 * What only a few requests or one mode use is loaded when first used: @nestjs/swagger (with the
 * ~430 modules of es-toolkit it imports) when the OpenAPI document is first asked for, BullMQ only
 * with REKINDLE_STEP_QUEUE=bullmq, stdlib's distributions on an experiment report or a BG/NBD fit.
 * Together they were a fifth of the start-up's CPU. Runs the built server (`npm test` builds it first).
 */
import { spawn } from 'node:child_process';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { freePort, serverReady } from '../support/server-process.js';
import { tempDir } from '../support/temp-dirs.js';

describe('server start-up', () => {
  it('reaches /api/health without loading @nestjs/swagger, BullMQ or stdlib; the API document then loads swagger', async () => {
    const dir = tempDir('rekindle-start-up-');
    const rules = join(dir, 'rules');
    cpSync('rules', rules, { recursive: true });
    const log = join(dir, 'imports.log');
    writeFileSync(log, '');
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const child = spawn(process.execPath, ['--import', './tests/support/record-imports.mjs', 'dist/server/src/main.js'], {
      env: { ...process.env, DATABASE_URL: join(dir, 'shop.sqlite'), REKINDLE_RULES: rules, REKINDLE_DEMO_CUSTOMERS: '50', PORT: String(port), REKINDLE_QUIET: '1', REKINDLE_IMPORTS_LOG: log, REKINDLE_STEP_QUEUE: 'in-process' },
      stdio: 'ignore',
    });
    try {
      await serverReady(base, child);
      const atReady = new Set(readFileSync(log, 'utf8').split('\n'));
      // The hook sees the server's imports (the check that it works at all).
      expect(atReady).toContain('@nestjs/core');
      expect(atReady).toContain('typeorm');
      expect([...atReady].filter((s) => /^@nestjs\/swagger|^es-toolkit|^bullmq|^@nestjs\/bullmq|^ioredis|^@stdlib\//.test(s))).toEqual([]);
      expect((await fetch(`${base}/api/docs/openapi.json`)).status).toBe(200);
      expect(readFileSync(log, 'utf8').split('\n')).toContain('@nestjs/swagger');
    } finally {
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await gone;
    }
  }, 60_000);
});
