/** Registry: server-held carts. */
import { cartSchema, createCartRequestSchema, setCartLineRequestSchema } from "../carts.ts";
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
import { type Endpoint, type Example, errors } from "./types.ts";

const newCart = { cartId: "$newCart" } as const;
const kidsSky = { sku: "cf-headband-kids", variantAttributes: { color: "sky", size: "xs" } } as const;

const cartNotFound = errors(
  "The shop does not exist, or it has no such cart. A malformed cart id is answered like an unknown one, " +
    "and a cart of another shop is not found either (never 403).",
  ["SHOP_NOT_FOUND", "CART_NOT_FOUND"],
);

const notReady = errors(`${databaseUnreachable}.`, ["NOT_READY"]);

/** The 400s, 404s and 503 every endpoint that names a cart shares; `body` is a valid body, where one is needed. */
function cartLookupExamples(body?: unknown): Example[] {
  const withBody = body === undefined ? {} : { body };
  return [
    { name: "no shop header", status: 400, code: "SHOP_REQUIRED", pathParams: newCart, ...withBody },
    {
      name: "a malformed shop id",
      status: 400,
      code: "VALIDATION_FAILED",
      headers: { "x-shop-id": "Not A Shop!" },
      pathParams: newCart,
      ...withBody,
    },
    {
      name: "an unknown shop",
      status: 404,
      code: "SHOP_NOT_FOUND",
      headers: { "x-shop-id": "no-such-shop" },
      pathParams: newCart,
      ...withBody,
    },
    {
      name: "an unknown cart id",
      status: 404,
      code: "CART_NOT_FOUND",
      headers: shop,
      pathParams: { cartId: unknownCartId },
      ...withBody,
    },
    {
      name: "a malformed cart id is not found, like an unknown one",
      status: 404,
      code: "CART_NOT_FOUND",
      headers: shop,
      pathParams: { cartId: "not-a-cart" },
      ...withBody,
    },
    {
      name: "a cart of another shop",
      status: 404,
      code: "CART_NOT_FOUND",
      headers: shop,
      pathParams: { cartId: "$otherShopCart" },
      ...withBody,
    },
    databaseDownExample({ headers: shop, pathParams: { cartId: unknownCartId }, ...withBody }),
  ];
}

export const cartEndpoints: readonly Endpoint[] = [
  {
    id: "createCart",
    method: "POST",
    path: "/v1/carts",
    summary:
      "Creates a server-held cart, optionally with lines (the same variant twice is one line). " +
      "It stores identifiers and quantities only; prices and availability are hydrated on every read.",
    tags: ["carts"],
    shopScoped: true,
    body: createCartRequestSchema,
    responses: {
      201: { description: "The new cart.", schema: cartSchema },
      400: errors(
        "Bad input (a line over 99 once repeated variants are added up, over 50 lines), no shop, " +
          "a variant-key mismatch or an item the shop does not sell.",
        ["VALIDATION_FAILED", "SHOP_REQUIRED", "VARIANT_KEY_MISMATCH", "UNKNOWN_ITEM"],
      ),
      404: errors("The shop does not exist.", ["SHOP_NOT_FOUND"]),
      ...bodyErrors,
      429: errors(
        "Too many carts created by this client (IP) for this shop this minute: a budget of its own, six times " +
          "the checkout limit (60 by default); nothing was written. `Retry-After` gives the seconds until the " +
          'window resets; every counted answer carries `RateLimit-Policy: "cart";q=60;w=60` and `RateLimit`.',
        ["RATE_LIMITED"],
      ),
      503: notReady,
    },
    examples: [
      databaseDownExample({ headers: shop, body: {} }),
      {
        name: "a cart with lines",
        status: 201,
        headers: shop,
        body: {
          lines: [
            { sku: classic, quantity: 2, variantAttributes: black },
            { ...kidsSky, quantity: 1 },
          ],
        },
      },
      { name: "an empty cart", status: 201, headers: shop, body: {} },
      {
        name: "a line named by the deprecated variantKey alone",
        status: 201,
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 1, variantKey: "color:black|size:m" }] },
      },
      {
        name: "the same variant twice becomes one line",
        status: 201,
        headers: shop,
        body: {
          lines: [
            { sku: classic, quantity: 2, variantAttributes: black },
            { sku: classic, quantity: 3, variantKey: "color:black|size:m" },
          ],
        },
      },
      {
        name: "price-like fields in items are ignored",
        status: 201,
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 1, variantAttributes: black, unitAmount: 1, lineTotal: 1 }] },
      },
      {
        name: "a sold-out variant (availability is shown; checkout enforces stock)",
        status: 201,
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 3, variantAttributes: { color: "rose", size: "l" } }] },
      },
      { name: "no shop header", status: 400, code: "SHOP_REQUIRED", body: {} },
      {
        name: "a quantity of zero",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 0, variantAttributes: black }] },
      },
      {
        name: "a variant repeated up to more than 99",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: {
          lines: [
            { sku: classic, quantity: 60, variantAttributes: black },
            { sku: classic, quantity: 40, variantKey: "color:black|size:m" },
          ],
        },
      },
      {
        name: "more than 50 lines",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { lines: Array.from({ length: 51 }, () => ({ sku: classic, quantity: 1, variantAttributes: black })) },
      },
      {
        name: "a variantKey that disagrees with variantAttributes",
        status: 400,
        code: "VARIANT_KEY_MISMATCH",
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:navy|size:m" }] },
      },
      {
        name: "a variant the shop does not sell",
        status: 400,
        code: "UNKNOWN_ITEM",
        headers: shop,
        body: { lines: [{ sku: classic, quantity: 1, variantAttributes: { color: "purple", size: "m" } }] },
      },
      ...bodyErrorExamples(),
      {
        name: "an unknown shop",
        status: 404,
        code: "SHOP_NOT_FOUND",
        headers: { "x-shop-id": "no-such-shop" },
        body: {},
      },
      {
        name: "a cart over the rate limit (six a minute when checkout allows one)",
        status: 429,
        code: "RATE_LIMITED",
        headers: shop,
        body: {},
        fixture: "rateLimited",
        before: Array.from({ length: 6 }, () => ({ headers: shop, body: {} })),
      },
    ],
  },
  {
    id: "getCart",
    method: "GET",
    path: "/v1/carts/{cartId}",
    summary: "A cart with current prices, titles and availability; lines the shop no longer sells are left out.",
    tags: ["carts"],
    shopScoped: true,
    responses: {
      200: { description: "The cart.", schema: cartSchema },
      400: errors("No shop named, or a malformed shop id.", ["SHOP_REQUIRED", "VALIDATION_FAILED"]),
      404: cartNotFound,
      503: notReady,
    },
    examples: [{ name: "a cart", status: 200, headers: shop, pathParams: newCart }, ...cartLookupExamples()],
  },
  {
    id: "setCartLine",
    method: "PUT",
    path: "/v1/carts/{cartId}/lines",
    summary: "Sets a variant's quantity in the cart (it does not add to it); 0 removes the line.",
    tags: ["carts"],
    shopScoped: true,
    body: setCartLineRequestSchema,
    responses: {
      200: { description: "The cart after the change.", schema: cartSchema },
      400: errors(
        "Bad input (a quantity outside 0..99, a 51st line), no shop, a variant-key mismatch or a variant " +
          "the shop does not sell (when adding).",
        ["VALIDATION_FAILED", "SHOP_REQUIRED", "VARIANT_KEY_MISMATCH", "UNKNOWN_ITEM"],
      ),
      404: cartNotFound,
      503: notReady,
      ...bodyErrors,
    },
    examples: [
      {
        name: "a line's quantity is set",
        status: 200,
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 3, variantAttributes: black },
      },
      {
        name: "a new variant is added",
        status: 200,
        headers: shop,
        pathParams: newCart,
        body: { ...kidsSky, quantity: 2 },
      },
      {
        name: "quantity 0 removes the line",
        status: 200,
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 0, variantAttributes: black },
      },
      {
        name: "a variant named by the deprecated variantKey alone",
        status: 200,
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 5, variantKey: "color:black|size:m" },
      },
      {
        name: "a quantity over 99",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 100, variantAttributes: black },
      },
      {
        name: "an item without a variant",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 1 },
      },
      {
        name: "a variantKey that disagrees with variantAttributes",
        status: 400,
        code: "VARIANT_KEY_MISMATCH",
        headers: shop,
        pathParams: newCart,
        body: { sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:navy|size:m" },
      },
      {
        name: "a sku the shop does not sell",
        status: 400,
        code: "UNKNOWN_ITEM",
        headers: shop,
        pathParams: newCart,
        body: { sku: "cf-no-such-thing", quantity: 1, variantAttributes: black },
      },
      ...cartLookupExamples({ sku: classic, quantity: 1, variantAttributes: black }),
      ...bodyErrorExamples().map((example) => ({ ...example, pathParams: newCart })),
    ],
  },
  {
    id: "clearCart",
    method: "DELETE",
    path: "/v1/carts/{cartId}",
    summary: "Empties the cart: its lines are deleted, and its id stays valid for an empty cart.",
    tags: ["carts"],
    shopScoped: true,
    responses: {
      204: { description: "The cart is empty." },
      400: errors("No shop named, or a malformed shop id.", ["SHOP_REQUIRED", "VALIDATION_FAILED"]),
      404: cartNotFound,
      503: notReady,
    },
    examples: [{ name: "a cart is emptied", status: 204, headers: shop, pathParams: newCart }, ...cartLookupExamples()],
  },
];
