/** Entry point: `pnpm start:server`. Configuration comes from the environment (see README). */
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./observability/logger.ts";
import { startServer } from "./server.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig(process.env);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
if (!isAbsolute(config.dataDir)) config.dataDir = resolve(repoRoot, config.dataDir);

const logger = createLogger(config.logLevel);
const server = await startServer({ config, logger, processMetrics: true });
logger.info({ url: server.url, database: server.database.description }, "authority server listening");
console.log(`\n  Authority server: ${server.url}  (database: ${server.database.description})\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close().then(
      () => {
        clearTimeout(force);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  });
}
