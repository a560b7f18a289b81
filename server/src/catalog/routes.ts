/** `GET /v1/catalog`. */
import { catalogQuerySchema } from "@commerce/contracts/v1";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { parseInput } from "../http/json-body.ts";
import { resolveShop } from "../shops/resolve-shop.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import type { CatalogReader } from "./catalog-reader.ts";

export function catalogRoutes(deps: { catalog: CatalogReader; shops: ShopDirectory }) {
  return new Hono<AppEnv>().get("/v1/catalog", async (c) => {
    const shop = await resolveShop(c, deps.shops);
    const query = parseInput(catalogQuerySchema, c.req.query(), "query");
    const body = await deps.catalog.read(shop, query.locale ?? shop.defaultLocale);
    c.header("content-type", "application/json; charset=utf-8");
    return c.body(body);
  });
}
