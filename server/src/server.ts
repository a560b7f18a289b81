/**
 * Runs the authority server: opens the database, applies migrations, seeds an empty database, and
 * listens. `main.ts` calls it with the environment's configuration; tests call it with their own.
 */
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import { serve } from "@hono/node-server";
import type { Logger } from "pino";
import { createApp } from "./app.ts";
import type { Config } from "./config.ts";
import { type Database, openDatabase } from "./db/database.ts";
import { migrate } from "./db/migrate.ts";
import { isEmpty, seed } from "./db/seed.ts";
import { createMetrics } from "./observability/metrics.ts";

export interface RunningServer {
  url: string;
  port: number;
  database: Database;
  close(): Promise<void>;
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
}

export async function startServer(options: StartOptions): Promise<RunningServer> {
  const { config, logger } = options;
  const database = options.database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  if (options.prepareDatabase !== false) {
    const applied = await migrate(database.sql);
    if (applied.length > 0) logger.info({ applied }, "migrations applied");
    if (await isEmpty(database.sql)) {
      await seed(database.sql);
      logger.info("empty database seeded with the demo shops");
    }
  }
  const app = createApp({
    sql: database.sql,
    config,
    logger,
    metrics: createMetrics({ processMetrics: options.processMetrics ?? false }),
  });
  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve(
      { fetch: app.fetch, port: config.port, ...(options.hostname ? { hostname: options.hostname } : {}) },
      () => resolve(s),
    );
  });
  server.on("clientError", answerMalformedRequest);
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://localhost:${port}`,
    port,
    database,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
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
