import { z } from 'zod';
import type { ProductClicksReport } from '../../core/experiment/product-clicks-text.js';

const ProductSchema = z.object({
  sku: z.string(),
  category: z.string(),
  clickers: z.number().int().nullable().describe("the step's clickers when its link shows this product (the sku is a path segment or query value of the URL), else null"),
  buyers: z.number().int().describe('recipients who paid an order with this product within the window after the message'),
  clickedBuyers: z.number().int().describe('of the buyers, those who had clicked the link before paying for it'),
  quantity: z.number().int(),
  revenue: z.number().describe('quantity × price of the items that carry a price, in yuan'),
});

/**
 * GET /api/flows/:id/nodes/:node/products as OpenAPI documents it (core/experiment/product-clicks.ts
 * builds it; docs/experiments.md "Products and clicks").
 */
export const ProductClicksResponseSchema = z.object({
  flowId: z.string(),
  nodeId: z.string(),
  link: z.string().nullable().describe("the step's link in the newest published version"),
  window: z.string(),
  asOf: z.number().int().describe('the instant counted up to (epoch ms): now, or a simulation\'s last step'),
  delivered: z.number().int(),
  clickers: z.number().int().describe('recipients who clicked the tracked link (first click)'),
  clickRate: z.number(),
  clickersPaid: z.number().int().describe('clickers who paid an order within the window after their click'),
  clickConversion: z.number().describe('clickersPaid / clickers'),
  clickersRevenue: z.number(),
  responders: z.number().int().describe('recipients who paid an order within the window after the message, clicked or not'),
  respondersRevenue: z.number(),
  ordersWithoutItems: z.number().int().describe('responders\' orders naming no items (no order lines in the data; a simulation\'s purchases): in the totals, in no product'),
  products: z.array(ProductSchema).describe('ranked by buyers, then revenue'),
});
// Documents the type the report builds: this fails to compile if they part.
const _same: z.infer<typeof ProductClicksResponseSchema> extends ProductClicksReport ? (ProductClicksReport extends z.infer<typeof ProductClicksResponseSchema> ? true : never) : never = true;
void _same;

/** GET /api/flows/:id/products: every send step of the flow, in its order, each as the one step's report (without the flow's ids). */
export const StepClicksResponseSchema = z.object({
  flowId: z.string(),
  window: z.string(),
  asOf: z.number().int(),
  steps: z.array(ProductClicksResponseSchema.omit({ flowId: true, window: true, asOf: true }).extend({ label: z.string().nullable().describe("the step's card name") })),
});
