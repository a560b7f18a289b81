/**
 * The stand-in's HTTP plumbing on bare `node:http`: a small route table and reply helpers. Bare Node
 * rather than a framework because some faults act on the socket itself (destroy it unanswered, answer
 * late), which a framework's response abstraction would hide.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type Handler = (ctx: RequestContext) => Promise<void> | void;

export interface Route {
  method: string;
  /** Literal segments and `:name` captures, e.g. `/v1/checkout/sessions/:id/expire`. */
  path: string;
  handler: Handler;
}

export type RouteMatch = { handler: Handler; params: Record<string, string> } | "method-not-allowed" | undefined;

export function matchRoute(routes: readonly Route[], method: string, pathname: string): RouteMatch {
  const segments = pathname.split("/");
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPath(route.path.split("/"), segments);
    if (!params) continue;
    if (route.method === method) return { handler: route.handler, params };
    pathMatched = true;
  }
  return pathMatched ? "method-not-allowed" : undefined;
}

function matchPath(pattern: string[], segments: string[]): Record<string, string> | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? "";
    if (part.startsWith(":")) {
      if (segment === "") return undefined;
      params[part.slice(1)] = safeDecode(segment);
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MAX_BODY_BYTES = 1024 * 1024;

/** The request body as text; undefined when it is larger than any request the stand-in expects. */
export async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString("utf8");
}

/** Writes a reply unless the client has already gone (a timed-out request answered late). */
export function send(res: ServerResponse, status: number, body: string, headers: Record<string, string>): void {
  if (res.destroyed || res.headersSent) return;
  res.writeHead(status, { ...headers, "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

export const sendJson = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
  send(res, status, `${JSON.stringify(body, null, 2)}\n`, { "content-type": "application/json", ...headers });

export const sendHtml = (res: ServerResponse, status: number, html: string) =>
  send(res, status, html, { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" });

export function redirect(res: ServerResponse, location: string): void {
  send(res, 303, "", { location });
}

/**
 * Dispatches to the route table. Unknown `/v1/` paths answer in Stripe's error shape so the SDK reports
 * them as Stripe would; a handler's bug becomes a Stripe-shaped 500 rather than a hung request.
 */
export function requestListener(routes: readonly Route[]) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? "/", "http://stand-in.invalid");
    const method = req.method ?? "GET";
    const match = matchRoute(routes, method, url.pathname);
    if (match === undefined || match === "method-not-allowed") {
      const status = match === undefined ? 404 : 405;
      const message = `Unrecognized request URL (${method}: ${url.pathname}).`;
      sendJson(res, status, { error: { type: "invalid_request_error", message } });
      return;
    }
    Promise.resolve()
      .then(() => match.handler({ req, res, url, params: match.params }))
      .catch((error: unknown) => {
        const message = `The Stripe stand-in failed: ${error instanceof Error ? error.message : String(error)}`;
        sendJson(res, 500, { error: { type: "api_error", message } });
      });
  };
}
