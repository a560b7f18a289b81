/**
 * `POST /v1/checkout/sessions`: reprice, hold stock, open a hosted Stripe Checkout session.
 *
 * Amounts: a line's `lineTotal` is `unitAmount × quantity` (× `rentalDays` in rental mode);
 * `discount` comes off the sum of line totals (never off deposits); deposits (rental mode) are
 * charged as lines of their own, `depositAmount × quantity`; `amountTotal` is what Stripe charges.
 */
import * as z from "zod/mini";
import { cartIdSchema } from "./carts.ts";
import { amountSchema, currencySchema, itemsSchema, localeSchema, shopModeSchema } from "./common.ts";

export const idempotencyKeySchema = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{8,255}$/));
export const couponCodeSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{1,64}$/));
const redirectUrlSchema = z.url({ protocol: /^https?$/ }).check(z.maxLength(2048));

export const checkoutRequestSchema = z
  .object({
    /** The server cart to check out; or send `lines`. Exactly one of the two. */
    cartId: z.optional(cartIdSchema),
    lines: z.optional(itemsSchema),
    /** The total the shopper saw, for drift detection; never used as a price. */
    expectedTotal: z.optional(amountSchema),
    couponCode: z.optional(couponCodeSchema),
    locale: z.optional(localeSchema),
    /** Must match the shop's mode when sent. */
    mode: z.optional(shopModeSchema),
    /** Rental mode only: 1..90 days. */
    rentalDays: z.optional(z.int().check(z.minimum(1), z.maximum(90))),
    successUrl: z.optional(redirectUrlSchema),
    cancelUrl: z.optional(redirectUrlSchema),
  })
  .check(
    z.refine((body) => (body.cartId === undefined) !== (body.lines === undefined), {
      message: "send exactly one of cartId and lines",
      path: ["cartId"],
    }),
  );
export type CheckoutRequest = z.infer<typeof checkoutRequestSchema>;

export const checkoutLineSchema = z.object({
  sku: z.string(),
  variantKey: z.string(),
  quantity: z.int(),
  unitAmount: amountSchema,
  depositAmount: amountSchema,
  lineTotal: amountSchema,
});
export type CheckoutLine = z.infer<typeof checkoutLineSchema>;

export const checkoutSessionSchema = z.object({
  sessionId: z.string(),
  url: z.string(),
  holdId: z.string(),
  expiresAt: z.string(),
  currency: currencySchema,
  amountTotal: amountSchema,
  discount: amountSchema,
  lines: z.array(checkoutLineSchema),
  priceChanged: z.boolean(),
  replayed: z.boolean(),
});
export type CheckoutSession = z.infer<typeof checkoutSessionSchema>;

/** `GET /v1/checkout/sessions/:sessionId`: the payment as the server has verified it. */
export const checkoutSessionStatusSchema = z.object({
  sessionId: z.string(),
  status: z.enum(["open", "complete", "expired"]),
  paymentStatus: z.enum(["paid", "unpaid", "no_payment_required"]),
  /** The order, once the payment is recorded (or awaiting an asynchronous payment). */
  orderId: z.nullable(z.string()),
  /** The server cart the checkout came from, so a storefront clears only that cart. */
  cartId: z.nullable(z.string()),
  amountTotal: amountSchema,
  currency: currencySchema,
});
export type CheckoutSessionStatus = z.infer<typeof checkoutSessionStatusSchema>;

export const sessionIdSchema = z.string().check(z.regex(/^cs_[A-Za-z0-9_]{1,250}$/));
