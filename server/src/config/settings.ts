import { z } from 'zod';
import { MIN_EVENT_RETENTION_DAYS } from '../core/data/event-retention.js';
import { trustProxySchema } from './trust-proxy.js';

/**
 * Every setting the server reads from the environment, in one validated place. rules/shop.yaml
 * (the shop's own settings, kept in git) is validated by `ShopConfigSchema` in core/shop-config.ts;
 * docs/configuration.md lists both, each with its default (a test keeps it complete, and another
 * fails when server code reads an environment variable that is not listed here). The server and
 * the CLI validate all of them at start; the modules that own a setting may still read it where
 * they need it (the scheduler intervals, the queue settings). Channel secrets are read by the
 * variable names that rules/channels.yaml gives (core/channels/registry.ts).
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
  .enum(['1', 'true', 'yes', 'on', '0', 'false', 'no', 'off'], { error: 'expected 1/true/yes/on or 0/false/no/off' })
  .transform((v) => ['1', 'true', 'yes', 'on'].includes(v));

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const positive = (what: string) => wholeNumber(what, 1);
const url = (schemes: string) => z.string().regex(new RegExp(`^(${schemes})://`), { error: `expected a ${schemes.replace(/\|/g, ' or ')} URL` });

export type SettingGroup = 'server' | 'engine' | 'retention' | 'logs and health' | 'scale-out' | 'cli';

interface SettingSpec {
  schema: z.ZodType;
  doc: string;
  group: SettingGroup;
  /** Never echo the value in an error message. */
  secret?: boolean;
}

/** One entry per environment variable: its schema (with its default), what it does, where it belongs. */
export const SETTINGS = {
  PORT: { group: 'server', schema: wholeNumber('a TCP port number', 0).pipe(z.number().max(65535, { error: 'expected a TCP port <= 65535' })).default(3000), doc: 'HTTP port of `npm start` / `npm run serve` (0: any free port).' },
  HOST: { group: 'server', schema: z.string().min(1).default('127.0.0.1'), doc: 'Address the server listens on: this machine only by default; `0.0.0.0` behind a TLS proxy (then set REKINDLE_TRUST_PROXY).' },
  DATABASE_URL: { group: 'server', schema: z.string().min(1).default('data/rekindle.sqlite'), doc: '`postgres://…` for PostgreSQL; otherwise the SQLite file (the CLI\'s `--db` wins over it).' },
  REKINDLE_RULES: { group: 'server', schema: z.string().min(1).default('rules'), doc: "The shop's rules folder (shop.yaml, segments/, flows/, policy.yaml, channels.yaml, coupons.yaml, lists/); the CLI's `--rules` wins over it." },
  REKINDLE_SECRET_FILE: { group: 'server', schema: z.string().min(1).optional(), doc: 'The server secret (CSRF and link tokens), created 0600 at first start; unset: next to the SQLite file, or data/rekindle.secret on PostgreSQL. Every process of one shop must read the same file.' },
  REKINDLE_SIGNIN_ATTEMPTS: { group: 'server', schema: positive('a whole number of attempts').default(5), doc: 'Failed sign-in attempts allowed per account name per minute (a successful sign-in clears the count); more get 429 with Retry-After, whatever the password, until the oldest falls out of the minute.' },
  REKINDLE_SIGNIN_ATTEMPTS_PER_ADDRESS: { group: 'server', schema: positive('a whole number of attempts').default(20), doc: 'Sign-in attempts allowed per client address per minute, whatever the account name; behind a proxy set REKINDLE_TRUST_PROXY so each client has its own address.' },
  REKINDLE_TRUST_PROXY: {
    group: 'server',
    schema: trustProxySchema.optional(),
    doc: "The proxies in front of the server whose `X-Forwarded-For` / `X-Forwarded-Proto` are believed (Express `trust proxy`): a hop count (`1` for the one TLS proxy in front), or the proxies' addresses / CIDR ranges, comma-separated (`loopback`, `linklocal`, `uniquelocal` allowed). Then the client's address is what the sign-in audit records and the per-address sign-in limit counts, and the session cookie is `Secure` when the proxy says the request came over HTTPS. Unset: the headers are ignored (right when clients reach the server directly; behind a proxy every client then has the proxy's address). `true` is refused: any client reaching the port directly could name its own address. Set it only when clients cannot bypass the proxy.",
  },
  REKINDLE_CORS_ORIGINS: {
    group: 'server',
    schema: z
      .string()
      .default('')
      .transform((v) => v.split(',').map((x) => x.trim()).filter(Boolean))
      .pipe(z.array(z.url({ error: 'expected origins such as https://shop.example.com, comma-separated' }))),
    doc: 'Other web origins allowed to call the API from a browser (CORS), comma-separated; none by default.',
  },
  REKINDLE_PUBLIC_BASE_URL: { group: 'server', schema: z.url({ protocol: /^https?$/, error: 'expected an http or https URL such as https://crm.shop.example.com' }).optional(), doc: "The address customers reach this server at, for the `/r/<token>` tracked links in messages when rules/channels.yaml sets no `publicBaseUrl` (the file's wins). `npm start` sets it to http://127.0.0.1:$PORT for the demo (scripts/demo-base-url.sh; not with PORT=0 or NODE_ENV=production); `rekindle validate` reads it too. Messages are stored with the link as rendered (`<base>/r/<token>`), so every process that steps journeys reads it: the server, `rekindle worker` / `scheduler` and `rekindle simulate` (which stores relative `/r/<token>` links when neither the file nor this variable gives a base; docs/channels.md)." },
  REKINDLE_DEMO_CUSTOMERS: { group: 'server', schema: positive('a whole number of customers').default(20000), doc: '`npm start` seeds a demo shop of this many customers into an empty database (not `npm run serve`, nor `npm start` with NODE_ENV=production: a real shop starts empty).' },
  REKINDLE_TICK_MS: { group: 'engine', schema: wholeNumber('a whole number of milliseconds', 100).default(5000), doc: 'How often the server runs due entries and steps due journeys.' },
  REKINDLE_OUTBOX_MS: { group: 'engine', schema: wholeNumber('a whole number of milliseconds', 100).default(5000), doc: 'How often the server dispatches the outbox to the channels.' },
  REKINDLE_PLANNER: { group: 'engine', schema: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'), doc: '`off`: this server does not plan ticks; a separate `rekindle scheduler` does (docs/scale-out.md). Readiness then does not expect this server to tick.' },
  REKINDLE_ENGINE_THREAD: { group: 'engine', schema: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'), doc: '`on`: on a SQLite file the server runs the event intake and the ticker in a worker thread with its own connection, so requests never wait behind them. `off`: both run on the request thread.' },
  REKINDLE_SWITCH_THREAD: { group: 'engine', schema: z.enum(['on', 'off'], { error: 'expected on or off' }).default('on'), doc: '`rekindle simulate` on SQLite decides switch nodes one batch ahead on a thread of its own (runtime/switch-precompute.ts; the Double-11 simulation\'s wall −10 to −22% at 1,000,000 customers on two cores, process CPU level). `off`: decided in place on the stepping thread.' },
  REKINDLE_INTAKE_POLL_MS: { group: 'engine', schema: wholeNumber('a whole number of milliseconds', 50).default(1000), doc: 'How often the server looks for events stored by other processes (its own events are taken at once).' },
  REKINDLE_EVENT_RETENTION_DAYS: {
    group: 'retention',
    schema: z
      .string()
      .trim()
      .regex(/^\d+$/, { error: 'expected a whole number of days' })
      .transform(Number)
      .pipe(z.number().int().min(MIN_EVENT_RETENTION_DAYS, { error: `expected at least ${MIN_EVENT_RETENTION_DAYS} days: an event's idempotency key is remembered only as long as the event is kept, and a retried delivery must still be recognised` }))
      .optional(),
    doc: `Days to keep customer events (\`customer_events\`) after they arrived and happened; older ones are pruned every REKINDLE_PRUNE_MS and by \`rekindle prune\`. Unset: kept forever. At least ${MIN_EVENT_RETENTION_DAYS}. Events a running journey, an experiment report, the policy's give-up window or a flow's answer window still reads are kept longer, and opt-outs always (docs/security.md, *Data retention*).`,
  },
  REKINDLE_CONSUMED_EVENT_RETENTION_DAYS: {
    group: 'retention',
    schema: positive('a whole number of days').optional(),
    doc: 'Days to keep the record of when the engine acted on each event (`consumed_events`, read by `rekindle explain`); unset: as long as the event itself. A pruned event always takes its record with it.',
  },
  REKINDLE_PRUNE_MS: { group: 'retention', schema: wholeNumber('a whole number of milliseconds', 60_000).default(3_600_000), doc: 'How often the server prunes what the retention lets go (the process that plans the shop\'s ticks: one of several on PostgreSQL).' },
  REKINDLE_PRUNE_BATCH: {
    group: 'retention',
    schema: wholeNumber('a whole number of rows', 100).pipe(z.number().max(100_000, { error: 'expected at most 100000 rows (each batch is one transaction: SQLite has one writer)' })).default(2000),
    doc: 'Event ids a prune looks at per transaction: small enough that the SQLite writer is held for milliseconds at a time.',
  },
  LOG_LEVEL: { group: 'logs and health', schema: z.enum(LOG_LEVELS, { error: `expected one of ${LOG_LEVELS.join(', ')}` }).default('info'), doc: 'Lowest level written to the log.' },
  LOG_FORMAT: { group: 'logs and health', schema: z.enum(['auto', 'json', 'pretty'], { error: 'expected auto, json or pretty' }).default('auto'), doc: '`auto`: pretty (pino-pretty) when stdout is a terminal and NODE_ENV is not production, JSON lines otherwise.' },
  NODE_ENV: { group: 'logs and health', schema: z.string().default('development'), doc: '`production` makes `LOG_FORMAT=auto` write JSON even at a terminal.' },
  REKINDLE_QUIET: { group: 'logs and health', schema: flag.default(false), doc: 'Only errors in the log (when LOG_LEVEL is left at info).' },
  REKINDLE_READY_TICK_MAX_S: { group: 'logs and health', schema: positive('a whole number of seconds').default(60), doc: '`/api/health/ready` fails when the engine has not finished a tick for this long (servers that run the schedulers).' },
  REKINDLE_READY_OUTBOX_MAX_S: { group: 'logs and health', schema: positive('a whole number of seconds').default(900), doc: '`/api/health/ready` fails when a message has been due in the outbox for longer than this.' },
  REKINDLE_METRICS_QUEUE_TIMEOUT_MS: {
    group: 'logs and health',
    schema: wholeNumber('a whole number of milliseconds', 50).pipe(z.number().max(30_000, { error: 'expected at most 30000 milliseconds (keep it well under the scrape timeout of Prometheus, 10 s by default)' })).default(1000),
    doc: "How long a `/metrics` scrape waits for the step queue (REKINDLE_STEP_QUEUE=bullmq) before it reports `rekindle_step_queue_up 0` and leaves out the depth series; the scrape's other series do not wait for it. Keep it well under Prometheus' `scrape_timeout` (10 s by default).",
  },
  REKINDLE_STEP_QUEUE: { group: 'scale-out', schema: z.enum(['in-process', 'bullmq'], { error: 'expected in-process or bullmq' }).default('in-process'), doc: '`bullmq`: the server hands stepping batches to `rekindle worker` processes (docs/scale-out.md).' },
  REKINDLE_QUEUE_BACKEND: { group: 'scale-out', schema: z.enum(['redis', 'postgres'], { error: 'expected redis or postgres' }).default('redis'), doc: 'Where the step queue lives.' },
  REDIS_URL: { group: 'scale-out', schema: url('redis|rediss').default('redis://127.0.0.1:6379'), doc: 'Redis of the BullMQ step queue.', secret: true },
  REKINDLE_QUEUE_PG_URL: { group: 'scale-out', schema: url('postgres|postgresql').optional(), doc: 'PostgreSQL of the step queue when REKINDLE_QUEUE_BACKEND=postgres (default: DATABASE_URL when that is PostgreSQL).', secret: true },
  REKINDLE_QUEUE: { group: 'scale-out', schema: z.string().min(1).default('rekindle-steps'), doc: 'Name of the step queue.' },
  REKINDLE_QUEUE_PREFIX: { group: 'scale-out', schema: z.string().min(1).default('rekindle'), doc: 'Redis key prefix of the step queue.' },
  // 2: a worker's batch waits on PostgreSQL (locks, COPY, the commit's WAL flush) for part of its time; a second
  // batch in flight fills that wait (docs/scale-out.md has the measured pairs). Each batch holds one connection.
  REKINDLE_WORKER_CONCURRENCY: { group: 'scale-out', schema: positive('a positive whole number').default(1), doc: 'Batches one `rekindle worker` steps at once (each holds one database connection).' },
  REKINDLE_WORKER_LOCK_MS: { group: 'scale-out', schema: positive('a whole number of milliseconds').default(30000), doc: "How long a worker's claim on a batch lasts before it must be renewed." },
  REKINDLE_WORKER_STALLED_MS: { group: 'scale-out', schema: positive('a whole number of milliseconds').default(30000), doc: 'How often stalled batches (a worker died) are looked for.' },
  REKINDLE_WORKER_MAX_STALLED: { group: 'scale-out', schema: positive('a positive whole number').default(10), doc: 'How many times a batch may stall before it fails.' },
  REKINDLE_JOB_ATTEMPTS: { group: 'scale-out', schema: positive('a positive whole number').default(5), doc: 'Attempts of a step batch before it is kept as failed.' },
  REKINDLE_DEBUG: { group: 'cli', schema: flag.default(false), doc: 'The CLI prints stack traces with its errors.' },
} as const satisfies Record<string, SettingSpec>;

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
  for (const name of Object.keys(SETTINGS)) {
    const raw = env[name];
    const spec: SettingSpec = SETTINGS[name as SettingName];
    const r = spec.schema.safeParse(raw === '' ? undefined : raw);
    if (r.success) out[name] = r.data;
    else problems.push(`${name}: ${r.error.issues.map((i) => i.message).join(', ')}${spec.secret ? '' : ` (got ${JSON.stringify(raw)})`}`);
  }
  if (problems.length) throw new SettingsError(problems);
  return out as Settings;
}

/**
 * One setting as the code that owns it uses it: read the way loadSettings reads it (an empty value
 * is the default, `0`/`false`/`no`/`off` are false, numbers trimmed), falling back to the default
 * when the value is bad (start-up has refused it already, naming it). Code that read the raw
 * variable disagreed with the documented meaning: `REKINDLE_TICK_MS=` ticked every millisecond
 * (Number('') is 0) and `REKINDLE_DEBUG=0` printed stack traces.
 */
export function setting<N extends SettingName>(name: N, env: Record<string, string | undefined> = process.env): Settings[N] {
  const raw = env[name];
  const r = (SETTINGS[name].schema as z.ZodType).safeParse(raw === '' ? undefined : raw);
  return (r.success ? r.data : settingDefault(name)) as Settings[N];
}

/** The default of each setting, as docs/configuration.md shows it. */
export function settingDefault(name: SettingName): unknown {
  const r = (SETTINGS[name].schema as z.ZodType).safeParse(undefined);
  return r.success ? r.data : undefined;
}
