/**
 * Builds the HTTP app from its parts. Everything it needs is passed in, so tests and the two-instance
 * setups build the real thing with their own database, clock and configuration.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Logger } from "pino";
import { catalogRoutes } from "./catalog/routes.ts";
import type { Config } from "./config.ts";
import type { Sql } from "./db/database.ts";
import { latestMigration } from "./db/migrate.ts";
import { ApiError } from "./http/api-error.ts";
import type { AppEnv } from "./http/app-env.ts";
import { cors } from "./http/cors.ts";
import { onError, onNotFound } from "./http/error-handler.ts";
import { requestId } from "./http/request-id.ts";
import { createCentralInventory } from "./inventory/central-inventory.ts";
import { inventoryRoutes } from "./inventory/routes.ts";
import { accessLog } from "./observability/access-log.ts";
import type { Metrics } from "./observability/metrics.ts";
import { operationsRoutes } from "./operations/routes.ts";
import { createShopDirectory } from "./shops/shop-directory.ts";

export const MAX_BODY_BYTES = 64 * 1024;

export interface AppDeps {
  sql: Sql;
  config: Config;
  logger: Logger;
  metrics: Metrics;
  fetch?: typeof fetch;
}

export function createApp(deps: AppDeps) {
  const { sql, config, metrics } = deps;
  const shops = createShopDirectory(sql);
  const central = config.centralInventoryUrl
    ? createCentralInventory({ url: config.centralInventoryUrl, ...(deps.fetch ? { fetch: deps.fetch } : {}) })
    : undefined;

  const app = new Hono<AppEnv>();
  app.use(requestId(deps.logger));
  app.use(accessLog(metrics));
  app.use(cors(shops));
  app.use(
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("PAYLOAD_TOO_LARGE", `the body is larger than ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );
  app.onError(onError);
  app.notFound(onNotFound);

  app.route("/", operationsRoutes({ sql, metrics, latestMigration: latestMigration() }));
  app.route("/", catalogRoutes({ sql, shops }));
  app.route("/", inventoryRoutes({ sql, shops, metrics, central, production: config.production }));
  return app;
}

export type App = ReturnType<typeof createApp>;
