/**
 * From a checkout request to the normalized intent: the lines (from the server cart or the body),
 * the shop's mode and rental days, the locale and the redirect URLs, every one of them checked.
 */
import type { CheckoutRequest } from "@commerce/contracts/v1";
import { readCartLines } from "../carts/cart-store.ts";
import type { Sql } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import { toRequestedItems } from "../inventory/requested-items.ts";
import type { Shop } from "../shops/shop-directory.ts";
import type { NormalizedCheckout } from "./intent.ts";

export async function normalizeCheckout(sql: Sql, shop: Shop, body: CheckoutRequest): Promise<NormalizedCheckout> {
  if (body.mode !== undefined && body.mode !== shop.mode) {
    throw invalid("mode", `this shop checks out in ${shop.mode} mode`);
  }
  if (shop.mode === "rental" && body.rentalDays === undefined) {
    throw invalid("rentalDays", "rental checkouts need rentalDays");
  }
  if (shop.mode === "sale" && body.rentalDays !== undefined) {
    throw invalid("rentalDays", "rentalDays is for rental checkouts only");
  }

  let lines: NormalizedCheckout["lines"];
  if (body.cartId !== undefined) {
    const stored = await readCartLines(sql, shop.id, body.cartId);
    if (!stored) throw new ApiError("CART_NOT_FOUND", "no such cart");
    lines = stored;
  } else {
    lines = toRequestedItems(body.lines ?? []);
  }
  if (lines.length === 0) throw invalid("cartId", "the cart is empty");

  const locale = body.locale ?? (shop.defaultLocale === "de" ? "de" : "en");
  const site = shop.siteUrl.replace(/\/$/, "");
  return {
    shopId: shop.id,
    cartId: body.cartId,
    lines,
    couponCode: body.couponCode?.toUpperCase(),
    mode: shop.mode,
    rentalDays: shop.mode === "rental" ? (body.rentalDays ?? 1) : 0,
    locale,
    successUrl:
      allowedRedirect(shop, body.successUrl) ?? `${site}/${locale}/thank-you/?session_id={CHECKOUT_SESSION_ID}`,
    cancelUrl: allowedRedirect(shop, body.cancelUrl) ?? `${site}/${locale}/cart/`,
  };
}

/** A redirect must go back to one of the shop's own origins: never an open redirect. */
function allowedRedirect(shop: Shop, url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const origin = new URL(url).origin;
  if (!shop.allowedOrigins.includes(origin)) {
    throw new ApiError("REDIRECT_NOT_ALLOWED", `redirects may only go to the shop's own origins, not ${origin}`, {
      origin,
    });
  }
  return url;
}

function invalid(field: string, message: string): ApiError {
  return new ApiError("VALIDATION_FAILED", message, { issues: [{ path: `body.${field}`, message }] });
}
