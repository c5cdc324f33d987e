import { existsSync } from 'node:fs';
import { NotUtf8Error, readRulesFile } from '../text/rules-file-text.js';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ChannelsConfigError, parseChannelsConfig, type ChannelsConfig } from './config.js';

export const CHANNELS_FILE = 'channels.yaml';

/**
 * Reads `<rulesDir>/channels.yaml`; without the file every channel is outbox-only.
 * `defaultBaseUrl` (REKINDLE_PUBLIC_BASE_URL, passed in by the caller) stands in for a publicBaseUrl
 * the file does not set: `npm start` knows the demo server's own address (http://localhost:3000)
 * and says so there, instead of writing it into the shop's tracked rules file; a publicBaseUrl the
 * shop did write always wins.
 */
export function loadChannelsConfig(rulesDir: string, defaultBaseUrl: string | null = null): ChannelsConfig {
  const config = readChannelsFile(rulesDir);
  return config.publicBaseUrl || !defaultBaseUrl ? config : { ...config, publicBaseUrl: defaultBaseUrl.replace(/\/+$/, '') };
}

function readChannelsFile(rulesDir: string): ChannelsConfig {
  const file = join(rulesDir, CHANNELS_FILE);
  if (!existsSync(file)) return parseChannelsConfig({}, file);
  let raw: unknown;
  try {
    raw = parse(readRulesFile(file));
  } catch (e) {
    throw new ChannelsConfigError(e instanceof NotUtf8Error ? e.message : `${file}: not valid YAML: ${(e as Error).message}`);
  }
  return parseChannelsConfig(raw, file);
}
