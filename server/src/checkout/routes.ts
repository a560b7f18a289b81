/** `POST /v1/checkout/sessions` and `GET /v1/checkout/sessions/:sessionId`. */
import { checkoutRequestSchema, idempotencyKeySchema, sessionIdSchema } from "@commerce/contracts/v1";
import { Hono } from "hono";
import * as z from "zod/mini";
import { ApiError } from "../http/api-error.ts";
import type { AppEnv } from "../http/app-env.ts";
import { readJson } from "../http/json-body.ts";
import { requestLog } from "../http/request-id.ts";
import { resolveShop } from "../shops/resolve-shop.ts";
import type { ShopDirectory } from "../shops/shop-directory.ts";
import { type CheckoutDeps, createCheckoutSession } from "./create-session.ts";
import { readSessionStatus } from "./session-status.ts";

export function checkoutRoutes(deps: CheckoutDeps & { shops: ShopDirectory }) {
  return new Hono<AppEnv>()
    .post("/v1/checkout/sessions", async (c) => {
      const key = c.req.header("idempotency-key");
      if (key !== undefined && !z.safeParse(idempotencyKeySchema, key).success) {
        throw new ApiError(
          "IDEMPOTENCY_KEY_INVALID",
          "Idempotency-Key must be 8–255 characters of A-Z a-z 0-9 _ . : -",
        );
      }
      const body = await readJson(c, checkoutRequestSchema);
      const shop = await resolveShop(c, deps.shops);
      const result = await createCheckoutSession(deps, shop, body, key, requestLog(c));
      return c.json(result.session, result.created ? 201 : 200);
    })
    .get("/v1/checkout/sessions/:sessionId", async (c) => {
      const shop = await resolveShop(c, deps.shops);
      const sessionId = c.req.param("sessionId");
      // A malformed id names no session of ours: the same answer as an unknown one.
      if (!z.safeParse(sessionIdSchema, sessionId).success) {
        throw new ApiError("SESSION_NOT_FOUND", "no such checkout session");
      }
      return c.json(await readSessionStatus(deps, shop, sessionId, requestLog(c)));
    });
}
