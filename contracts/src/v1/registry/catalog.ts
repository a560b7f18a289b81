/** Registry: the catalog. */
import { catalogQuerySchema, catalogSchema } from "../catalog.ts";
import { databaseDownExample, databaseUnreachable, shop } from "./shared.ts";
import { type Endpoint, errors } from "./types.ts";

export const catalogEndpoints: readonly Endpoint[] = [
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
      503: errors(`${databaseUnreachable}.`, ["NOT_READY"]),
    },
    examples: [
      { name: "the catalog of a sale shop", status: 200, headers: shop },
      { name: "the catalog in German", status: 200, headers: shop, query: { locale: "de" } },
      { name: "the catalog of a rental shop", status: 200, headers: { "x-shop-id": "cover-me-pretty" } },
      { name: "no shop header", status: 400, code: "SHOP_REQUIRED" },
      { name: "an unsupported locale", status: 400, code: "VALIDATION_FAILED", headers: shop, query: { locale: "fr" } },
      { name: "a malformed shop id", status: 400, code: "VALIDATION_FAILED", headers: { "x-shop-id": "Not A Shop!" } },
      { name: "an unknown shop", status: 404, code: "SHOP_NOT_FOUND", headers: { "x-shop-id": "no-such-shop" } },
      databaseDownExample({ headers: shop }),
    ],
  },
];
