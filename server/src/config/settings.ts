import { z } from 'zod';

/**
 * Every setting the server reads from the environment, in one validated place. rules/shop.yaml
 * (the shop's own settings, kept in git) is validated by `ShopConfigSchema` in core/shop-config.ts;
 * docs/configuration.md lists both, each with its default. Nothing else in the server reads
 * `process.env` for its own settings (channel secrets are read by the variable names that
 * rules/channels.yaml gives, see core/channels/registry.ts).
 *
 * A bad value stops start-up with a message naming the variable, e.g.
 * `REKINDLE_TICK_MS: expected a whole number of milliseconds >= 100 (got "fast")`.
 */
const wholeNumber = (what: string, min: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, { error: `expected ${what}` })
    .transform(Number)
    .pipe(z.number().int().min(min, { error: `expected ${what} >= ${min}` }));

const flag = z
  .enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off', ''], { error: 'expected 1/true/yes/on or 0/false/no/off' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One entry per environment variable: its schema (with its default) and what it does. */
export const SETTINGS = {
  PORT: { schema: wholeNumber('a TCP port number', 0).pipe(z.number().max(65535, { error: 'expected a TCP port <= 65535' })).default(3000), doc: 'HTTP port of `npm start` / `npm run serve`.' },
  HOST: { schema: z.string().min(1).default('127.0.0.1'), doc: 'Address the server listens on: this machine only by default; `0.0.0.0` behind a TLS proxy.' },
  DATABASE_URL: { schema: z.string().min(1).default('data/rekindle.sqlite'), doc: '`postgres://…` for PostgreSQL; otherwise the SQLite file (`--db` of the CLI wins over it).' },
  REKINDLE_RULES: { schema: z.string().min(1).default('rules'), doc: "The shop's rules folder (shop.yaml, segments/, flows/, policy.yaml, channels.yaml, lists/)." },
  REKINDLE_TICK_MS: { schema: wholeNumber('a whole number of milliseconds', 100).default(5000), doc: 'How often the server runs due entries and steps due journeys.' },
  REKINDLE_OUTBOX_MS: { schema: wholeNumber('a whole number of milliseconds', 100).default(5000), doc: 'How often the server dispatches the outbox to the channels.' },
  REKINDLE_DEMO_CUSTOMERS: { schema: wholeNumber('a whole number of customers', 1).default(20000), doc: '`npm start` seeds a demo shop of this many customers into an empty database.' },
  LOG_LEVEL: { schema: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'), doc: 'Lowest level written to the log.' },
  LOG_FORMAT: { schema: z.enum(['auto', 'json', 'pretty'], { error: 'expected auto, json or pretty' }).default('auto'), doc: '`auto`: pretty (pino-pretty) when stdout is a terminal and NODE_ENV is not production, JSON lines otherwise.' },
  NODE_ENV: { schema: z.string().default('development'), doc: '`production` forces JSON logs under `LOG_FORMAT=auto`.' },
  REKINDLE_QUIET: { schema: flag.default(false), doc: 'Only errors in the log (the tests set it).' },
  REKINDLE_CORS_ORIGINS: {
    schema: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.url({ error: 'expected origins such as https://shop.example.com, comma-separated' }))),
    doc: 'Other web origins allowed to call the API from a browser (CORS), comma-separated; none by default.',
  },
  REKINDLE_SECRET_FILE: { schema: z.string().min(1).optional(), doc: 'The server secret (CSRF and link tokens), created 0600 at first start; default next to the SQLite file, or data/rekindle.secret on PostgreSQL. Every process of one shop must read the same file.' },
  REKINDLE_READY_TICK_MAX_S: { schema: wholeNumber('a whole number of seconds', 1).default(60), doc: '`/api/health/ready` fails when the engine has not finished a tick for this long (schedulers on).' },
  REKINDLE_READY_OUTBOX_MAX_S: { schema: wholeNumber('a whole number of seconds', 1).default(900), doc: '`/api/health/ready` fails when a message has been due in the outbox for longer than this.' },
} as const;

export type SettingName = keyof typeof SETTINGS;
export type Settings = { [K in SettingName]: z.output<(typeof SETTINGS)[K]['schema']> };

export class SettingsError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration: ${problems.join('; ')}`);
  }
}

/** Reads and validates every setting; throws one SettingsError naming each bad variable. */
export function loadSettings(env: Record<string, string | undefined> = process.env): Settings {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, { schema }] of Object.entries(SETTINGS)) {
    const raw = env[name];
    const r = (schema as z.ZodType).safeParse(raw === '' && name !== 'REKINDLE_QUIET' ? undefined : raw);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join(', ')} (got ${JSON.stringify(raw)})`);
  }
  if (problems.length) throw new SettingsError(problems);
  return out as Settings;
}

/** The default of each setting, as docs/configuration.md shows it. */
export function settingDefault(name: SettingName): unknown {
  const r = (SETTINGS[name].schema as z.ZodType).safeParse(undefined);
  return r.success ? r.data : undefined;
}
