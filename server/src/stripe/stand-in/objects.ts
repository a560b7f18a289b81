/**
 * The Stripe objects the stand-in hands out, in Stripe's own field names, for the fields it models:
 * what the SDK returns to the server and what webhook events carry.
 */

export type SessionStatus = "open" | "complete" | "expired";
export type PaymentStatus = "unpaid" | "paid" | "no_payment_required";

/** The Stripe `checkout.session` object, for the fields the stand-in models. */
export interface CheckoutSessionObject {
  id: string;
  object: "checkout.session";
  livemode: false;
  status: SessionStatus;
  payment_status: PaymentStatus;
  url: string | null;
  amount_subtotal: number;
  amount_total: number;
  currency: string;
  created: number;
  expires_at: number;
  metadata: Record<string, string>;
  client_reference_id: string | null;
  customer: null;
  customer_email: string | null;
  locale: string | null;
  mode: "payment";
  payment_intent: string | null;
  success_url: string;
  cancel_url: string | null;
  ui_mode: "hosted_page";
}

export interface ChargeObject {
  id: string;
  object: "charge";
  livemode: false;
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: true;
  created: number;
  currency: string;
  metadata: Record<string, string>;
  paid: true;
  payment_intent: string | null;
  refunded: boolean;
  status: "succeeded";
}

export type EventType =
  | "checkout.session.completed"
  | "checkout.session.async_payment_succeeded"
  | "checkout.session.async_payment_failed"
  | "checkout.session.expired"
  | "charge.refunded";
