/**
 * The cart rules: what may be put in a cart, and the errors a client sees. Input is checked before
 * the cart is looked up, and a malformed cart id is refused at the same point as an unknown one
 * (404 CART_NOT_FOUND, without a query), so a client cannot tell the two apart.
 */
import { type Cart, cartIdSchema, type Item, resolveVariantKey, type SetCartLineRequest } from "@commerce/contracts/v1";
import * as z from "zod/mini";
import type { Sql } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import { toRequestedItems } from "../inventory/requested-items.ts";
import { priceVariants } from "../pricing/catalog-prices.ts";
import type { Shop } from "../shops/shop-directory.ts";
import {
  clearCartLines,
  insertCart,
  MAX_CART_LINES,
  newCartId,
  readCartLines,
  type StoredLine,
  setCartLine,
} from "./cart-store.ts";
import { hydrateCart } from "./hydrate-cart.ts";

export const MAX_LINE_QUANTITY = 99;

const notFound = (cartId: string) => new ApiError("CART_NOT_FOUND", `no cart ${cartId.slice(0, 80)}`);

/** The id when it could name a cart; otherwise 404, as for an unknown id. */
function knownShape(cartId: string): string {
  if (!z.safeParse(cartIdSchema, cartId).success) throw notFound(cartId);
  return cartId;
}

function invalid(path: string, message: string): ApiError {
  return new ApiError("VALIDATION_FAILED", `invalid body: ${path}: ${message}`, { issues: [{ path, message }] });
}

export async function createCart(sql: Sql, shop: Shop, items: readonly Item[]): Promise<Cart> {
  const lines = toRequestedItems(items);
  const over = lines.find((line) => line.quantity > MAX_LINE_QUANTITY);
  if (over) {
    throw invalid(
      "body.lines",
      `${over.sku} (${over.variantKey}) adds up to ${over.quantity}, over ${MAX_LINE_QUANTITY}`,
    );
  }
  await priceVariants(sql, shop, lines);
  const cartId = newCartId();
  await insertCart(sql, shop.id, cartId, lines);
  return getCart(sql, shop, cartId);
}

export async function getCart(sql: Sql, shop: Shop, cartId: string): Promise<Cart> {
  const stored = await readCartLines(sql, shop.id, knownShape(cartId));
  if (!stored) throw notFound(cartId);
  return hydrateCart(sql, shop, cartId, stored);
}

/** Sets the variant's quantity (not adds to it); 0 removes the line. */
export async function setLine(sql: Sql, shop: Shop, cartId: string, item: SetCartLineRequest): Promise<Cart> {
  const resolved = resolveVariantKey(item);
  if (!resolved.ok) {
    throw new ApiError(
      "VARIANT_KEY_MISMATCH",
      `variantKey ${resolved.given} does not match variantAttributes (${resolved.computed})`,
      { sku: item.sku, variantKey: resolved.given, expected: resolved.computed },
    );
  }
  const line: StoredLine = { sku: item.sku, variantKey: resolved.variantKey, quantity: item.quantity };
  // Only adding needs a variant the shop sells: a line it stopped selling can still be removed.
  if (line.quantity > 0) await priceVariants(sql, shop, [line]);
  const outcome = await setCartLine(sql, shop.id, knownShape(cartId), line);
  if (outcome === "no-cart") throw notFound(cartId);
  if (outcome === "too-many-lines") throw invalid("body", `a cart holds at most ${MAX_CART_LINES} lines`);
  return getCart(sql, shop, cartId);
}

/** Deletes every line; the cart id stays valid and the cart empty. */
export async function clearCart(sql: Sql, shop: Shop, cartId: string): Promise<void> {
  if (!(await clearCartLines(sql, shop.id, knownShape(cartId)))) throw notFound(cartId);
}
