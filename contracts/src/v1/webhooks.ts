/** Stripe webhooks: the event the server accepts (loosely: Stripe adds fields) and its acknowledgement. */
import * as z from "zod/mini";

/**
 * A Stripe event as the webhook endpoints read it: only `id`, `type` and `data.object` matter
 * (`data.object.metadata.shop_id` and `hold_id`, or the session id, name the tenant); anything else is kept.
 */
export const stripeWebhookEventSchema = z.looseObject({
  id: z.string(),
  type: z.string(),
  data: z.looseObject({ object: z.looseObject({}) }),
});
export type StripeWebhookEvent = z.infer<typeof stripeWebhookEventSchema>;

/**
 * The answer to a verified event: `processed` (its effects are recorded), `duplicate` (an event id
 * seen before: nothing changed a second time) or `ignored` (a type, or an object, with no effect here).
 */
export const webhookAckSchema = z.object({
  received: z.literal(true),
  result: z.enum(["processed", "duplicate", "ignored"]),
});
export type WebhookAck = z.infer<typeof webhookAckSchema>;
