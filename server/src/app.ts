/**
 * Builds the HTTP app from its parts. Everything it needs is passed in, so tests and the two-instance
 * setups build the real thing with their own database, clock and configuration.
 */
import { Hono } from "hono";
import type { Logger } from "pino";
import { cartRoutes } from "./carts/routes.ts";
import { createCatalogReader } from "./catalog/catalog-reader.ts";
import { catalogRoutes } from "./catalog/routes.ts";
import { checkoutRoutes } from "./checkout/routes.ts";
import type { CheckoutPause } from "./checkout/test-pause.ts";
import type { Config } from "./config.ts";
import type { Sql } from "./db/database.ts";
import { latestMigration } from "./db/migrate.ts";
import type { AppEnv } from "./http/app-env.ts";
import { cors } from "./http/cors.ts";
import { onError, onNotFound } from "./http/error-handler.ts";
import { requestId } from "./http/request-id.ts";
import { createCentralInventory } from "./inventory/central-inventory.ts";
import { createLocalStock } from "./inventory/local-stock.ts";
import { inventoryRoutes } from "./inventory/routes.ts";
import { accessLog } from "./observability/access-log.ts";
import type { Metrics } from "./observability/metrics.ts";
import { operationsRoutes } from "./operations/routes.ts";
import { createRateLimiter } from "./rate-limit/limiter.ts";
import { rateLimit } from "./rate-limit/middleware.ts";
import { createShopDirectory, type ShopDirectory } from "./shops/shop-directory.ts";
import type { PaymentGateway } from "./stripe/gateway.ts";
import { webhookRoutes } from "./webhooks/routes.ts";

export interface AppDeps {
  sql: Sql;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Stripe (or a stand-in) through the SDK. */
  gateway: PaymentGateway;
  /** The platform's Stripe secret key; a shop's own key wins. */
  platformSecretKey: string;
  /** The platform's webhook signing secret (or the stand-in's); a shop's own secret wins on its route. */
  platformWebhookSecret: string;
  shops?: ShopDirectory;
  now?: () => Date;
  fetch?: typeof fetch;
  /** TEST-ONLY crash-test hook (checkout/test-pause.ts). */
  checkoutPause?: CheckoutPause | undefined;
}

/** Cart creation's budget, as a multiple of the checkout limit (CHECKOUT_RATE_LIMIT_REQUESTS_PER_MINUTE). */
export const CART_LIMIT_FACTOR = 6;

export function createApp(deps: AppDeps) {
  const { sql, config, metrics } = deps;
  const shops = deps.shops ?? createShopDirectory(sql);
  const now = deps.now ?? (() => new Date());
  const central = config.centralInventoryUrl
    ? createCentralInventory({ url: config.centralInventoryUrl, ...(deps.fetch ? { fetch: deps.fetch } : {}) })
    : undefined;

  const app = new Hono<AppEnv>();
  app.use(requestId(deps.logger));
  app.use(accessLog(metrics));
  app.use(cors(shops));
  app.onError(onError);
  app.notFound(onNotFound);

  if (config.rateLimit.enabled) {
    // API.md checkout rule 1. Checkout gets the configured budget; creating a cart, also a write anyone
    // can send, gets a looser one of its own (CART_LIMIT_FACTOR × the checkout limit): a shopper makes
    // a cart or two per visit, a script making thousands fills the carts table.
    const perMinute = config.rateLimit.requestsPerMinute;
    const limiterDeps = {
      sql,
      now,
      onCleanupError: (error: unknown) => deps.logger.warn({ err: error }, "deleting old rate-limit windows failed"),
    };
    const limited = (bucket: string, limitPerMinute: number) =>
      rateLimit({
        limiter: createRateLimiter(limiterDeps, { bucket, limitPerMinute }),
        shops,
        metrics,
        trustProxyHops: config.trustProxyHops,
      });
    // Registered before the routes, so they run first: nothing is written for a refused request.
    app.post("/v1/checkout/sessions", limited("checkout", perMinute));
    app.post("/v1/carts", limited("cart", perMinute * CART_LIMIT_FACTOR));
  }

  app.route("/", operationsRoutes({ sql, metrics, latestMigration: latestMigration() }));
  app.route("/", catalogRoutes({ catalog: createCatalogReader(sql), shops }));
  app.route("/", cartRoutes({ sql, shops }));
  app.route(
    "/",
    checkoutRoutes({
      sql,
      shops,
      config,
      metrics,
      gateway: deps.gateway,
      platformSecretKey: deps.platformSecretKey,
      now,
      pause: deps.checkoutPause,
    }),
  );
  app.route(
    "/",
    inventoryRoutes({ stock: createLocalStock(sql), shops, metrics, central, production: config.production }),
  );
  app.route("/", webhookRoutes({ sql, metrics, shops, platformWebhookSecret: deps.platformWebhookSecret, now }));
  return app;
}

export type App = ReturnType<typeof createApp>;
