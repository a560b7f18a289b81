/**
 * Turns a cart's stored identifiers into the contract's Cart: current prices, titles, attributes and
 * availability from the catalog in one query. A line whose variant the shop no longer sells is left
 * out of the answer (it stays stored; setting its quantity to 0 still removes it).
 */
import type { Cart } from "@commerce/contracts/v1";
import type { Sql } from "../db/database.ts";
import { lookupVariants, type PricedVariant, variantId } from "../pricing/catalog-prices.ts";
import type { Shop } from "../shops/shop-directory.ts";
import type { StoredLine } from "./cart-store.ts";

export async function hydrateCart(sql: Sql, shop: Shop, cartId: string, stored: readonly StoredLine[]): Promise<Cart> {
  return toCart(shop, cartId, stored, await lookupVariants(sql, shop, stored));
}

/** Pure: the cart from its stored lines and their prices (keyed by `variantId`), in stored order. */
export function toCart(
  shop: Shop,
  cartId: string,
  stored: readonly StoredLine[],
  prices: ReadonlyMap<string, PricedVariant>,
): Cart {
  const lines = stored.flatMap((line) => {
    const variant = prices.get(variantId(line.sku, line.variantKey));
    if (!variant) return [];
    return [
      {
        sku: line.sku,
        variantKey: line.variantKey,
        attributes: variant.attributes,
        title: variant.title,
        quantity: line.quantity,
        unitAmount: variant.unitAmount,
        depositAmount: variant.depositAmount,
        lineTotal: variant.unitAmount * line.quantity,
        available: variant.available,
      },
    ];
  });
  const subtotal = lines.reduce((sum, line) => sum + line.lineTotal, 0);
  return { cartId, currency: shop.currency, lines, subtotal };
}
