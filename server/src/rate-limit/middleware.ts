/**
 * Rate limits a route per (client IP, shop) (API.md, checkout rule 1). It runs before the route's
 * handler, so a refused request writes nothing; it needs the shop, so it reads `x-shop-id` and looks
 * the shop up in the (cached) directory. A request without a valid, known shop is not counted: the
 * handler answers it with SHOP_REQUIRED, VALIDATION_FAILED or SHOP_NOT_FOUND, writing nothing either.
 *
 * Every counted response carries the IETF draft's headers, e.g. `RateLimit-Policy: "checkout";q=10;w=60`
 * and `RateLimit: "checkout";r=9;t=42`; a refusal is 429 RATE_LIMITED with `Retry-After` as well.
 */
import { shopIdSchema } from "@commerce/contracts/v1";
import type { MiddlewareHandler } from "hono";
import * as z from "zod/mini";
import { ApiError } from "../http/api-error.ts";
import type { AppEnv } from "../http/app-env.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { clientIpOf } from "./client-ip.ts";
import { type RateLimiter, WINDOW_MS } from "./limiter.ts";

export interface RateLimitDeps {
  limiter: RateLimiter;
  shops: ShopDirectory;
  metrics: Metrics;
  trustProxyHops: number;
}

export function rateLimit(deps: RateLimitDeps): MiddlewareHandler<AppEnv> {
  const { bucket, limitPerMinute } = deps.limiter.policy;
  const policyHeader = `"${bucket}";q=${limitPerMinute};w=${WINDOW_MS / 1000}`;
  return async (c, next) => {
    const shopId = c.req.header("x-shop-id");
    if (shopId === undefined || !z.safeParse(shopIdSchema, shopId).success) return next();
    const shop = await deps.shops.get(shopId);
    if (!shop) return next();

    const decision = await deps.limiter.hit(shop.id, clientIpOf(c, deps.trustProxyHops));
    const headers = {
      "ratelimit-policy": policyHeader,
      ratelimit: `"${bucket}";r=${decision.remaining};t=${decision.resetSeconds}`,
    };
    if (!decision.allowed) {
      c.set("shop", shop);
      deps.metrics.checkoutRateLimited.inc({ shop: shop.id, bucket });
      throw new ApiError(
        "RATE_LIMITED",
        `too many requests: at most ${limitPerMinute} a minute; try again in ${decision.resetSeconds} s`,
        { limit: limitPerMinute, retryAfterSeconds: decision.resetSeconds },
        { headers: { ...headers, "retry-after": String(decision.resetSeconds) } },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
