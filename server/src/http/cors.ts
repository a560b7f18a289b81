/**
 * CORS from the shops' `allowedOrigins`. A preflight carries no `x-shop-id`, so it is allowed when
 * some shop allows the origin; the actual response is allowed only for the shop the request is for
 * (or, when no shop was resolved, as for a preflight), so a browser on one shop's site cannot read
 * another shop's answers.
 */
import type { MiddlewareHandler } from "hono";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import type { AppEnv } from "./app-env.ts";

const allowHeaders = "content-type, x-shop-id, idempotency-key, x-request-id";
const exposeHeaders = "x-request-id, retry-after, ratelimit, ratelimit-policy";

export function cors(shops: ShopDirectory): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (origin === undefined) return next();

    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      c.header("vary", "Origin");
      if (!(await shops.anyShopAllows(origin).catch(() => false))) return c.body(null, 204);
      c.header("access-control-allow-origin", origin);
      c.header("access-control-allow-methods", "GET, POST, PUT, DELETE");
      c.header("access-control-allow-headers", allowHeaders);
      c.header("access-control-max-age", "600");
      return c.body(null, 204);
    }

    await next();
    c.header("vary", "Origin", { append: true });
    const shop = c.get("shop");
    const allowed = shop ? shop.allowedOrigins.includes(origin) : await shops.anyShopAllows(origin).catch(() => false);
    if (allowed) {
      c.header("access-control-allow-origin", origin);
      c.header("access-control-expose-headers", exposeHeaders);
    }
  };
}
