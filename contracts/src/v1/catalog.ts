/** `GET /v1/catalog`: the shop's products with authoritative prices and live availability. */
import * as z from "zod/mini";
import { amountSchema, currencySchema, shopIdSchema, shopModeSchema, variantAttributesSchema } from "./common.ts";

export const catalogVariantSchema = z.object({
  variantKey: z.string(),
  attributes: variantAttributesSchema,
  unitAmount: amountSchema,
  depositAmount: amountSchema,
  /** On hand minus active holds, never below zero. */
  available: z.int().check(z.minimum(0)),
});
export type CatalogVariant = z.infer<typeof catalogVariantSchema>;

export const catalogProductSchema = z.object({
  sku: z.string(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  variants: z.array(catalogVariantSchema),
});
export type CatalogProduct = z.infer<typeof catalogProductSchema>;

export const catalogSchema = z.object({
  shopId: shopIdSchema,
  currency: currencySchema,
  mode: shopModeSchema,
  products: z.array(catalogProductSchema),
});
export type Catalog = z.infer<typeof catalogSchema>;

export const catalogQuerySchema = z.object({
  /** Language of titles and descriptions; the shop's default when absent. */
  locale: z.optional(z.enum(["en", "de"])),
});
