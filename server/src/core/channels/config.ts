import { z } from 'zod';
import { CHANNELS, type Channel } from '../data/model.js';
import { DURATION_PATTERN, parseDuration } from '../flow/duration.js';

/**
 * `rules/channels.yaml`: which provider delivers each channel and how the outbox retries.
 * Versioned in git, so it holds no secret: a password or HMAC secret is named by the environment
 * variable that carries it (`passwordEnv`, `secretEnv`). Every key is checked (a typo is an
 * error, not a silently ignored setting); a channel not mentioned stays `outbox-only`.
 */
const duration = z
  .string()
  .regex(DURATION_PATTERN, 'expected a duration such as 30s, 5m, 2h')
  .transform((s) => parseDuration(s));

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected the NAME of an environment variable (the value stays out of git)');

const OutboxOnlySchema = z.strictObject({ provider: z.literal('outbox-only') });

const SmtpSchema = z.strictObject({
  provider: z.literal('smtp'),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535).default(587),
  /** Implicit TLS (465). false: STARTTLS when offered. */
  secure: z.boolean().default(false),
  requireTLS: z.boolean().default(false),
  from: z.string().min(3),
  messageIdDomain: z.string().min(1).optional(),
  userEnv: envName.optional(),
  passwordEnv: envName.optional(),
  timeout: duration.default(30_000),
});

const WebhookSchema = z.strictObject({
  provider: z.literal('webhook'),
  url: z.url({ protocol: /^https?$/ }),
  secretEnv: envName,
  timeout: duration.default(10_000),
  headers: z.record(z.string(), z.string()).optional(),
});

const ProviderSchema = z.discriminatedUnion('provider', [OutboxOnlySchema, SmtpSchema, WebhookSchema]);
export type ProviderConfig = z.infer<typeof ProviderSchema>;

const OutboxSchema = z.strictObject({
  /** Rows claimed per round trip. */
  batchSize: z.number().int().min(1).max(1000).default(100),
  /** Deliveries in flight at once within a batch. */
  concurrency: z.number().int().min(1).max(64).default(4),
  /** Attempts before a send is marked failed (the first delivery counts). */
  maxAttempts: z.number().int().min(1).max(50).default(5),
  /** Wait after the 1st, 2nd, … failed attempt; the last value repeats. */
  backoff: z.array(duration).min(1).default([60_000, 300_000, 1_800_000, 7_200_000]),
  /** A send left in `sending` longer than this (dispatcher crashed) goes back to the queue. */
  lease: duration.default(300_000),
});
export type OutboxSettings = z.infer<typeof OutboxSchema>;

export const ChannelsFileSchema = z
  .strictObject({
    /** Makes `/r/<token>` links in messages absolute, e.g. https://shop.example.com */
    publicBaseUrl: z.url({ protocol: /^https?$/ }).optional(),
    channels: z.strictObject(Object.fromEntries(CHANNELS.map((c) => [c, ProviderSchema.optional()])) as Record<Channel, z.ZodOptional<typeof ProviderSchema>>).prefault({}),
    outbox: OutboxSchema.prefault({}),
  })
  .superRefine((v, ctx) => {
    for (const c of CHANNELS) {
      if (c !== 'email' && v.channels[c]?.provider === 'smtp') ctx.addIssue({ code: 'custom', path: ['channels', c, 'provider'], message: `smtp delivers email only; use webhook for ${c}` });
    }
  });

export interface ChannelsConfig {
  publicBaseUrl: string | null;
  channels: Record<Channel, ProviderConfig>;
  outbox: OutboxSettings;
}

export class ChannelsConfigError extends Error {}

/** Validates parsed YAML; every channel absent from the file is `outbox-only`. */
export function parseChannelsConfig(raw: unknown, source = 'channels.yaml'): ChannelsConfig {
  const r = ChannelsFileSchema.safeParse(raw ?? {});
  if (!r.success) {
    throw new ChannelsConfigError(`${source}: ${r.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')}`);
  }
  const channels = Object.fromEntries(CHANNELS.map((c) => [c, r.data.channels[c] ?? { provider: 'outbox-only' }])) as Record<Channel, ProviderConfig>;
  return { publicBaseUrl: r.data.publicBaseUrl?.replace(/\/+$/, '') ?? null, channels, outbox: r.data.outbox };
}

export const DEFAULT_CHANNELS_CONFIG: ChannelsConfig = parseChannelsConfig({});
