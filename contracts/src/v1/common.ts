/** Shapes shared by many endpoints: identifiers, money, and the item that names a variant. */
import * as z from "zod/mini";

export const shopIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,62}$/));
export const skuSchema = z.string().check(z.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/));
export const currencySchema = z.string().check(z.regex(/^[a-z]{3}$/));
export const shopModeSchema = z.enum(["sale", "rental"]);
export const localeSchema = z.enum(["en", "de"]);

/** Integer minor units (2500 is 25.00). */
export const amountSchema = z.int().check(z.minimum(0));

const attributeNameSchema = z.string().check(z.regex(/^[a-z][a-z0-9_-]{0,31}$/));
// No separators (they would make keys ambiguous) and no control characters.
const attributeValueSchema = z.string().check(z.minLength(1), z.maxLength(64), z.regex(/^[^|:\p{Cc}]+$/u));
export const variantAttributesSchema = z
  .record(attributeNameSchema, attributeValueSchema)
  .check(z.refine((attrs) => Object.keys(attrs).length <= 8, "at most 8 attributes"));
export const variantKeySchema = z.string().check(z.minLength(1), z.maxLength(600), z.regex(/^[^\p{Cc}]+$/u));

export const quantitySchema = z.int().check(z.minimum(1), z.maximum(99));

/** The fields that name a variant, shared by every item-shaped input. */
export const variantRefFields = {
  sku: skuSchema,
  variantAttributes: z.optional(variantAttributesSchema),
  /** @deprecated send `variantAttributes`; kept for clients of the first storefronts. */
  variantKey: z.optional(variantKeySchema),
};

/** An item must name its variant one way or the other. */
export const namesAVariant = z.refine<{ variantAttributes?: unknown; variantKey?: unknown }>(
  (item) => item.variantAttributes !== undefined || item.variantKey !== undefined,
  { message: "an item needs variantAttributes (or the deprecated variantKey)", path: ["variantAttributes"] },
);

/**
 * How every request names a variant (validate, carts, checkout). `variantAttributes` is canonical;
 * `variantKey` alone is deprecated but accepted; when both are sent they must agree.
 */
export const itemSchema = z.object({ ...variantRefFields, quantity: quantitySchema }).check(namesAVariant);
export type Item = z.infer<typeof itemSchema>;

export const itemsSchema = z.array(itemSchema).check(z.minLength(1), z.maxLength(50));
