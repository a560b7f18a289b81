/**
 * Turns authoritative prices into the amounts of a checkout: pure arithmetic in integer minor units.
 *
 * A line's total is unitAmount × quantity (× rentalDays in rental mode). A coupon discounts the sum
 * of line totals, never deposits, and never below zero. Deposits (rental mode) are charged as lines
 * of their own. amountTotal = Σ lineTotal − discount + Σ deposits.
 */
import type { CheckoutLine } from "@commerce/contracts/v1";
import type { PricedVariant } from "../pricing/catalog-prices.ts";

export interface Coupon {
  code: string;
  kind: "percent" | "amount";
  value: number;
}

export interface QuotedLine extends CheckoutLine {
  title: string;
}

export interface Quote {
  lines: QuotedLine[];
  subtotal: number;
  discount: number;
  deposits: number;
  amountTotal: number;
}

export function quote(
  priced: readonly { variant: PricedVariant; quantity: number }[],
  options: { mode: "sale" | "rental"; rentalDays: number; coupon: Coupon | undefined },
): Quote {
  const periods = options.mode === "rental" ? options.rentalDays : 1;
  const lines = priced.map(({ variant, quantity }) => ({
    sku: variant.sku,
    variantKey: variant.variantKey,
    title: variant.title,
    quantity,
    unitAmount: variant.unitAmount,
    depositAmount: options.mode === "rental" ? variant.depositAmount : 0,
    lineTotal: variant.unitAmount * quantity * periods,
  }));
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  const deposits = lines.reduce((sum, line) => sum + line.depositAmount * line.quantity, 0);
  const discount = discountFor(options.coupon, subtotal);
  return { lines, subtotal, discount, deposits, amountTotal: subtotal - discount + deposits };
}

/** Percent coupons round half up to the minor unit; no discount exceeds what it applies to. */
export function discountFor(coupon: Coupon | undefined, subtotal: number): number {
  if (!coupon) return 0;
  const raw = coupon.kind === "percent" ? Math.round((subtotal * coupon.value) / 100) : coupon.value;
  return Math.min(raw, subtotal);
}

/** Drift beyond max(10 minor units, 1 % of what the shopper saw) counts as a price change. */
export function hasDrifted(expectedTotal: number, amountTotal: number): boolean {
  return Math.abs(amountTotal - expectedTotal) > Math.max(10, expectedTotal / 100);
}
