/**
 * Registry: checkout. Examples that hold stock take one or two units of a variant with plenty, each
 * under an Idempotency-Key of its own, so they neither exhaust stock nor replay one another.
 *
 * The first success example carries an Idempotency-Key on purpose: the generated malformed inputs
 * start from it, so a fuzzed body that is still valid replays its hold (200) or is refused as a
 * reused key (409) — fuzzing never takes stock.
 */
import {
  checkoutRequestSchema,
  checkoutSessionSchema,
  checkoutSessionStatusSchema,
  idempotencyKeySchema,
} from "../checkout.ts";
import {
  black,
  bodyErrorExamples,
  bodyErrors,
  classic,
  databaseDownExample,
  databaseUnreachable,
  shop,
  unknownCartId,
} from "./shared.ts";
import { type Endpoint, type ExampleRequest, errors } from "./types.ts";

/** The shop header with an Idempotency-Key no other example uses. */
const keyed = (name: string) => ({ ...shop, "idempotency-key": `contract-checkout-${name}` });
const line = (sku: string, variantAttributes: Record<string, string>, quantity = 1) => ({
  sku,
  quantity,
  variantAttributes,
});
const navy = { color: "navy", size: "m" } as const;
const oneNavy = { lines: [line(classic, navy)] } as const;

const replayed: ExampleRequest = {
  headers: keyed("replayed"),
  body: { lines: [line("cf-headband-kids", { color: "sky", size: "xs" })] },
};
const reusedKey = keyed("reused");
const openSession = { sessionId: "$openSession" } as const;
/** Well-formed, and never issued. */
const unknownSession = { sessionId: "cs_test_unknown" } as const;

export const checkoutEndpoints: readonly Endpoint[] = [
  {
    id: "createCheckoutSession",
    method: "POST",
    path: "/v1/checkout/sessions",
    summary:
      "Reprices the lines (of a server cart or the body) from the catalog, holds their stock and opens a hosted " +
      "Stripe Checkout session for them. One intent (the Idempotency-Key, else the request itself) has one hold " +
      "and one session: asking again replays them.",
    tags: ["checkout"],
    shopScoped: true,
    headers: {
      "Idempotency-Key": {
        description:
          "Names the checkout intent: a retry with the same key and payload replays it (200), the same key " +
          "with another payload is 409 IDEMPOTENCY_KEY_REUSED. Without it the intent is derived from the request.",
        schema: idempotencyKeySchema,
      },
    },
    body: checkoutRequestSchema,
    responses: {
      201: { description: "A new hold and its Stripe Checkout session.", schema: checkoutSessionSchema },
      200: {
        description: "The same intent asked again: its hold and session, replayed (`replayed: true`).",
        schema: checkoutSessionSchema,
      },
      400: errors(
        "Bad input (neither or both of cartId and lines, an empty cart, a mode or rentalDays the shop does not " +
          "use), no shop, a variant-key mismatch, an item the shop does not sell, a coupon that is not valid now, " +
          "a redirect to a foreign origin, or a malformed Idempotency-Key.",
        [
          "VALIDATION_FAILED",
          "SHOP_REQUIRED",
          "VARIANT_KEY_MISMATCH",
          "UNKNOWN_ITEM",
          "INVALID_COUPON",
          "REDIRECT_NOT_ALLOWED",
          "IDEMPOTENCY_KEY_INVALID",
        ],
      ),
      404: errors("The shop does not exist, or it has no such cart (a cart of another shop included).", [
        "SHOP_NOT_FOUND",
        "CART_NOT_FOUND",
      ]),
      409: errors(
        "Some items are short (details.items; nothing held), the total drifted under enforce_and_reject " +
          "(details: expectedTotal, amountTotal, lines), the Idempotency-Key was used for another payload, " +
          "or the intent is already paid (details.orderId).",
        ["INSUFFICIENT_STOCK", "PRICE_CHANGED", "IDEMPOTENCY_KEY_REUSED", "ALREADY_COMPLETED"],
      ),
      ...bodyErrors,
      429: errors(
        "Too many checkout requests from this client (IP) for this shop this minute " +
          "(CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE, default 10); nothing was written. `Retry-After` gives the " +
          'seconds until the window resets; every counted answer carries `RateLimit-Policy: "checkout";q=10;w=60` ' +
          'and `RateLimit: "checkout";r=<remaining>;t=<seconds to reset>`.',
        ["RATE_LIMITED"],
      ),
      502: errors("The payment provider refused the session; the hold was released.", ["PAYMENT_PROVIDER_REJECTED"]),
      503: errors(
        "The payment provider did not answer; the hold is kept, and a retry with the same Idempotency-Key " +
          `converges (Retry-After). Or ${databaseUnreachable}, with the same key.`,
        ["PAYMENT_PROVIDER_UNAVAILABLE", "NOT_READY"],
      ),
    },
    examples: [
      databaseDownExample({
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      }),
      {
        name: "lines checked out under an Idempotency-Key",
        status: 201,
        headers: keyed("lines"),
        body: { ...oneNavy, expectedTotal: 2900 },
      },
      {
        name: "a server cart checked out without an Idempotency-Key (the intent is derived from the request)",
        status: 201,
        headers: shop,
        body: { cartId: "$newCart" },
      },
      {
        name: "a coupon (case-insensitive), a locale and redirects back to the shop's own site",
        status: 201,
        headers: keyed("coupon"),
        body: {
          lines: [line("cf-headband-sport", black, 2)],
          couponCode: "welcome10",
          locale: "de",
          successUrl: "http://localhost:4321/de/danke/",
          cancelUrl: "http://localhost:4321/de/cart/",
        },
      },
      {
        name: "a rental for three days (deposits become lines of their own)",
        status: 201,
        headers: { "x-shop-id": "cover-me-pretty", "idempotency-key": "contract-checkout-rental" },
        body: { lines: [line("cmp-charm-crystal", { color: "silver" })], mode: "rental", rentalDays: 3 },
      },
      {
        name: "a total that drifted is checked out at current prices, flagged priceChanged",
        status: 201,
        headers: keyed("drifted"),
        body: { lines: [line("cf-headband-slim", black)], expectedTotal: 1000 },
      },
      {
        name: "a line named by the deprecated variantKey alone",
        status: 201,
        headers: keyed("variant-key"),
        body: { lines: [{ sku: "cf-headband-bilateral", quantity: 1, variantKey: "color:black|size:m" }] },
      },
      { name: "the same intent asked again is replayed", status: 200, ...replayed, before: [replayed] },
      { name: "no shop header", status: 400, code: "SHOP_REQUIRED", body: oneNavy },
      {
        name: "a malformed shop id",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: { "x-shop-id": "Not A Shop!" },
        body: oneNavy,
      },
      { name: "neither cartId nor lines", status: 400, code: "VALIDATION_FAILED", headers: shop, body: {} },
      {
        name: "both cartId and lines",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { ...oneNavy, cartId: unknownCartId },
      },
      {
        name: "a server cart without lines",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { cartId: "$emptyCart" },
      },
      {
        name: "a malformed cart id",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { cartId: "not-a-cart" },
      },
      {
        name: "rentalDays in a sale shop",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { ...oneNavy, rentalDays: 3 },
      },
      {
        name: "a mode the shop does not use",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { ...oneNavy, mode: "rental" },
      },
      {
        name: "a variantKey that disagrees with variantAttributes",
        status: 400,
        code: "VARIANT_KEY_MISMATCH",
        headers: shop,
        body: { lines: [{ ...line(classic, navy), variantKey: "color:black|size:m" }] },
      },
      {
        name: "a variant the shop does not sell",
        status: 400,
        code: "UNKNOWN_ITEM",
        headers: shop,
        body: { lines: [line(classic, { color: "purple", size: "m" })] },
      },
      {
        name: "an unknown coupon",
        status: 400,
        code: "INVALID_COUPON",
        headers: shop,
        body: { ...oneNavy, couponCode: "NOSUCHCOUPON" },
      },
      {
        name: "a coupon whose window has ended",
        status: 400,
        code: "INVALID_COUPON",
        headers: shop,
        body: { ...oneNavy, couponCode: "SUMMER2025" },
      },
      {
        name: "a success URL on another origin",
        status: 400,
        code: "REDIRECT_NOT_ALLOWED",
        headers: shop,
        body: { ...oneNavy, successUrl: "https://attacker.example/thanks" },
      },
      {
        name: "an Idempotency-Key shorter than 8 characters",
        status: 400,
        code: "IDEMPOTENCY_KEY_INVALID",
        headers: { ...shop, "idempotency-key": "short" },
        body: oneNavy,
      },
      {
        name: "an Idempotency-Key with a character outside A-Z a-z 0-9 _ . : -",
        status: 400,
        code: "IDEMPOTENCY_KEY_INVALID",
        headers: { ...shop, "idempotency-key": "contract/checkout/slash" },
        body: oneNavy,
      },
      ...bodyErrorExamples(),
      {
        name: "an unknown shop",
        status: 404,
        code: "SHOP_NOT_FOUND",
        headers: { "x-shop-id": "no-such-shop" },
        body: oneNavy,
      },
      {
        name: "an unknown cart id",
        status: 404,
        code: "CART_NOT_FOUND",
        headers: shop,
        body: { cartId: unknownCartId },
      },
      {
        name: "a cart of another shop",
        status: 404,
        code: "CART_NOT_FOUND",
        headers: shop,
        body: { cartId: "$otherShopCart" },
      },
      {
        name: "a sold-out variant (nothing is held)",
        status: 409,
        code: "INSUFFICIENT_STOCK",
        headers: shop,
        body: { lines: [line(classic, { color: "rose", size: "l" })] },
      },
      {
        name: "more than the shop has",
        status: 409,
        code: "INSUFFICIENT_STOCK",
        headers: shop,
        body: { lines: [line(classic, black, 99)] },
      },
      {
        name: "a total that drifted, on a server that rejects drift",
        status: 409,
        code: "PRICE_CHANGED",
        headers: keyed("price-changed"),
        body: { ...oneNavy, expectedTotal: 100 },
        fixture: "repricingReject",
      },
      {
        name: "an Idempotency-Key used before for another checkout",
        status: 409,
        code: "IDEMPOTENCY_KEY_REUSED",
        headers: reusedKey,
        body: { lines: [line("cf-headband-kids", { color: "mint", size: "s" }, 2)] },
        before: [{ headers: reusedKey, body: { lines: [line("cf-headband-kids", { color: "mint", size: "s" })] } }],
      },
      {
        name: "an intent that was paid",
        status: 409,
        code: "ALREADY_COMPLETED",
        headers: keyed("paid"),
        body: { lines: [line(classic, { color: "grey", size: "m" })] },
        paidIntent: true,
      },
      {
        name: "a checkout over the rate limit (nothing is held)",
        status: 429,
        code: "RATE_LIMITED",
        headers: keyed("rate-limited"),
        body: oneNavy,
        fixture: "rateLimited",
        before: [{ headers: keyed("rate-limited-first"), body: oneNavy }],
      },
      {
        name: "the payment provider refuses the session",
        status: 502,
        code: "PAYMENT_PROVIDER_REJECTED",
        headers: keyed("provider-rejects"),
        body: oneNavy,
        fixture: "paymentProviderRejects",
      },
      {
        name: "the payment provider does not answer",
        status: 503,
        code: "PAYMENT_PROVIDER_UNAVAILABLE",
        headers: keyed("provider-down"),
        body: oneNavy,
        fixture: "paymentProviderDown",
      },
    ],
  },
  {
    id: "getCheckoutSessionStatus",
    method: "GET",
    path: "/v1/checkout/sessions/{sessionId}",
    summary:
      "The payment of a checkout session as the server has verified it: what a storefront asks before it clears " +
      "a cart. A payment already recorded is answered from the server's records; otherwise Stripe is asked, and " +
      "what it says is recorded exactly as the webhook would record it.",
    tags: ["checkout"],
    shopScoped: true,
    responses: {
      200: { description: "The session's state and payment.", schema: checkoutSessionStatusSchema },
      400: errors("No shop named, or a malformed shop id.", ["SHOP_REQUIRED", "VALIDATION_FAILED"]),
      404: errors(
        "The shop does not exist, or it has no such session. A malformed session id is answered like an unknown " +
          "one, and a session of another shop is not found either (never 403).",
        ["SHOP_NOT_FOUND", "SESSION_NOT_FOUND"],
      ),
      503: errors(
        `No payment is recorded yet and Stripe did not answer when asked, or ${databaseUnreachable}; ask again ` +
          "shortly (Retry-After).",
        ["PAYMENT_PROVIDER_UNAVAILABLE", "NOT_READY"],
      ),
    },
    examples: [
      databaseDownExample({ headers: shop, pathParams: unknownSession }),
      { name: "an open session, not paid yet", status: 200, headers: shop, pathParams: openSession },
      { name: "a paid session", status: 200, headers: shop, pathParams: { sessionId: "$paidSession" } },
      { name: "no shop header", status: 400, code: "SHOP_REQUIRED", pathParams: unknownSession },
      {
        name: "a malformed shop id",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: { "x-shop-id": "Not A Shop!" },
        pathParams: unknownSession,
      },
      {
        name: "an unknown shop",
        status: 404,
        code: "SHOP_NOT_FOUND",
        headers: { "x-shop-id": "no-such-shop" },
        pathParams: unknownSession,
      },
      {
        name: "an unknown session id",
        status: 404,
        code: "SESSION_NOT_FOUND",
        headers: shop,
        pathParams: unknownSession,
      },
      {
        name: "a malformed session id is not found, like an unknown one",
        status: 404,
        code: "SESSION_NOT_FOUND",
        headers: shop,
        pathParams: { sessionId: "not-a-session" },
      },
      {
        name: "a session of another shop",
        status: 404,
        code: "SESSION_NOT_FOUND",
        headers: shop,
        pathParams: { sessionId: "$otherShopSession" },
      },
      {
        name: "an unpaid session while Stripe does not answer",
        status: 503,
        code: "PAYMENT_PROVIDER_UNAVAILABLE",
        headers: shop,
        pathParams: openSession,
        fixture: "paymentProviderReadsDown",
      },
    ],
  },
];
