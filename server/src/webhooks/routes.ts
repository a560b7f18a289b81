/** `POST /v1/webhooks/stripe` (tenant from the event) and `POST /v1/webhooks/stripe/:shopId` (expected tenant). */
import { shopIdSchema } from "@commerce/contracts/v1";
import { type Context, Hono } from "hono";
import * as z from "zod/mini";
import type { Sql } from "../db/database.ts";
import { ApiError } from "../http/api-error.ts";
import type { AppEnv } from "../http/app-env.ts";
import { readBodyText } from "../http/read-body.ts";
import { requestLog } from "../http/request-id.ts";
import type { Metrics } from "../observability/metrics.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { processStripeEvent } from "./process-event.ts";
import { verifyStripeEvent } from "./verify-signature.ts";

export interface WebhookDeps {
  sql: Sql;
  metrics: Metrics;
  shops: ShopDirectory;
  /** The platform's webhook signing secret (or the stand-in's). */
  platformWebhookSecret: string;
  now: () => Date;
}

export function webhookRoutes(deps: WebhookDeps) {
  async function handle(c: Context<AppEnv>, routeShop: string | undefined) {
    let secret = deps.platformWebhookSecret;
    if (routeShop !== undefined) {
      if (!z.safeParse(shopIdSchema, routeShop).success) throw new ApiError("SHOP_NOT_FOUND", `no shop ${routeShop}`);
      const shop = await deps.shops.get(routeShop);
      if (!shop) throw new ApiError("SHOP_NOT_FOUND", `no shop ${routeShop}`);
      c.set("shop", shop);
      // D05: a shop with its own Stripe account signs with its own secret.
      secret = shop.stripeWebhookSecret ?? secret;
    }
    const raw = await readBodyText(c);
    const event = verifyStripeEvent(raw, c.req.header("stripe-signature"), secret, deps.now().getTime());
    const result = await processStripeEvent(deps, event, routeShop, requestLog(c));
    return c.json({ received: true, result });
  }
  return new Hono<AppEnv>()
    .post("/v1/webhooks/stripe", (c) => handle(c, undefined))
    .post("/v1/webhooks/stripe/:shopId", (c) => handle(c, c.req.param("shopId")));
}
