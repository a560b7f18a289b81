/**
 * The endpoint registry: every v1 endpoint with its inputs, the response schema of each status it
 * declares, and examples. OpenAPI and the contract tests are generated from this list, so an
 * endpoint exists for clients exactly when it is here.
 *
 * Examples run against a server holding the seed data (shops `cochlearfit` and `cover-me-pretty`).
 * An example may name a `fixture`: a server started in a particular broken state, for the statuses
 * a healthy server cannot produce (a database that is down, an unreachable central inventory).
 */
import * as z from "zod/mini";
import { cartSchema, createCartRequestSchema, setCartLineRequestSchema } from "./carts.ts";
import { catalogQuerySchema, catalogSchema } from "./catalog.ts";
import { type ErrorCode, errorEnvelopeFor } from "./errors.ts";
import { inventoryValidateRequestSchema, inventoryValidateResponseSchema } from "./inventory.ts";
import { healthSchema, readySchema } from "./operational.ts";

export type HttpMethod = "GET" | "POST" | "PUT" | "DELETE";
export type Fixture = "databaseDown" | "centralInventoryDown";

/**
 * Path-parameter values that stand for something the contract test makes first, then substitutes:
 * `$newCart` a fresh cart of `cochlearfit` (holding one line), `$otherShopCart` a fresh cart of
 * `cover-me-pretty` (to show that another shop's cart is not found).
 */
export type PathParamPlaceholder = "$newCart" | "$otherShopCart";
export const pathParamPlaceholders: readonly PathParamPlaceholder[] = ["$newCart", "$otherShopCart"];

export interface ResponseSpec {
  description: string;
  /** JSON body schema; absent for non-JSON bodies (the Prometheus text) and empty bodies. */
  schema?: z.ZodMiniType;
  contentType?: string;
  /** For error statuses: the codes this endpoint may answer with. */
  codes?: readonly ErrorCode[];
}

export interface Example {
  name: string;
  status: number;
  /** The error code an error example must carry. */
  code?: ErrorCode;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Values of the path's parameters; a {@link PathParamPlaceholder} is replaced before sending. */
  pathParams?: Record<string, string>;
  /** A JSON body, sent with `content-type: application/json`. */
  body?: unknown;
  /** A raw body with its own content type, for malformed-input examples. */
  rawBody?: { contentType: string; text: string };
  fixture?: Fixture;
}

export interface Endpoint {
  id: string;
  method: HttpMethod;
  /** OpenAPI-style path: `/v1/carts/{cartId}`. */
  path: string;
  summary: string;
  tags: readonly string[];
  /** Needs the `x-shop-id` header (or, where the body allows it, a body `shopId`). */
  shopScoped: boolean;
  query?: z.ZodMiniObject;
  body?: z.ZodMiniType;
  responses: Readonly<Record<number, ResponseSpec>>;
  examples: readonly Example[];
}

function errors(description: string, codes: readonly ErrorCode[]): ResponseSpec {
  return { description, schema: errorEnvelopeFor(codes), codes };
}

const shop = { "x-shop-id": "cochlearfit" } as const;
const black = { color: "black", size: "m" } as const;
const classic = "cf-headband-classic";

const bodyErrors = {
  413: errors("The body is larger than 64 KiB.", ["PAYLOAD_TOO_LARGE"]),
  415: errors("The body is not JSON.", ["UNSUPPORTED_MEDIA_TYPE"]),
} as const;

function bodyErrorExamples(): Example[] {
  return [
    {
      name: "a body over 64 KiB",
      status: 413,
      code: "PAYLOAD_TOO_LARGE",
      headers: shop,
      rawBody: { contentType: "application/json", text: `{"items":"${"x".repeat(70_000)}"}` },
    },
    {
      name: "a body that is not JSON by content type",
      status: 415,
      code: "UNSUPPORTED_MEDIA_TYPE",
      headers: shop,
      rawBody: { contentType: "text/plain", text: "items" },
    },
    {
      name: "a body that is not well-formed JSON",
      status: 400,
      code: "VALIDATION_FAILED",
      headers: shop,
      rawBody: { contentType: "application/json", text: '{"items": [' },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Carts

const newCart = { cartId: "$newCart" } as const;
const kidsSky = { sku: "cf-headband-kids", variantAttributes: { color: "sky", size: "xs" } } as const;
/** Well-formed, and never issued: ids are 144 random bits. */
const unknownCartId = "cart_AAAAAAAAAAAAAAAAAAAAAAAA";

const cartNotFound = errors(
  "The shop does not exist, or it has no such cart. A malformed cart id is answered like an unknown one, " +
    "and a cart of another shop is not found either (never 403).",
  ["SHOP_NOT_FOUND", "CART_NOT_FOUND"],
);

/** The 400s and 404s every endpoint that names a cart shares; `body` is a valid body, where one is needed. */
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
  ];
}

const cartEndpoints: readonly Endpoint[] = [
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
    },
    examples: [
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
    },
    examples: [{ name: "a cart is emptied", status: 204, headers: shop, pathParams: newCart }, ...cartLookupExamples()],
  },
];

export const endpoints: readonly Endpoint[] = [
  {
    id: "health",
    method: "GET",
    path: "/healthz",
    summary: "Liveness: the process runs.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "The process runs.", schema: healthSchema } },
    examples: [{ name: "the process answers", status: 200 }],
  },
  {
    id: "ready",
    method: "GET",
    path: "/readyz",
    summary: "Readiness: the database answers and every migration is applied.",
    tags: ["operations"],
    shopScoped: false,
    responses: {
      200: { description: "Ready to serve.", schema: readySchema },
      503: errors("The database does not answer or migrations are missing.", ["NOT_READY"]),
    },
    examples: [
      { name: "a healthy server is ready", status: 200 },
      { name: "a server whose database is down is not ready", status: 503, code: "NOT_READY", fixture: "databaseDown" },
    ],
  },
  {
    id: "metrics",
    method: "GET",
    path: "/metrics",
    summary: "Prometheus metrics.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "Prometheus text exposition.", contentType: "text/plain" } },
    examples: [{ name: "metrics are exposed", status: 200 }],
  },
  {
    id: "openapi",
    method: "GET",
    path: "/v1/openapi.json",
    summary: "This API as OpenAPI 3.1, generated from the contracts.",
    tags: ["operations"],
    shopScoped: false,
    responses: { 200: { description: "The OpenAPI document.", schema: z.looseObject({ openapi: z.string() }) } },
    examples: [{ name: "the document is served", status: 200 }],
  },
  {
    id: "getCatalog",
    method: "GET",
    path: "/v1/catalog",
    summary: "The shop's products with authoritative prices and live availability.",
    tags: ["catalog"],
    shopScoped: true,
    query: catalogQuerySchema,
    responses: {
      200: { description: "The catalog.", schema: catalogSchema },
      400: errors("No shop named, or a bad query.", ["SHOP_REQUIRED", "VALIDATION_FAILED"]),
      404: errors("The shop does not exist.", ["SHOP_NOT_FOUND"]),
    },
    examples: [
      { name: "the catalog of a sale shop", status: 200, headers: shop },
      { name: "the catalog in German", status: 200, headers: shop, query: { locale: "de" } },
      { name: "the catalog of a rental shop", status: 200, headers: { "x-shop-id": "cover-me-pretty" } },
      { name: "no shop header", status: 400, code: "SHOP_REQUIRED" },
      { name: "an unsupported locale", status: 400, code: "VALIDATION_FAILED", headers: shop, query: { locale: "fr" } },
      { name: "a malformed shop id", status: 400, code: "VALIDATION_FAILED", headers: { "x-shop-id": "Not A Shop!" } },
      { name: "an unknown shop", status: 404, code: "SHOP_NOT_FOUND", headers: { "x-shop-id": "no-such-shop" } },
    ],
  },
  {
    id: "validateInventory",
    method: "POST",
    path: "/v1/inventory/validate",
    summary: "Whether the shop has stock for these items right now.",
    tags: ["inventory"],
    shopScoped: true,
    body: inventoryValidateRequestSchema,
    responses: {
      200: { description: "Every item is in stock.", schema: inventoryValidateResponseSchema },
      400: errors("Bad input, no shop, a shop conflict, a variant-key mismatch or an unknown item.", [
        "VALIDATION_FAILED",
        "SHOP_REQUIRED",
        "SHOP_CONFLICT",
        "VARIANT_KEY_MISMATCH",
        "UNKNOWN_ITEM",
      ]),
      404: errors("The shop does not exist.", ["SHOP_NOT_FOUND"]),
      409: errors("Some items are short; details.items lists them.", ["INSUFFICIENT_STOCK"]),
      ...bodyErrors,
      503: errors("The central inventory is required and unreachable.", ["INVENTORY_UNAVAILABLE"]),
    },
    examples: [
      {
        name: "items named by variantAttributes",
        status: 200,
        headers: shop,
        body: { items: [{ sku: classic, quantity: 2, variantAttributes: black }] },
      },
      {
        name: "an item named by the deprecated variantKey alone",
        status: 200,
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantKey: "color:black|size:m" }] },
      },
      {
        name: "variantAttributes and an agreeing variantKey",
        status: 200,
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:black|size:m" }] },
      },
      {
        name: "the shop named in the body only",
        status: 200,
        body: { shopId: "cochlearfit", items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      },
      {
        name: "the same shop in header and body",
        status: 200,
        headers: shop,
        body: { shopId: "cochlearfit", items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      },
      {
        name: "no shop anywhere",
        status: 400,
        code: "SHOP_REQUIRED",
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      },
      {
        name: "header and body name different shops",
        status: 400,
        code: "SHOP_CONFLICT",
        headers: shop,
        body: { shopId: "cover-me-pretty", items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      },
      {
        name: "a variantKey that disagrees with variantAttributes",
        status: 400,
        code: "VARIANT_KEY_MISMATCH",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:navy|size:m" }] },
      },
      {
        name: "a sku the shop does not sell",
        status: 400,
        code: "UNKNOWN_ITEM",
        headers: shop,
        body: { items: [{ sku: "cf-no-such-thing", quantity: 1, variantAttributes: black }] },
      },
      {
        name: "a variant the product does not have",
        status: 400,
        code: "UNKNOWN_ITEM",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: { color: "purple", size: "m" } }] },
      },
      {
        name: "a quantity of zero",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 0, variantAttributes: black }] },
      },
      {
        name: "an item without a variant",
        status: 400,
        code: "VALIDATION_FAILED",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1 }] },
      },
      ...bodyErrorExamples(),
      {
        name: "an unknown shop",
        status: 404,
        code: "SHOP_NOT_FOUND",
        headers: { "x-shop-id": "no-such-shop" },
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      },
      {
        name: "a sold-out variant",
        status: 409,
        code: "INSUFFICIENT_STOCK",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: { color: "rose", size: "l" } }] },
      },
      {
        name: "more than the shop has",
        status: 409,
        code: "INSUFFICIENT_STOCK",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 99, variantAttributes: black }] },
      },
      {
        name: "a shop that requires central inventory while it is unreachable, in production",
        status: 503,
        code: "INVENTORY_UNAVAILABLE",
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
        fixture: "centralInventoryDown",
      },
    ],
  },
  ...cartEndpoints,
];

export function findEndpoint(id: string): Endpoint {
  const endpoint = endpoints.find((e) => e.id === id);
  if (!endpoint) throw new Error(`no endpoint ${id} in the v1 registry`);
  return endpoint;
}
