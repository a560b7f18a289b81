/** Contracts v1: the public surface. */

export type { Cart, CartLine, CreateCartRequest, SetCartLineRequest } from "./carts.ts";
export {
  cartIdSchema,
  cartLineSchema,
  cartPathSchema,
  cartSchema,
  createCartRequestSchema,
  setCartLineRequestSchema,
} from "./carts.ts";
export type { Catalog, CatalogProduct, CatalogVariant } from "./catalog.ts";
export { catalogProductSchema, catalogQuerySchema, catalogSchema, catalogVariantSchema } from "./catalog.ts";
export type { CheckoutLine, CheckoutRequest, CheckoutSession, CheckoutSessionStatus } from "./checkout.ts";
export {
  checkoutLineSchema,
  checkoutRequestSchema,
  checkoutSessionSchema,
  checkoutSessionStatusSchema,
  couponCodeSchema,
  idempotencyKeySchema,
  sessionIdSchema,
} from "./checkout.ts";
export type { Item } from "./common.ts";
export {
  amountSchema,
  currencySchema,
  itemSchema,
  itemsSchema,
  localeSchema,
  quantitySchema,
  shopIdSchema,
  shopModeSchema,
  skuSchema,
  variantAttributesSchema,
  variantKeySchema,
} from "./common.ts";
export type { BreakingChange } from "./compat.ts";
export { findBreakingChanges } from "./compat.ts";
export type { ErrorCode, ErrorEnvelope, StockShortfall } from "./errors.ts";
export {
  errorCodeSchema,
  errorCodes,
  errorEnvelopeFor,
  errorEnvelopeSchema,
  errorStatus,
  stockShortfallSchema,
} from "./errors.ts";
export type { InventoryValidateRequest, InventoryValidateResponse } from "./inventory.ts";
export {
  inventoryItemResultSchema,
  inventoryValidateRequestSchema,
  inventoryValidateResponseSchema,
} from "./inventory.ts";
export type {
  JsonSchema,
  OpenApiDocument,
  OpenApiOperation,
  OpenApiParameter,
  OpenApiPathItem,
  OpenApiResponse,
} from "./openapi.ts";
export { buildOpenApiDocument } from "./openapi.ts";
export { healthSchema, readySchema } from "./operational.ts";
export type { ResolvedVariantKey, VariantAttributes, VariantRef } from "./variant-key.ts";
export { resolveVariantKey, variantKey } from "./variant-key.ts";
export type { StripeWebhookEvent, WebhookAck } from "./webhooks.ts";
export { stripeWebhookEventSchema, webhookAckSchema } from "./webhooks.ts";
