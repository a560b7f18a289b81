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
import { createShopDirectory, type ShopDirectory } from "./shops/shop-directory.ts";
import type { PaymentGateway } from "./stripe/gateway.ts";

export interface AppDeps {
  sql: Sql;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  /** Stripe (or a stand-in) through the SDK. */
  gateway: PaymentGateway;
  /** The platform's Stripe secret key; a shop's own key wins. */
  platformSecretKey: string;
  shops?: ShopDirectory;
  now?: () => Date;
  fetch?: typeof fetch;
}

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
    }),
  );
  app.route(
    "/",
    inventoryRoutes({ stock: createLocalStock(sql), shops, metrics, central, production: config.production }),
  );
  return app;
}

export type App = ReturnType<typeof createApp>;
