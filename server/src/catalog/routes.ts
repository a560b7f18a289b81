/** `GET /v1/catalog`. */
import { catalogQuerySchema } from "@commerce/contracts/v1";
import { Hono } from "hono";
import type { Sql } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { parseInput } from "../http/json-body.ts";
import { resolveShop } from "../shops/resolve-shop.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { readCatalog } from "./catalog-query.ts";

export function catalogRoutes(deps: { sql: Sql; shops: ShopDirectory }) {
  return new Hono<AppEnv>().get("/v1/catalog", async (c) => {
    const shop = await resolveShop(c, deps.shops);
    const query = parseInput(catalogQuerySchema, c.req.query(), "query");
    return c.json(await readCatalog(deps.sql, shop, query.locale ?? shop.defaultLocale));
  });
}
