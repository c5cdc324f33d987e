import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { loadSettings, SETTINGS, settingDefault, SettingsError, type SettingName } from '../../server/src/config/settings.js';
import { loadShopConfig } from '../../server/src/config/workspace.js';
import { tempDir } from '../support/temp-dirs.js';

const ROOT = process.cwd();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? sourceFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('environment settings (config/settings.ts)', () => {
  it('gives every setting its default when nothing is set', () => {
    const s = loadSettings({});
    expect(s).toMatchObject({ PORT: 3000, HOST: '127.0.0.1', DATABASE_URL: 'data/rekindle.sqlite', REKINDLE_TICK_MS: 5000, LOG_LEVEL: 'info', LOG_FORMAT: 'auto', REKINDLE_QUIET: false, REKINDLE_READY_TICK_MAX_S: 60 });
    expect(loadSettings({ PORT: '', REKINDLE_QUIET: '' })).toMatchObject({ PORT: 3000, REKINDLE_QUIET: false });
  });

  it('names each bad setting, with what it expected and what it got, in one message', () => {
    let err: unknown;
    try {
      loadSettings({ REKINDLE_TICK_MS: 'fast', PORT: '70000', LOG_LEVEL: 'loud', REKINDLE_QUIET: 'maybe' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(SettingsError);
    const message = (err as Error).message;
    expect(message).toContain('REKINDLE_TICK_MS: expected a whole number of milliseconds (got "fast")');
    expect(message).toContain('PORT: expected a TCP port <= 65535 (got "70000")');
    expect(message).toContain('LOG_LEVEL: expected one of fatal, error, warn, info, debug, trace, silent (got "loud")');
    expect(message).toContain('REKINDLE_QUIET: expected 1/true/yes/on or 0/false/no/off (got "maybe")');
    expect(() => loadSettings({ REKINDLE_TICK_MS: '50' })).toThrow('REKINDLE_TICK_MS: expected a whole number of milliseconds >= 100 (got "50")');
  });

  it('the scrape\'s limit for reading the step queue is a setting: 1000 ms unless set, a bad value refused naming it', () => {
    expect(loadSettings({}).REKINDLE_METRICS_QUEUE_TIMEOUT_MS).toBe(1000);
    expect(loadSettings({ REKINDLE_METRICS_QUEUE_TIMEOUT_MS: '250' }).REKINDLE_METRICS_QUEUE_TIMEOUT_MS).toBe(250);
    expect(() => loadSettings({ REKINDLE_METRICS_QUEUE_TIMEOUT_MS: '1s' })).toThrow('REKINDLE_METRICS_QUEUE_TIMEOUT_MS: expected a whole number of milliseconds (got "1s")');
    expect(() => loadSettings({ REKINDLE_METRICS_QUEUE_TIMEOUT_MS: '10' })).toThrow('REKINDLE_METRICS_QUEUE_TIMEOUT_MS: expected a whole number of milliseconds >= 50 (got "10")');
    expect(() => loadSettings({ REKINDLE_METRICS_QUEUE_TIMEOUT_MS: '60000' })).toThrow(/REKINDLE_METRICS_QUEUE_TIMEOUT_MS: expected at most 30000 milliseconds/);
  });

  it('never echoes a secret in its message', () => {
    expect(() => loadSettings({ REDIS_URL: 'http://user:hunter2@redis.internal' })).toThrow(/^invalid configuration: REDIS_URL: expected a redis or rediss URL$/);
  });

  it('lists every environment variable the server and CLI read (no setting outside config/settings.ts)', () => {
    const read = new Set<string>();
    for (const f of [...sourceFiles(join(ROOT, 'server/src')), join(ROOT, 'bin/rekindle.js')]) {
      for (const m of readFileSync(f, 'utf8').matchAll(/\benv(?:\.|\[['"])([A-Z][A-Z0-9_]+)/g)) read.add(m[1]);
    }
    expect(read.size).toBeGreaterThan(10);
    expect([...read].filter((name) => !(name in SETTINGS)).sort()).toEqual([]);
  });

  it('docs/configuration.md documents every setting with its default', () => {
    const doc = readFileSync(join(ROOT, 'docs/configuration.md'), 'utf8');
    const missing = (Object.keys(SETTINGS) as SettingName[]).filter((name) => {
      const d = settingDefault(name);
      const row = doc.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      const shown = d === undefined ? '(unset)' : Array.isArray(d) && d.length === 0 ? '(none)' : `\`${String(d)}\``;
      return !row || !row.includes(shown);
    });
    expect(missing).toEqual([]);
  });

  it('the server refuses to start on a bad setting, naming it, without a stack trace', () => {
    const main = join(ROOT, 'dist/server/src/main.js');
    expect(existsSync(main)).toBe(true); // npm test builds it first
    const r = spawnSync(process.execPath, [main], { env: { ...process.env, REKINDLE_TICK_MS: 'fast', PORT: '0', DATABASE_URL: join(tempDir('rekindle-cfg-'), 'x.sqlite') }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('invalid configuration: REKINDLE_TICK_MS: expected a whole number of milliseconds (got "fast")');
  });
});

describe('rules/shop.yaml', () => {
  const rulesWith = (yaml: string) => {
    const dir = tempDir('rekindle-shop-');
    cpSync(join(ROOT, 'rules/shop.yaml'), join(dir, 'shop.yaml'));
    writeFileSync(join(dir, 'shop.yaml'), yaml);
    return dir;
  };

  it('loads the repository shop.yaml', () => {
    expect(loadShopConfig(join(ROOT, 'rules'))).toMatchObject({ timezone: 'Asia/Shanghai', currency: 'CNY', lifecycle: { activeDays: 27 } });
  });

  it('names the file, the line and the setting of a bad value or an unknown key', () => {
    expect(() => loadShopConfig(rulesWith('name: x\ntimezone: Asia/Shangai\n'))).toThrow(/shop\.yaml:2: timezone: "Asia\/Shangai" is not an IANA time zone/);
    expect(() => loadShopConfig(rulesWith('name: x\ntimezon: Asia/Shanghai\n'))).toThrow(/shop\.yaml:\d+: .*timezon/);
    expect(() => loadShopConfig(rulesWith('currency: yuan\n'))).toThrow(/shop\.yaml:1: currency: expected an ISO 4217 code/);
    expect(() => loadShopConfig(rulesWith('lifecycle:\n  activeDays: 90\n  silentDays: 30\n  sleepingDays: 400\n'))).toThrow(/shop\.yaml:\d+: lifecycle: thresholds must increase/);
  });
});
