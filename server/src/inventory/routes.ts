/** `POST /v1/inventory/validate`. */
import { inventoryValidateRequestSchema } from "@commerce/contracts/v1";
import { Hono } from "hono";
import type { AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/json-body.ts";
import { requestLog } from "../http/request-id.ts";
import { resolveShop } from "../shops/resolve-shop.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { toRequestedItems } from "./requested-items.ts";
import { type InventoryDeps, validateInventory } from "./validate-inventory.ts";

export function inventoryRoutes(deps: InventoryDeps & { shops: ShopDirectory }) {
  return new Hono<AppEnv>().post("/v1/inventory/validate", async (c) => {
    const body = await readJson(c, inventoryValidateRequestSchema);
    const shop = await resolveShop(c, deps.shops, body.shopId);
    const items = toRequestedItems(body.items);
    return c.json(await validateInventory(deps, shop, items, requestLog(c)));
  });
}
