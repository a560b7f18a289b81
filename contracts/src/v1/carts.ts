/** Server-held carts: identifiers and quantities stored, prices and availability hydrated on every read. */
import * as z from "zod/mini";
import {
  amountSchema,
  currencySchema,
  itemSchema,
  namesAVariant,
  variantAttributesSchema,
  variantRefFields,
} from "./common.ts";

/** An opaque bearer token with at least 128 bits of randomness. */
export const cartIdSchema = z.string().check(z.regex(/^cart_[A-Za-z0-9_-]{22,64}$/));

export const createCartRequestSchema = z.object({
  lines: z.optional(z.array(itemSchema).check(z.maxLength(50))),
});
export type CreateCartRequest = z.infer<typeof createCartRequestSchema>;

/** `PUT /v1/carts/:cartId/lines`: sets a variant's quantity; 0 removes the line. */
export const setCartLineRequestSchema = z
  .object({ ...variantRefFields, quantity: z.int().check(z.minimum(0), z.maximum(99)) })
  .check(namesAVariant);
export type SetCartLineRequest = z.infer<typeof setCartLineRequestSchema>;

export const cartLineSchema = z.object({
  sku: z.string(),
  variantKey: z.string(),
  attributes: variantAttributesSchema,
  title: z.string(),
  quantity: z.int(),
  unitAmount: amountSchema,
  depositAmount: amountSchema,
  lineTotal: amountSchema,
  available: z.int().check(z.minimum(0)),
});
export type CartLine = z.infer<typeof cartLineSchema>;

export const cartSchema = z.object({
  cartId: cartIdSchema,
  currency: currencySchema,
  lines: z.array(cartLineSchema),
  subtotal: amountSchema,
});
export type Cart = z.infer<typeof cartSchema>;

export const cartPathSchema = z.object({ cartId: cartIdSchema });
