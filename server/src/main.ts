/**
 * Entry point: `pnpm start:server`. Configuration comes from the environment (see README).
 * SIGTERM or SIGINT stops it gracefully: no new connections, requests in flight finish (bounded by
 * the drain time), then it exits 0; if anything hangs past EXIT_BOUND_MS it exits 1 regardless.
 */
import { pauseForeverAt } from "./checkout/test-pause.ts";
import { configFromEnvironment } from "./config.ts";
import { createLogger } from "./observability/logger.ts";
import { startServer } from "./server.ts";

const config = configFromEnvironment();
const logger = createLogger(config.logLevel);
/** The drain (8 s) plus closing the database (at most 5 s, usually nothing left to wait for), with room. */
const EXIT_BOUND_MS = 15_000;
const server = await startServer({
  config,
  logger,
  processMetrics: true,
  // TEST-ONLY: loadConfig refuses COMMERCE_TEST_PAUSE_AT unless NODE_ENV=test.
  ...(config.testPauseAt
    ? { checkoutPause: pauseForeverAt(config.testPauseAt, (line) => process.stdout.write(line)) }
    : {}),
});
logger.info({ url: server.url, database: server.database.description }, "authority server listening");
const stripe = server.standIn ? `local stand-in at ${server.standIn.url}` : (config.stripeApiUrl ?? "api.stripe.com");
console.log(`\n  Authority server: ${server.url}\n  Database: ${server.database.description}\n  Stripe: ${stripe}\n`);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), EXIT_BOUND_MS).unref();
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
