/** The authority server as a library: build the app or run the whole server with your own parts. */

export type { App, AppDeps } from "./app.ts";
export { createApp } from "./app.ts";
export type { Config } from "./config.ts";
export { ConfigError, loadConfig } from "./config.ts";
export type { Database, DatabaseOptions, Sql } from "./db/database.ts";
export { openDatabase } from "./db/database.ts";
export { migrate } from "./db/migrate.ts";
export { seed } from "./db/seed.ts";
export { createLogger } from "./observability/logger.ts";
export { createMetrics } from "./observability/metrics.ts";
export type { RunningServer, StartOptions } from "./server.ts";
export { startServer } from "./server.ts";
