/** Times every request into the histogram (by route template, not raw path) and logs one line for it. */
import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { AppEnv } from "../http/app-env.ts";
import { requestLog } from "../http/request-id.ts";
import type { Metrics } from "./metrics.ts";

export function accessLog(metrics: Metrics): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const seconds = (performance.now() - started) / 1000;
    const status = c.res.status;
    // An unmatched path would make one series per URL anyone sends: count those under one label.
    const route = status === 404 && c.get("shop") === undefined ? "unmatched" : routePath(c, -1);
    const shop = c.get("shop")?.id ?? "";
    metrics.httpDuration.observe({ method: c.req.method, route, status: String(status), shop }, seconds);
    const level = status >= 500 ? "error" : "info";
    if (!c.get("logger").isLevelEnabled(level)) return;
    // The route template, not the raw path: a cart id in a path is a bearer token and stays out of logs.
    const line = { method: c.req.method, route, status, ms: Math.round(seconds * 1000), shop };
    requestLog(c)[level](line, status >= 500 ? "request failed" : "request");
  };
}
