import { z } from 'zod';
import { EventDeclarationsSchema } from './data/event-declarations.js';
import type { FlowProblem } from './flow/problems.js';
import { checkYamlFile } from './flow/yaml-checks.js';

/**
 * Shop-wide settings kept in `rules/shop.yaml`. The lifecycle thresholds are the shop's own
 * (seed 002: derive them from the repurchase-interval distribution with `rekindle analyse`),
 * so they are configuration, never constants in code.
 */
export const LifecycleThresholdsSchema = z
  .object({
    activeDays: z.number().int().positive().describe('recencyDays up to this value: active'),
    silentDays: z.number().int().positive().describe('recencyDays up to this value: silent'),
    sleepingDays: z.number().int().positive().describe('recencyDays up to this value: sleeping; beyond: lost'),
  })
  .refine((t) => t.activeDays < t.silentDays && t.silentDays < t.sleepingDays, {
    message: 'thresholds must increase: activeDays < silentDays < sleepingDays',
  });
export type LifecycleThresholds = z.infer<typeof LifecycleThresholdsSchema>;

/** An IANA time zone the runtime knows (Asia/Shanghai, Europe/Berlin…): a typo would shift every local time. */
export const TimezoneSchema = z.string().refine(
  (tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
  { error: (i) => `"${String(i.input)}" is not an IANA time zone (e.g. Asia/Shanghai)` },
);

/**
 * Who must agree before a journey goes live. `publish: true`: a publish from the designer or the
 * API becomes a request that an admin other than the one who asked approves (or rejects with a
 * reason) before anything is written or goes live — the four-eyes rule shops keep for campaigns
 * that message many customers at once (docs/security.md, "Publish approval").
 */
export const ApprovalSchema = z.strictObject({
  publish: z.boolean().default(false).describe('A journey goes live only once an admin other than the one who asked approves it.'),
});

/** Unknown keys are refused (a misspelt `timezon:` would otherwise silently keep the default). */
export const ShopConfigSchema = z.strictObject({
  name: z.string().default('Demo shop').describe("The shop's name, shown in the designer and reports."),
  timezone: TimezoneSchema.default('Asia/Shanghai').describe('Time zone of calendar days, quiet hours, send windows and schedules.'),
  currency: z.string().regex(/^[A-Z]{3}$/, { error: 'expected an ISO 4217 code such as CNY' }).default('CNY').describe('Currency of order amounts (ISO 4217).'),
  lifecycle: LifecycleThresholdsSchema.default({ activeDays: 27, silentDays: 138, sleepingDays: 426 }).describe('Lifecycle stage thresholds in days since the last purchase (`rekindle analyse` suggests them).'),
  events: EventDeclarationsSchema.nullish()
    // An empty `events:` key (YAML null) declares nothing, like no key at all.
    .transform((v) => v ?? [])
    .describe("The shop's own event types (name, description, optional payload fields), sent through POST /api/events: flows may name them without a warning (data/event-declarations.ts)."),
  approval: ApprovalSchema.default({ publish: false }).describe('Publish approval: `publish: true` makes every publish a request an admin other than the requester approves (docs/security.md).'),
});
export type ShopConfig = z.infer<typeof ShopConfigSchema>;

export const defaultShopConfig: ShopConfig = ShopConfigSchema.parse({});

/**
 * rules/shop.yaml's text checked, the way `rekindle validate` and start-up both report it: the
 * problems in line order (zod's order puts the events: list checks after its entries), each
 * naming its setting (`events.2.name: …`), since "is declared twice" alone does not say which
 * entry of a long events: list to edit.
 */
export function checkShopText(text: string): { value?: ShopConfig; problems: FlowProblem[] } {
  const r = checkYamlFile(text, ShopConfigSchema);
  return { value: r.value, problems: r.problems.map((p) => (p.path ? { ...p, message: `${p.path}: ${p.message}` } : p)).sort((a, b) => a.line - b.line) };
}
