/** Entry point: `pnpm start:server`. Configuration comes from the environment (see README). */
import { configFromEnvironment } from "./config.ts";
import { createLogger } from "./observability/logger.ts";
import { startServer } from "./server.ts";

const config = configFromEnvironment();
const logger = createLogger(config.logLevel);
const server = await startServer({ config, logger, processMetrics: true });
logger.info({ url: server.url, database: server.database.description }, "authority server listening");
const stripe = server.standIn ? `local stand-in at ${server.standIn.url}` : (config.stripeApiUrl ?? "api.stripe.com");
console.log(`\n  Authority server: ${server.url}\n  Database: ${server.database.description}\n  Stripe: ${stripe}\n`);

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
