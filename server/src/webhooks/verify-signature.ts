/**
 * Stripe-Signature verification over the raw body, by the SDK's own code (HMAC-SHA256, tolerance
 * 300 s). The SDK instance is never used to call Stripe: verification needs no key.
 */
import Stripe from "stripe";
import { ApiError } from "../http/api-error.ts";

const verifier = new Stripe("sk_test_signature_verification_only");
export const SIGNATURE_TOLERANCE_SECONDS = 300;

export interface StripeEvent {
  id: string;
  type: string;
  data: { object: Record<string, unknown> };
}

export function verifyStripeEvent(rawBody: string, header: string | undefined, secret: string, nowMs: number) {
  if (!header) throw new ApiError("INVALID_SIGNATURE", "the Stripe-Signature header is missing");
  try {
    return verifier.webhooks.constructEvent(
      rawBody,
      header,
      secret,
      SIGNATURE_TOLERANCE_SECONDS,
      undefined,
      // The SDK takes the receive time in milliseconds.
      nowMs,
    ) as unknown as StripeEvent;
  } catch (cause) {
    throw new ApiError("INVALID_SIGNATURE", "the Stripe-Signature does not match this body", undefined, { cause });
  }
}
