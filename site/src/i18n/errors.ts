/**
 * Every CommerceError as one plain sentence in the shopper's language: never a code, never a blank.
 * Codes a shopper cannot act on share the generic sentence.
 */
import type { CommerceError } from "@commerce/client";
import type { MessageKey } from "./en.ts";
import type { Translate } from "./format.ts";

/** How to name a line in a sentence ("Classic Headband (Rose, L)"), given its sku and variant key. */
export type ItemNamer = (sku: string, variantKey: string) => string;

/** The dictionary keys these sentences use; islands that show errors receive them. */
export const errorPrefixes = ["error."];

const unavailable = new Set([
  "PAYMENT_PROVIDER_UNAVAILABLE",
  "NOT_READY",
  "INVENTORY_UNAVAILABLE",
  "TENANT_UNRESOLVED",
]);
const ownSentence: Partial<Record<string, MessageKey>> = {
  NETWORK_ERROR: "error.NETWORK_ERROR",
  PRICE_CHANGED: "error.PRICE_CHANGED",
  INVALID_COUPON: "error.INVALID_COUPON",
  EMPTY_CART: "error.EMPTY_CART",
  UNKNOWN_ITEM: "error.UNKNOWN_ITEM",
  ALREADY_COMPLETED: "error.ALREADY_COMPLETED",
  PAYMENT_PROVIDER_REJECTED: "error.PAYMENT_PROVIDER_REJECTED",
};

export function errorMessage(tr: Translate, error: unknown, nameItem?: ItemNamer): string {
  const failure = asCommerceError(error);
  if (!failure) return tr("error.generic");
  const { code } = failure;
  if (code === "INSUFFICIENT_STOCK") return stockMessage(tr, failure, nameItem);
  if (code === "RATE_LIMITED") {
    const wait = failure.retryAfter;
    return wait && wait > 0 ? tr("error.RATE_LIMITED", { n: wait }) : tr("error.RATE_LIMITED.soon");
  }
  if (unavailable.has(code)) return tr("error.UNAVAILABLE");
  return tr(ownSentence[code] ?? "error.generic");
}

function stockMessage(tr: Translate, error: CommerceError, nameItem?: ItemNamer): string {
  const items = Array.isArray(error.details.items) ? error.details.items : [];
  const first: unknown = items[0];
  if (items.length !== 1 || !nameItem || !isShortfall(first)) return tr("error.INSUFFICIENT_STOCK");
  const item = nameItem(first.sku, first.variantKey);
  return first.available > 0
    ? tr("error.INSUFFICIENT_STOCK.some", { item, n: first.available })
    : tr("error.INSUFFICIENT_STOCK.none", { item });
}

function isShortfall(value: unknown): value is { sku: string; variantKey: string; available: number } {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.sku === "string" && typeof v.variantKey === "string" && typeof v.available === "number";
}

/** Duck-typed so it holds across bundles; the client only ever throws CommerceError. */
function asCommerceError(error: unknown): CommerceError | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as Partial<CommerceError>;
  return e.name === "CommerceError" && typeof e.code === "string" ? (error as CommerceError) : undefined;
}
