import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

/**
 * One headless chromium for a whole jest run, which every designer browser test connects to
 * (tests/support/designer-browser.ts) and opens its own context in: a fresh context is as clean as
 * a fresh profile (its own cookies, storage and cache), without a browser start per file. Each
 * start cost ~1.2 s on a quiet 2-core machine, 34 browser files a run; under a full run's load more.
 * A file that finds it gone (crashed or killed mid-run) starts a chromium of its own and says so.
 *
 * Jest's global set-up launches it and puts its address in REKINDLE_BROWSER_WS (jest starts its
 * workers afterwards, so they inherit it); the tear-down closes it. A run without browser files
 * (the sequencer says so: slow-first-sequencer.mjs sets REKINDLE_RUN_HAS_BROWSER_FILES) starts none.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

let server;

export async function launchSharedBrowser() {
  if (process.env.REKINDLE_RUN_HAS_BROWSER_FILES !== '1' || !existsSync(CHROMIUM)) return;
  server = await chromium.launchServer({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  process.env.REKINDLE_BROWSER_WS = server.wsEndpoint();
}

export async function closeSharedBrowser() {
  await server?.close();
  server = undefined;
}
