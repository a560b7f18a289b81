/** The local Stripe stand-in: what the server starts when no STRIPE_SECRET_KEY is set, and what tests drive. */
export type { ApiStats } from "./api-routes.ts";
export { CONTROL_PREFIX } from "./control-routes.ts";
export type { DeliveryAttempt, WebhookRetry } from "./delivery.ts";
export type { ApiOperation, FaultTarget } from "./faults.ts";
export type { ChargeObject, CheckoutSessionObject, EventType, PaymentStatus, SessionStatus } from "./objects.ts";
export { SessionStateError } from "./sessions.ts";
export { signatureHeader } from "./signing.ts";
export type { StripeStandIn, StripeStandInOptions } from "./stand-in.ts";
export { startStripeStandIn } from "./stand-in.ts";
export type { EventRecord, EventState, StripeEvent } from "./webhooks.ts";
export { DEFAULT_API_VERSION } from "./webhooks.ts";
