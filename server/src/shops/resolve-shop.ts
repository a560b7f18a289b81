/**
 * Which shop a request is for: the `x-shop-id` header, or a body `shopId` where the schema allows
 * one. Both present and different → SHOP_CONFLICT (never pick one silently); neither → SHOP_REQUIRED.
 */
import { shopIdSchema } from "@commerce/contracts/v1";
import type { Context } from "hono";
import { ApiError } from "../http/api-error.ts";
import type { AppEnv } from "../http/app-env.ts";
import { parseInput } from "../http/json-body.ts";
import type { Shop, ShopDirectory } from "./shop-directory.ts";

export async function resolveShop(c: Context<AppEnv>, shops: ShopDirectory, bodyShopId?: string): Promise<Shop> {
  const header = c.req.header("x-shop-id");
  if (header !== undefined && bodyShopId !== undefined && header !== bodyShopId) {
    throw new ApiError("SHOP_CONFLICT", "the x-shop-id header and the body's shopId name different shops", {
      header,
      body: bodyShopId,
    });
  }
  const shopId = header ?? bodyShopId;
  if (shopId === undefined) throw new ApiError("SHOP_REQUIRED", "name the shop in the x-shop-id header");
  parseInput(shopIdSchema, shopId, "x-shop-id");
  const shop = await shops.get(shopId);
  if (!shop) throw new ApiError("SHOP_NOT_FOUND", `no shop ${shopId}`);
  c.set("shop", shop);
  return shop;
}
