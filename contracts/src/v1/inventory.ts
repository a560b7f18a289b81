/** `POST /v1/inventory/validate`: is there stock for these items right now? Also the central-inventory contract. */
import * as z from "zod/mini";
import { itemsSchema, shopIdSchema } from "./common.ts";

export const inventoryValidateRequestSchema = z.object({
  /** Optional; must equal the `x-shop-id` header when both are sent. */
  shopId: z.optional(shopIdSchema),
  items: itemsSchema,
});
export type InventoryValidateRequest = z.infer<typeof inventoryValidateRequestSchema>;

export const inventoryItemResultSchema = z.object({
  sku: z.string(),
  variantKey: z.string(),
  requested: z.int(),
  available: z.int(),
});

export const inventoryValidateResponseSchema = z.object({
  ok: z.literal(true),
  items: z.array(inventoryItemResultSchema),
});
export type InventoryValidateResponse = z.infer<typeof inventoryValidateResponseSchema>;
