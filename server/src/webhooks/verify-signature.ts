/**
 * Stripe-Signature verification over the raw body, by the SDK's own code (HMAC-SHA256, tolerance
 * 300 s). The SDK instance is never used to call Stripe: verification needs no key.
 */
import { stripeWebhookEventSchema } from "@commerce/contracts/v1";
import Stripe from "stripe";
import { ApiError } from "../http/api-error.ts";
import { parseInput } from "../http/json-body.ts";

const verifier = new Stripe("sk_test_signature_verification_only");
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface StripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

/**
 * The verified event, or 400: INVALID_SIGNATURE, or VALIDATION_FAILED for a signed body that is not an
 * event (`id`, `type`, `data.object`; no NUL in any string), which would otherwise fail further in.
 */
export function verifyStripeEvent(
  rawBody: string,
  header: string | undefined,
  secret: string,
  nowMs: number,
): StripeEvent {
  if (!header) throw new ApiError("INVALID_SIGNATURE", "the Stripe-Signature header is missing");
  let event: unknown;
  try {
    event = verifier.webhooks.constructEvent(
      rawBody,
      header,
      secret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      // The SDK takes the receive time in milliseconds.
      nowMs,
    );
  } catch (cause) {
    throw new ApiError("INVALID_SIGNATURE", "the Stripe-Signature does not match this body", undefined, { cause });
  }
  return parseInput(stripeWebhookEventSchema, event, "body");
}
