/**
 * Turns request items into one line per variant: keys resolved (a disagreeing variantKey fails
 * closed), quantities of repeated variants added up.
 */
import { type Item, resolveVariantKey } from "@commerce/contracts/v1";
import { ApiError } from "../http/api-error.ts";

export interface RequestedItem {
  sku: string;
  variantKey: string;
  quantity: number;
}

export function toRequestedItems(items: readonly Item[]): RequestedItem[] {
  const byVariant = new Map<string, RequestedItem>();
  items.forEach((item, index) => {
    const resolved = resolveVariantKey(item);
    if (!resolved.ok) {
      throw new ApiError(
        "VARIANT_KEY_MISMATCH",
        `items.${index}: variantKey ${resolved.given} does not match variantAttributes (${resolved.computed})`,
        { index, sku: item.sku, variantKey: resolved.given, expected: resolved.computed },
      );
    }
    const id = `${item.sku}\u0000${resolved.variantKey}`;
    const line = byVariant.get(id);
    if (line) line.quantity += item.quantity;
    else byVariant.set(id, { sku: item.sku, variantKey: resolved.variantKey, quantity: item.quantity });
  });
  return [...byVariant.values()];
}
