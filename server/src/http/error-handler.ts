/**
 * Maps every failure to the contract's error envelope. An unreachable database is an outage, not a
 * bug: 503 NOT_READY with Retry-After, so clients, load balancers and Stripe's webhook delivery retry.
 * Other unexpected errors become 500 INTERNAL with nothing from the error itself in the body (no
 * stack, no SQL, no secret); the log keeps it all.
 */
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { isDatabaseUnavailable } from "../db/unavailable.ts";
import { ApiError } from "./api-error.ts";
import type { AppEnv } from "./app-env.ts";
import { requestLog } from "./request-id.ts";

/** A database restart takes seconds; asking again sooner only adds load while it comes back. */
const DATABASE_RETRY_AFTER_SECONDS = "2";

export function errorResponse(c: Context<AppEnv>, error: ApiError): Response {
  for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
  const body = {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details ? { details: error.details } : {}),
      requestId: c.get("requestId"),
    },
  };
  return c.json(body, error.status as 400);
}

export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const log = requestLog(c);
  if (err instanceof ApiError) {
    if (err.status >= 500) log.warn({ code: err.code, err: err.cause ?? err }, err.message);
    return errorResponse(c, err);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's own 4xx (a malformed request it refused before our code ran).
    return errorResponse(c, new ApiError("VALIDATION_FAILED", err.message || "malformed request", { issues: [] }));
  }
  if (isDatabaseUnavailable(err)) {
    log.warn({ err }, "database unavailable");
    return errorResponse(
      c,
      new ApiError("NOT_READY", "the database is not reachable; retry shortly", undefined, {
        headers: { "retry-after": DATABASE_RETRY_AFTER_SECONDS },
      }),
    );
  }
  log.error({ err }, "unhandled error");
  return errorResponse(c, new ApiError("INTERNAL", "internal error"));
};

export const onNotFound: NotFoundHandler<AppEnv> = (c) =>
  errorResponse(c, new ApiError("NOT_FOUND", `no route for ${c.req.method} ${c.req.path}`));
