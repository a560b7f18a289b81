/** Every error code the API can return, with its HTTP status: listed once, used everywhere. */
import * as z from "zod/mini";

export const errorStatus = {
  VALIDATION_FAILED: 400,
  SHOP_REQUIRED: 400,
  SHOP_CONFLICT: 400,
  VARIANT_KEY_MISMATCH: 400,
  UNKNOWN_ITEM: 400,
  INVALID_COUPON: 400,
  REDIRECT_NOT_ALLOWED: 400,
  INVALID_SIGNATURE: 400,
  IDEMPOTENCY_KEY_INVALID: 400,
  TENANT_MISMATCH: 403,
  SHOP_NOT_FOUND: 404,
  CART_NOT_FOUND: 404,
  SESSION_NOT_FOUND: 404,
  NOT_FOUND: 404,
  INSUFFICIENT_STOCK: 409,
  PRICE_CHANGED: 409,
  IDEMPOTENCY_KEY_REUSED: 409,
  ALREADY_COMPLETED: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  PAYMENT_PROVIDER_REJECTED: 502,
  PAYMENT_PROVIDER_UNAVAILABLE: 503,
  INVENTORY_UNAVAILABLE: 503,
  TENANT_UNRESOLVED: 503,
  NOT_READY: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const errorCodes = Object.keys(errorStatus) as ErrorCode[];

export const errorCodeSchema = z.enum(errorCodes as [ErrorCode, ...ErrorCode[]]);

/** The body of every non-2xx response. */
export const errorEnvelopeSchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    details: z.optional(z.record(z.string(), z.unknown())),
    requestId: z.string(),
  }),
});
export type ErrorEnvelope = z.infer<typeof errorEnvelopeSchema>;

/** An envelope narrowed to some codes, for a registry entry's declared status. */
export function errorEnvelopeFor<const C extends ErrorCode>(codes: readonly C[]) {
  return z.object({
    error: z.object({
      code: z.enum(codes as unknown as [C, ...C[]]),
      message: z.string(),
      details: z.optional(z.record(z.string(), z.unknown())),
      requestId: z.string(),
    }),
  });
}

/** One item of INSUFFICIENT_STOCK's `details.items`. */
export const stockShortfallSchema = z.object({
  sku: z.string(),
  variantKey: z.string(),
  requested: z.int(),
  available: z.int(),
});
export type StockShortfall = z.infer<typeof stockShortfallSchema>;
