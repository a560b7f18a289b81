/** A hold as the domain sees it, and its mapping from the `holds` row. */
import type { QuotedLine } from "../checkout/quote.ts";
import type { CheckoutSessionParams } from "../stripe/gateway.ts";

export type HoldStatus = "active" | "committed" | "released" | "expired";

export interface Hold {
  id: string;
  shopId: string;
  intentKey: string;
  payloadHash: string;
  status: HoldStatus;
  cartId: string | null;
  mode: "sale" | "rental";
  rentalDays: number;
  currency: string;
  lines: QuotedLine[];
  couponCode: string | null;
  discount: number;
  amountTotal: number;
  stripeParams: CheckoutSessionParams;
  stripeIdempotencyKey: string;
  stripeSessionId: string | null;
  stripeSessionUrl: string | null;
  sessionExpiresAt: Date;
  expiresAt: Date;
}

export type HoldRow = {
  id: string;
  shop_id: string;
  intent_key: string;
  payload_hash: string;
  status: HoldStatus;
  cart_id: string | null;
  mode: "sale" | "rental";
  rental_days: number;
  currency: string;
  lines: QuotedLine[];
  coupon_code: string | null;
  discount: number;
  amount_total: number;
  stripe_params: CheckoutSessionParams;
  stripe_idempotency_key: string;
  stripe_session_id: string | null;
  stripe_session_url: string | null;
  session_expires_at: Date;
  expires_at: Date;
};

export function toHold(row: HoldRow): Hold {
  return {
    id: row.id,
    shopId: row.shop_id,
    intentKey: row.intent_key,
    payloadHash: row.payload_hash,
    status: row.status,
    cartId: row.cart_id,
    mode: row.mode,
    rentalDays: row.rental_days,
    currency: row.currency,
    lines: row.lines,
    couponCode: row.coupon_code,
    discount: row.discount,
    amountTotal: row.amount_total,
    stripeParams: row.stripe_params,
    stripeIdempotencyKey: row.stripe_idempotency_key,
    stripeSessionId: row.stripe_session_id,
    stripeSessionUrl: row.stripe_session_url,
    sessionExpiresAt: row.session_expires_at,
    expiresAt: row.expires_at,
  };
}
