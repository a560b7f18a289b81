/** `/healthz`, `/readyz`, `/metrics` and `/v1/openapi.json`. */
import { buildOpenApiDocument } from "@commerce/contracts/v1/openapi";
import { Hono } from "hono";
import type { Sql } from "../db/database.ts";
import { isMigrated } from "../db/migrate.ts";
import { ApiError } from "../http/api-error.ts";
import type { AppEnv } from "../http/app-env.ts";
import { requestLog } from "../http/request-id.ts";
import type { Metrics } from "../observability/metrics.ts";

/** A readiness probe must answer quickly even when the database hangs. */
const READY_TIMEOUT_MS = 2_000;

export function operationsRoutes(deps: { sql: Sql; metrics: Metrics; latestMigration: number }) {
  let openapi: string | undefined;
  return new Hono<AppEnv>()
    .get("/healthz", (c) => c.json({ status: "ok" as const }))
    .get("/readyz", async (c) => {
      const ready = await withTimeout(isMigrated(deps.sql, deps.latestMigration), READY_TIMEOUT_MS).catch(
        (cause: unknown) => {
          requestLog(c).warn({ err: cause }, "not ready");
          return false;
        },
      );
      if (!ready) throw new ApiError("NOT_READY", "the database is not reachable or not migrated");
      return c.json({ status: "ready" as const });
    })
    .get("/metrics", async (c) => {
      c.header("content-type", deps.metrics.registry.contentType);
      return c.body(await deps.metrics.registry.metrics());
    })
    .get("/v1/openapi.json", (c) => {
      openapi ??= JSON.stringify(buildOpenApiDocument());
      c.header("content-type", "application/json; charset=utf-8");
      return c.body(openapi);
    });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
