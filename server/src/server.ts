/**
 * Runs the authority server: opens the database, applies migrations, seeds an empty database, and
 * listens. `main.ts` calls it with the environment's configuration; tests call it with their own.
 */
import { randomUUID } from "node:crypto";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import type { CheckoutPause } from "./checkout/test-pause.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { isEmpty, seed } from "./db/seed.ts";
import { createReaper, type Reaper } from "./holds/reaper.ts";
import { createMetrics } from "./observability/metrics.ts";
import { createShopDirectory } from "./shops/shop-directory.ts";
import { createStripeGateway } from "./stripe/gateway.ts";
import { type StripeStandIn, startStripeStandIn } from "./stripe/stand-in/index.ts";

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  /** The in-process Stripe stand-in, when no STRIPE_SECRET_KEY is configured. */
  standIn: StripeStandIn | undefined;
  reaper: Reaper;
  /**
   * Graceful stop: no new connections, requests in flight finish (their keep-alive connections are
   * closed as each goes idle), then the reaper, the stand-in and the database close. Connections
   * still busy after `drainMs` (default 8 s) are cut, so the stop is bounded.
   */
  close(options?: { drainMs?: number }): Promise<void>;
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  /** An already-open database (tests share or break one); otherwise opened from the config. */
  database?: Database;
  /** Skip migrations and seeding (for a server whose database is meant to be unreachable). */
  prepareDatabase?: boolean;
  hostname?: string;
  processMetrics?: boolean;
  /** How often the hold reaper runs; 0 = never on its own (tests call `reaper.sweep()`). */
  reaperIntervalMs?: number;
  /** The Stripe SDK's timeout. */
  stripeTimeoutMs?: number;
  now?: () => Date;
  /** TEST-ONLY crash-test hook (checkout/test-pause.ts); main.ts sets it from COMMERCE_TEST_PAUSE_AT. */
  checkoutPause?: CheckoutPause;
}

/** The key the server uses with its own stand-in; the stand-in accepts any sk_test_ key. */
export const STAND_IN_SECRET_KEY = "sk_test_standin";
export const STAND_IN_WEBHOOK_SECRET = "whsec_standin_local";
/** How long a graceful stop waits for requests in flight (a Stripe call is bounded well below this). */
const DRAIN_MS = 8_000;

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const database = options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  if (options.prepareDatabase !== false) {
    const applied = await migrate(database.sql);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    // Demo shops are for development, demos and tests; production starts with the operator's own.
    if (!config.production && (await isEmpty(database.sql))) {
      await seed(database.sql);
      logger.info("empty database seeded with the demo shops");
    }
  }
  // No Stripe key: run the local stand-in, reached through the same SDK path as Stripe itself.
  const webhookSecret = config.stripeWebhookSecret ?? STAND_IN_WEBHOOK_SECRET;
  // STRIPE_API_URL without a key: another stand-in (or a proxy) that takes any test key.
  const useStandIn = !config.stripeSecretKey && !config.stripeApiUrl;
  const standIn = useStandIn ? await startStripeStandIn({ port: 0, webhookSecret }) : undefined;
  const gateway = createStripeGateway({
    apiUrl: standIn?.url ?? config.stripeApiUrl,
    ...(options.stripeTimeoutMs ? { timeoutMs: options.stripeTimeoutMs } : {}),
  });
  const platformSecretKey = config.stripeSecretKey ?? STAND_IN_SECRET_KEY;
  const now = options.now ?? (() => new Date());
  const metrics = createMetrics({ processMetrics: options.processMetrics ?? false });
  const shops = createShopDirectory(database.sql);
  const app = createApp({
    sql: database.sql,
    config,
    logger,
    metrics,
    gateway,
    platformSecretKey,
    platformWebhookSecret: webhookSecret,
    shops,
    now,
    checkoutPause: options.checkoutPause,
  });
  const reaper = createReaper({ sql: database.sql, gateway, shops, platformSecretKey, metrics, logger, now });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, ...(options.hostname ? { hostname: options.hostname } : {}) },
      () => resolve(s),
    );
  });
  server.on("clientError", answerMalformedRequest);
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  standIn?.setWebhookUrl(`${url}/v1/webhooks/stripe`);
  const reaperIntervalMs = options.reaperIntervalMs ?? 15_000;
  if (reaperIntervalMs > 0) reaper.start(reaperIntervalMs);
  return {
    url,
    port,
    database,
    standIn,
    reaper,
    async close(closeOptions = {}) {
      const drained = new Promise<void>((resolve) => server.close(() => resolve()));
      // server.close() stops accepting and closes the connections idle right now; one whose request
      // finishes later goes idle afterwards and would be kept alive, so idle ones are swept until done.
      const http = server as HttpServer;
      const sweep = setInterval(() => http.closeIdleConnections(), 50);
      const cut = setTimeout(() => http.closeAllConnections(), closeOptions.drainMs ?? DRAIN_MS);
      try {
        await Promise.all([drained, reaper.stop()]);
      } finally {
        clearInterval(sweep);
        clearTimeout(cut);
      }
      await standIn?.close();
      if (!options.database) await database.close();
    },
  };
}

/**
 * Requests Node refuses before the app sees them (headers over its 16 KiB limit, broken HTTP) still
 * get the contract's envelope rather than a bare status line.
 */
function answerMalformedRequest(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const requestId = randomUUID();
  const tooLarge = error.code === "HPE_HEADER_OVERFLOW";
  const body = JSON.stringify({
    error: {
      code: "VALIDATION_FAILED",
      message: tooLarge ? "the request headers are too large" : "the request is not valid HTTP",
      details: { issues: [] },
      requestId,
    },
  });
  socket.end(
    `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\nx-request-id: ${requestId}\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
