import { z } from 'zod';

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

export const ShopConfigSchema = z.object({
  name: z.string().default('Demo shop'),
  timezone: z.string().default('Asia/Shanghai'),
  currency: z.string().default('CNY'),
  lifecycle: LifecycleThresholdsSchema.default({ activeDays: 27, silentDays: 138, sleepingDays: 426 }),
});
export type ShopConfig = z.infer<typeof ShopConfigSchema>;

export const defaultShopConfig: ShopConfig = ShopConfigSchema.parse({});
