/** Registry: whether a shop has stock for some items. */
import { inventoryValidateRequestSchema, inventoryValidateResponseSchema } from "../inventory.ts";
import {
  black,
  bodyErrorExamples,
  bodyErrors,
  classic,
  databaseDownExample,
  databaseUnreachable,
  shop,
} from "./shared.ts";
import { type Endpoint, errors } from "./types.ts";

export const inventoryEndpoints: readonly Endpoint[] = [
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
      503: errors(`The central inventory is required and unreachable; or ${databaseUnreachable}.`, [
        "INVENTORY_UNAVAILABLE",
        "NOT_READY",
      ]),
    },
    examples: [
      databaseDownExample({
        headers: shop,
        body: { items: [{ sku: classic, quantity: 1, variantAttributes: black }] },
      }),
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
];
