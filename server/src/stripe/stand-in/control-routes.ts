/**
 * The control API under `/__stand-in/`, JSON in and out, so tests in another process (integration,
 * end-to-end, benchmarks) can steer the stand-in as in-process tests do through the returned object.
 * Each route is a thin wrapper over that object's method of the same name.
 */
import type { ServerResponse } from "node:http";
import { type FaultSwitch, isFaultTarget } from "./faults.ts";
import { isRecord } from "./form-params.ts";
import { type RequestContext, type Route, readBody, send, sendJson } from "./http.ts";
import { SessionStateError } from "./sessions.ts";
import type { StripeStandIn } from "./stand-in.ts";

export const CONTROL_PREFIX = "/__stand-in";

type Body = Record<string, unknown>;
type ControlHandler = (body: Body, params: Record<string, string>) => Promise<unknown> | unknown;

/** A control request the stand-in refuses, answered with `status` and `{ error: { message } }`. */
class ControlError {
  constructor(
    readonly status: number,
    readonly message: string,
  ) {}
}

export function controlRoutes(standIn: StripeStandIn, faults: FaultSwitch): Route[] {
  const route = (method: string, path: string, handler: ControlHandler, status = 200): Route => ({
    method,
    path: `${CONTROL_PREFIX}${path}`,
    handler: (ctx) => runControl(ctx, handler, status),
  });
  return [
    route("POST", "/faults", (body) => {
      const { fault, count = 1, operation } = body;
      if (typeof fault !== "string") throw new ControlError(400, "fault must be a string");
      if (typeof count !== "number") throw new ControlError(400, "count must be a number");
      if (operation !== undefined && !isFaultTarget(operation)) {
        throw new ControlError(400, "operation must be create, retrieve, expire or webhook");
      }
      const problem = faults.arm(fault, count, operation);
      if (problem) throw new ControlError(400, problem);
      return { fault, count, operation: operation ?? null };
    }),
    route("DELETE", "/faults", () => standIn.faults.clear(), 204),
    route("GET", "/stats", () => standIn.stats()),
    route(
      "GET",
      "/sessions/:id",
      (_body, { id = "" }) => standIn.session(id) ?? notFound(`No such checkout.session: '${id}'`),
    ),
    route("POST", "/sessions/:id/pay", async (body, { id = "" }) => {
      const outcome = body.outcome ?? "paid";
      if (outcome !== "paid" && outcome !== "async") throw new ControlError(400, 'outcome must be "paid" or "async"');
      return { session: await standIn.pay(id, outcome) };
    }),
    route("POST", "/sessions/:id/async-result", async (body, { id = "" }) => {
      if (typeof body.succeeded !== "boolean") throw new ControlError(400, "succeeded must be true or false");
      return { session: await standIn.asyncResult(id, body.succeeded) };
    }),
    route("POST", "/sessions/:id/refund", async (_body, { id = "" }) => ({ charge: await standIn.refund(id) })),
    route("POST", "/sessions/:id/expire", async (_body, { id = "" }) => ({ session: await standIn.expireNow(id) })),
    route("GET", "/events", () => ({ events: standIn.events() })),
    route("POST", "/events/:id/redeliver", async (_body, { id = "" }) => {
      return (await standIn.redeliver(id)) ?? notFound(`No such event: '${id}'`);
    }),
    route("PUT", "/webhook", (body) => {
      const { url } = body;
      if (typeof url !== "string" || !/^https?:\/\//.test(url) || !URL.canParse(url)) {
        throw new ControlError(400, "url must be an http(s) URL");
      }
      standIn.setWebhookUrl(url);
      return { url };
    }),
  ];
}

const notFound = (message: string): never => {
  throw new ControlError(404, message);
};

async function runControl(ctx: RequestContext, handler: ControlHandler, status: number): Promise<void> {
  const text = (await readBody(ctx.req)) ?? "";
  let body: unknown = {};
  if (text.trim() !== "") {
    try {
      body = JSON.parse(text);
    } catch {
      return fail(ctx.res, 400, "the body must be JSON");
    }
  }
  if (!isRecord(body)) return fail(ctx.res, 400, "the body must be a JSON object");
  try {
    const result = await handler(body, ctx.params);
    if (status === 204) return send(ctx.res, 204, "", {});
    sendJson(ctx.res, status, result);
  } catch (error) {
    if (error instanceof ControlError) return fail(ctx.res, error.status, error.message);
    if (error instanceof SessionStateError) return fail(ctx.res, error.code === "not_found" ? 404 : 409, error.message);
    throw error;
  }
}

const fail = (res: ServerResponse, status: number, message: string) => sendJson(res, status, { error: { message } });
