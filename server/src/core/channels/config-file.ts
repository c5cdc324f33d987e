import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ChannelsConfigError, parseChannelsConfig, type ChannelsConfig } from './config.js';

export const CHANNELS_FILE = 'channels.yaml';

/** Reads `<rulesDir>/channels.yaml`; without the file every channel is outbox-only. */
export function loadChannelsConfig(rulesDir: string): ChannelsConfig {
  const file = join(rulesDir, CHANNELS_FILE);
  if (!existsSync(file)) return parseChannelsConfig({}, file);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new ChannelsConfigError(`${file}: not valid YAML: ${(e as Error).message}`);
  }
  return parseChannelsConfig(raw, file);
}
