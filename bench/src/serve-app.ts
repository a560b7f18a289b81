/**
 * The authority server as `pnpm start` runs it, configured from the environment (DATABASE_URL, PORT,
 * LOG_LEVEL), on an already migrated and seeded database. Prints `listening <port>` once it listens.
 */
import { loadConfig } from "../../server/src/config.ts";
import { createLogger } from "../../server/src/observability/logger.ts";
import { startServer } from "../../server/src/server.ts";

const config = loadConfig(process.env);
const server = await startServer({
  config,
  logger: createLogger(config.logLevel),
  hostname: "127.0.0.1",
  processMetrics: true,
});
console.log(`listening ${server.port}`);
process.on("SIGTERM", () => {
  server.close().then(() => process.exit(0));
});
