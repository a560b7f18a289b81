/** Gives every request an id, echoing the caller's when it is sane, and a logger that carries it. */
import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import type { Logger } from "pino";
import type { AppEnv } from "./app-env.ts";

const saneId = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(logger: Logger): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const given = c.req.header("x-request-id");
    const id = given && saneId.test(given) ? given : randomUUID();
    c.set("requestId", id);
    c.set("logger", logger);
    c.set("shop", undefined);
    c.header("x-request-id", id);
    await next();
  };
}

/** The request's logger, made on first use: most requests log nothing but their access line. */
export function requestLog(c: Context<AppEnv>): Logger {
  let log = c.get("log");
  if (log === undefined) {
    log = c.get("logger").child({ requestId: c.get("requestId") });
    c.set("log", log);
  }
  return log;
}
