/**
 * The checkout intent: what makes two requests "the same checkout". With an `Idempotency-Key` the key
 * is the caller's; otherwise it is derived from the normalized request, so a double click or a
 * reload without a key still converges on one hold. The payload fingerprint tells a retry (same
 * payload) from a reuse of a key for something else (409 IDEMPOTENCY_KEY_REUSED).
 */
import { createHash } from "node:crypto";
import type { RequestedItem } from "../inventory/requested-items.ts";

export interface NormalizedCheckout {
  shopId: string;
  cartId: string | undefined;
  lines: readonly RequestedItem[];
  couponCode: string | undefined;
  mode: "sale" | "rental";
  rentalDays: number;
  locale: string;
  successUrl: string;
  cancelUrl: string;
}

function canonical(checkout: NormalizedCheckout): string {
  const lines = [...checkout.lines]
    .sort((a, b) => (a.sku === b.sku ? a.variantKey.localeCompare(b.variantKey) : a.sku.localeCompare(b.sku)))
    .map((l) => [l.sku, l.variantKey, l.quantity]);
  return JSON.stringify([
    checkout.shopId,
    checkout.cartId ?? null,
    lines,
    checkout.couponCode?.toUpperCase() ?? null,
    checkout.mode,
    checkout.rentalDays,
    checkout.locale,
    checkout.successUrl,
    checkout.cancelUrl,
  ]);
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("base64url");

export function payloadHash(checkout: NormalizedCheckout): string {
  return sha256(canonical(checkout));
}

/**
 * The intent key: the caller's Idempotency-Key, else derived from the payload itself (a cart's
 * current lines included, so a cart that changed is a new intent, not a replay of the old one).
 */
export function intentKey(checkout: NormalizedCheckout, idempotencyKey: string | undefined): string {
  return idempotencyKey === undefined ? `derived:${payloadHash(checkout)}` : `key:${idempotencyKey}`;
}
