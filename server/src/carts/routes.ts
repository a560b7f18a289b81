/** `POST /v1/carts`, `GET /v1/carts/:cartId`, `PUT /v1/carts/:cartId/lines`, `DELETE /v1/carts/:cartId`. */
import { createCartRequestSchema, setCartLineRequestSchema } from "@commerce/contracts/v1";
import { Hono } from "hono";
import type { Sql } from "../db/database.ts";
import type { AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/json-body.ts";
import { resolveShop } from "../shops/resolve-shop.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { clearCart, createCart, getCart, setLine } from "./carts.ts";

export function cartRoutes(deps: { sql: Sql; shops: ShopDirectory }) {
  const { sql, shops } = deps;
  return new Hono<AppEnv>()
    .post("/v1/carts", async (c) => {
      const shop = await resolveShop(c, shops);
      const body = await readJson(c, createCartRequestSchema);
      const cart = await createCart(sql, shop, body.lines ?? []);
      c.header("location", `/v1/carts/${cart.cartId}`);
      return c.json(cart, 201);
    })
    .get("/v1/carts/:cartId", async (c) => {
      const shop = await resolveShop(c, shops);
      return c.json(await getCart(sql, shop, c.req.param("cartId")));
    })
    .put("/v1/carts/:cartId/lines", async (c) => {
      const shop = await resolveShop(c, shops);
      const item = await readJson(c, setCartLineRequestSchema);
      return c.json(await setLine(sql, shop, c.req.param("cartId"), item));
    })
    .delete("/v1/carts/:cartId", async (c) => {
      const shop = await resolveShop(c, shops);
      await clearCart(sql, shop, c.req.param("cartId"));
      return c.body(null, 204);
    });
}
