/**
 * The Stripe API subset: create, retrieve and expire Checkout Sessions. Every request goes through the
 * same pipeline: count it, apply its fault, authenticate, apply the idempotency rules, run, answer.
 */
import type { IncomingMessage } from "node:http";
import { type ApiFault, type ApiOperation, type FaultSwitch, parseApiFault } from "./faults.ts";
import { type FormParams, parseForm } from "./form-params.ts";
import { type RequestContext, type Route, readBody, sendJson } from "./http.ts";
import type { IdempotencyStore } from "./idempotency.ts";
import { newId } from "./ids.ts";
import { parseSessionParams } from "./session-params.ts";
import type { SessionStore } from "./sessions.ts";
import {
  type ApiReply,
  authenticationFailed,
  faultReply,
  idempotencyKeyInUse,
  idempotencyMismatch,
  invalidRequest,
  resourceMissing,
} from "./stripe-errors.ts";
import type { TimerSet } from "./timers.ts";

export interface ApiStats {
  /** API requests that reached the stand-in, per operation: faulted, refused and replayed ones included. */
  calls: Record<ApiOperation, number>;
  /** Of those, the ones answered from the idempotency store (`Idempotent-Replayed: true`). */
  replays: Record<ApiOperation, number>;
  /** Create calls that actually created a session. */
  sessionsCreated: number;
}

export const emptyStats = (): ApiStats => ({
  calls: { create: 0, retrieve: 0, expire: 0 },
  replays: { create: 0, retrieve: 0, expire: 0 },
  sessionsCreated: 0,
});

export interface ApiDeps {
  sessions: SessionStore;
  idempotency: IdempotencyStore;
  faults: FaultSwitch;
  timers: TimerSet;
  stats: ApiStats;
  now: () => number;
  /** Told the `Stripe-Version` each request speaks, so events can carry the same one. */
  sawApiVersion: (version: string) => void;
}

/** What running an operation produced, and whether Stripe would store it under the idempotency key. */
interface Execution {
  reply: ApiReply;
  store: boolean;
}

type Operation = (deps: ApiDeps, form: FormParams, params: Record<string, string>) => Execution;

export function apiRoutes(deps: ApiDeps): Route[] {
  const route = (method: string, path: string, name: ApiOperation, run: Operation): Route => ({
    method,
    path,
    handler: (ctx) => handleApi(deps, name, ctx, run),
  });
  return [
    route("POST", "/v1/checkout/sessions", "create", createSession),
    route("GET", "/v1/checkout/sessions/:id", "retrieve", retrieveSession),
    route("POST", "/v1/checkout/sessions/:id/expire", "expire", expireSession),
  ];
}

const createSession: Operation = (deps, form) => {
  const parsed = parseSessionParams(form, Math.floor(deps.now() / 1000));
  // A request refused by validation never started executing, so Stripe stores nothing for its key.
  if (!parsed.ok) return { reply: parsed.reply, store: false };
  deps.stats.sessionsCreated += 1;
  return { reply: { status: 200, body: deps.sessions.create(parsed.params) }, store: true };
};

const retrieveSession: Operation = (deps, _form, { id = "" }) => {
  const session = deps.sessions.find(id);
  if (!session) return { reply: resourceMissing("checkout.session", id, "session"), store: false };
  return { reply: { status: 200, body: deps.sessions.toObject(session) }, store: false };
};

const expireSession: Operation = (deps, _form, { id = "" }) => {
  const session = deps.sessions.find(id);
  if (!session) return { reply: resourceMissing("checkout.session", id, "session"), store: false };
  if (session.status !== "open") {
    const message = `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`;
    return { reply: invalidRequest(message, "session"), store: false };
  }
  return { reply: { status: 200, body: deps.sessions.expire(id).session }, store: true };
};

async function handleApi(deps: ApiDeps, name: ApiOperation, ctx: RequestContext, run: Operation): Promise<void> {
  const { req, res } = ctx;
  deps.stats.calls[name] += 1;
  const headers: Record<string, string> = { "request-id": newId("req", 14) };
  const version = header(req, "stripe-version");
  if (version) {
    headers["stripe-version"] = version;
    deps.sawApiVersion(version);
  }
  const answer = (reply: ApiReply) => sendJson(res, reply.status, reply.body, headers);

  const requested = header(req, "stand-in-fault");
  const fault: ApiFault | undefined = requested === undefined ? deps.faults.takeApi(name) : parseApiFault(requested);
  if (requested !== undefined && !fault) return answer(invalidRequest(`Unknown Stand-In-Fault: ${requested}`));
  if (fault?.kind === "drop") return void req.socket.destroy();

  const body = req.method === "POST" ? await readBody(req) : ctx.url.search.slice(1);
  if (body === undefined) return answer(invalidRequest("The request body is too large."));
  if (fault?.kind === "status") return answer(faultReply(fault.status));
  const apiKey = authenticate(req);
  if (typeof apiKey !== "string") return answer(apiKey);
  const form = parseForm(body);

  const key = req.method === "POST" ? header(req, "idempotency-key") : undefined;
  if (key !== undefined) headers["idempotency-key"] = key;
  if (key !== undefined && key.length > 255) {
    return answer(invalidRequest("Idempotency-Key must be at most 255 characters long.", "Idempotency-Key"));
  }
  const decision = key === undefined ? undefined : deps.idempotency.begin(apiKey, key, ctx.url.pathname, form);
  // A delayed request is in flight for the whole delay: its key stays locked, as a slow Stripe call's does.
  if (fault?.kind === "delay" && !(await deps.timers.sleep(fault.ms))) {
    if (decision?.kind === "execute") decision.finish(faultReply(503), false);
    return void req.socket.destroy();
  }

  let reply: ApiReply;
  if (decision === undefined || decision.kind === "execute") {
    const execution = run(deps, form, ctx.params);
    decision?.finish(execution.reply, execution.store);
    reply = execution.reply;
  } else if (decision.kind === "replay") {
    deps.stats.replays[name] += 1;
    headers["idempotent-replayed"] = "true";
    reply = decision.reply;
  } else if (decision.kind === "mismatch") {
    reply = idempotencyMismatch(decision.message);
  } else {
    reply = idempotencyKeyInUse(key ?? "");
  }
  // The work is done (and stored under the key); only the answer is lost on its way back.
  if (fault?.kind === "lost-response") return void req.socket.destroy();
  answer(reply);
}

/** The secret key from `Authorization: Bearer sk_test_…` (or Basic, as curl -u sends it); else the 401. */
function authenticate(req: IncomingMessage): string | ApiReply {
  const authorization = header(req, "authorization") ?? "";
  const [scheme = "", credentials = ""] = authorization.split(" ", 2);
  let key = "";
  if (scheme.toLowerCase() === "bearer") key = credentials.trim();
  if (scheme.toLowerCase() === "basic") key = Buffer.from(credentials, "base64").toString("utf8").split(":")[0] ?? "";
  if (key === "") {
    return authenticationFailed(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
    );
  }
  if (!/^sk_test_\S+$/.test(key)) {
    return authenticationFailed(`Invalid API Key provided: ${key.slice(0, 8)}${"*".repeat(4)}${key.slice(-4)}`);
  }
  return key;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
