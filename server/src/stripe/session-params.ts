/**
 * The Stripe Checkout Session parameters for a hold, built once and frozen on it: every attempt for
 * the hold sends exactly these, so a retry under the same idempotency key never differs (D05: prices
 * as `price_data` from our catalog, no Price IDs).
 *
 * Stripe applies discounts only through its own coupon objects; to charge exactly our total without
 * another API call, a discounted checkout sends each line as one item whose amount already has its
 * share of the discount taken off (shares proportional to line totals, remainders to the largest).
 */
import type { QuotedLine } from "../checkout/quote.ts";
import type { CheckoutSessionParams } from "./gateway.ts";

export interface SessionInput {
  holdId: string;
  shopId: string;
  cartId: string | null;
  currency: string;
  mode: "sale" | "rental";
  rentalDays: number;
  lines: readonly QuotedLine[];
  discount: number;
  locale: "en" | "de";
  successUrl: string;
  cancelUrl: string;
  expiresAt: Date;
}

export function buildSessionParams(input: SessionInput): CheckoutSessionParams {
  const metadata = {
    shop_id: input.shopId,
    hold_id: input.holdId,
    cart_id: input.cartId ?? "",
    rental_days: String(input.mode === "rental" ? input.rentalDays : 0),
  };
  const shares = allocate(
    input.lines.map((l) => l.lineTotal),
    input.discount,
  );
  const periods = input.mode === "rental" ? input.rentalDays : 1;
  const items: NonNullable<CheckoutSessionParams["line_items"]> = input.lines.map((line, i) => {
    const name = `${line.title} (${line.variantKey})`;
    const product_data = { name, metadata: { sku: line.sku, variant_key: line.variantKey } };
    return input.discount > 0
      ? {
          quantity: 1,
          price_data: {
            currency: input.currency,
            unit_amount: line.lineTotal - (shares[i] ?? 0),
            product_data: { ...product_data, name: `${name} × ${line.quantity}` },
          },
        }
      : {
          quantity: line.quantity,
          price_data: { currency: input.currency, unit_amount: line.unitAmount * periods, product_data },
        };
  });
  for (const line of input.lines) {
    if (line.depositAmount === 0) continue;
    items.push({
      quantity: line.quantity,
      price_data: {
        currency: input.currency,
        unit_amount: line.depositAmount,
        product_data: {
          name: `Deposit: ${line.title} (${line.variantKey})`,
          metadata: { sku: line.sku, deposit: "true" },
        },
      },
    });
  }
  return {
    mode: "payment",
    line_items: items,
    success_url: input.successUrl,
    cancel_url: input.cancelUrl,
    expires_at: Math.floor(input.expiresAt.getTime() / 1000),
    locale: input.locale,
    client_reference_id: input.holdId,
    metadata,
    payment_intent_data: { metadata },
  };
}

/** Splits `total` over `weights` proportionally in whole units; the shares add up to `total` exactly. */
export function allocate(weights: readonly number[], total: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const exact = weights.map((w) => (w * total) / sum);
  const shares = exact.map(Math.floor);
  let left = total - shares.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left === 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    left -= 1;
  }
  return shares;
}
