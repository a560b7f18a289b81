/**
 * Contract tests come from the endpoint registry, not from hand-written cases: one request per
 * example (with the requests it needs sent first), and the declared statuses and codes no example
 * covers. Pure: nothing here talks to a server. The malformed inputs generated from the schemas are
 * in `malformed.ts`.
 */
import { type ErrorCode, errorStatus } from "@commerce/contracts/v1";
import {
  type Endpoint,
  type ExampleRequest,
  type Fixture,
  type HttpMethod,
  type Placeholder,
  placeholders,
  type ResponseSpec,
  type SignWith,
} from "@commerce/contracts/v1/registry";

export interface HttpRequest {
  method: HttpMethod;
  /** The path with its parameters filled in, and the query string. */
  url: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** How to sign the body as sent (a Stripe webhook); unsigned when absent. */
  signWith?: SignWith;
}

export interface ExampleCase {
  title: string;
  endpointId: string;
  request: HttpRequest;
  status: number;
  code: ErrorCode | undefined;
  /** What the registry declares for `status`. */
  response: ResponseSpec;
  fixture: Fixture | undefined;
  /** Requests to send first, each of which must get a 2xx. */
  before: HttpRequest[];
  /** Send `request` once first (a 201 checkout), pay its session and commit its hold. */
  paidIntent: boolean;
}

// ---------------------------------------------------------------------------------------------
// Examples

export function exampleCases(endpoints: readonly Endpoint[]): ExampleCase[] {
  return endpoints.flatMap((endpoint) =>
    endpoint.examples.map((example) => {
      const response = endpoint.responses[example.status];
      if (!response) throw new Error(`${endpoint.id}: example "${example.name}" expects undeclared ${example.status}`);
      return {
        title: `${endpoint.method} ${endpoint.path}: ${example.name} → ${example.status}`,
        endpointId: endpoint.id,
        request: exampleRequest(endpoint, example),
        status: example.status,
        code: example.code,
        response,
        fixture: example.fixture,
        before: (example.before ?? []).map((step) => exampleRequest(endpoint, step)),
        paidIntent: example.paidIntent ?? false,
      };
    }),
  );
}

/** The example cases, or an error listing every gap: an uncovered status fails the whole suite. */
export function generateContractCases(endpoints: readonly Endpoint[]): ExampleCase[] {
  const gaps = coverageGaps(endpoints);
  if (gaps.length > 0) {
    throw new Error(`the endpoint registry has gaps:\n${gaps.map((gap) => `  ${describeGap(gap)}`).join("\n")}`);
  }
  return exampleCases(endpoints);
}

export function exampleRequest(endpoint: Endpoint, example: ExampleRequest): HttpRequest {
  const headers: Record<string, string> = { ...example.headers };
  let body: string | undefined;
  if (example.rawBody) {
    headers["content-type"] = example.rawBody.contentType;
    body = example.rawBody.text;
  } else if (example.body !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(example.body);
  }
  return {
    method: endpoint.method,
    url: withQuery(fillPath(endpoint.path, example.pathParams), example.query),
    headers,
    body,
    ...(example.signWith === undefined ? {} : { signWith: example.signWith }),
  };
}

const pathParameter = /\{([^}]+)\}/g;

export function fillPath(path: string, params: Readonly<Record<string, string>> = {}): string {
  return path.replace(pathParameter, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`${path}: no value for path parameter ${name}`);
    return encodeURIComponent(value);
  });
}

export function withQuery(path: string, query: Readonly<Record<string, string>> = {}): string {
  const search = new URLSearchParams(query).toString();
  return search === "" ? path : `${path}?${search}`;
}

// ---------------------------------------------------------------------------------------------
// Placeholders: carts and checkout sessions that must exist first, named in a path parameter or a body

export type CartPlaceholder = Extract<Placeholder, `$${string}Cart`>;
export type SessionPlaceholder = Extract<Placeholder, `$${string}Session`>;

export const isSessionPlaceholder = (placeholder: Placeholder): placeholder is SessionPlaceholder =>
  placeholder.endsWith("Session");

/** The cart each placeholder stands for: the test creates it (`POST /v1/carts`) right before sending. */
export const placeholderCarts: Readonly<Record<CartPlaceholder, { shopId: string; body: unknown }>> = {
  $newCart: {
    shopId: "cochlearfit",
    body: { lines: [{ sku: "cf-headband-classic", quantity: 1, variantAttributes: { color: "black", size: "m" } }] },
  },
  $emptyCart: { shopId: "cochlearfit", body: {} },
  $otherShopCart: {
    shopId: "cover-me-pretty",
    body: { lines: [{ sku: "cmp-coil-cover", quantity: 1, variantAttributes: { color: "white" } }] },
  },
};

/**
 * The checkout each session placeholder stands for: the test checks it out (`POST /v1/checkout/sessions`,
 * an Idempotency-Key of its own, so it never replays another) right before sending, and for `pay` pays
 * the session in the server's Stripe stand-in. One unit of a variant with plenty of stock each.
 */
export const placeholderSessions: Readonly<
  Record<SessionPlaceholder, { shopId: string; body: unknown; pay: boolean }>
> = {
  $openSession: {
    shopId: "cochlearfit",
    body: { lines: [{ sku: "cf-headband-sport", quantity: 1, variantAttributes: { color: "black", size: "m" } }] },
    pay: false,
  },
  $paidSession: {
    shopId: "cochlearfit",
    body: { lines: [{ sku: "cf-headband-sport", quantity: 1, variantAttributes: { color: "black", size: "m" } }] },
    pay: true,
  },
  $otherShopSession: {
    shopId: "cover-me-pretty",
    body: {
      lines: [{ sku: "cmp-charm-crystal", quantity: 1, variantAttributes: { color: "gold" } }],
      mode: "rental",
      rentalDays: 3,
    },
    pay: false,
  },
};

const pathOf = (url: string) => url.split("?")[0] ?? url;
/** A placeholder as a whole JSON string: `"$newCart"`, never part of a longer string. */
const asJson = (placeholder: string) => JSON.stringify(placeholder);

/** The placeholders in a request: in its URL's path as `fillPath` wrote them, or as whole strings of its JSON body. */
export function placeholdersIn(request: HttpRequest): Placeholder[] {
  const body = typeof request.body === "string" ? request.body : "";
  return placeholders.filter(
    (placeholder) =>
      pathOf(request.url).includes(encodeURIComponent(placeholder)) || body.includes(asJson(placeholder)),
  );
}

/** The request with each placeholder in its path and body replaced by the given value (a cart or session id). */
export function fillPlaceholders(request: HttpRequest, values: Partial<Record<Placeholder, string>>): HttpRequest {
  let path = pathOf(request.url);
  let { body } = request;
  for (const [placeholder, value] of Object.entries(values)) {
    path = path.replaceAll(encodeURIComponent(placeholder), encodeURIComponent(value));
    if (typeof body === "string") body = body.replaceAll(asJson(placeholder), asJson(value));
  }
  return { ...request, url: path + request.url.slice(pathOf(request.url).length), body };
}

// ---------------------------------------------------------------------------------------------
// Coverage

export type GapReason =
  /** A declared status that no example produces. */
  | "no example"
  /** A declared code of a status that has examples, though none with this code. */
  | "code without example"
  /** An example expecting a status its endpoint does not declare. */
  | "status not declared"
  /** An example's code that is not among its status's declared codes. */
  | "code not declared"
  /** A code declared or expected under a status other than its own `errorStatus`. */
  | "code of another status"
  /** An error example that does not say which code it expects. */
  | "error example without code"
  | "missing path parameter";

export interface CoverageGap {
  endpointId: string;
  status: number;
  reason: GapReason;
  /** The example's name, when the gap is in an example. */
  example: string | undefined;
  /** The code no example covers, for "code without example". */
  code?: ErrorCode;
}

export function coverageGaps(endpoints: readonly Endpoint[]): CoverageGap[] {
  const gaps: CoverageGap[] = [];
  for (const endpoint of endpoints) {
    const gap = (status: number, reason: GapReason, example?: string) =>
      gaps.push({ endpointId: endpoint.id, status, reason, example });
    for (const [key, spec] of Object.entries(endpoint.responses)) {
      const status = Number(key);
      for (const code of spec.codes ?? []) if (errorStatus[code] !== status) gap(status, "code of another status");
      const examples = endpoint.examples.filter((example) => example.status === status);
      if (examples.length === 0) {
        gap(status, "no example");
        continue;
      }
      for (const code of spec.codes ?? []) {
        if (errorStatus[code] === status && !examples.some((example) => example.code === code)) {
          gaps.push({ endpointId: endpoint.id, status, reason: "code without example", example: undefined, code });
        }
      }
    }
    const parameters = [...endpoint.path.matchAll(pathParameter)].map((match) => match[1] ?? "");
    for (const example of endpoint.examples) {
      const spec = endpoint.responses[example.status];
      const { code } = example;
      if (!spec) gap(example.status, "status not declared", example.name);
      else if (code !== undefined && errorStatus[code] !== example.status) {
        gap(example.status, "code of another status", example.name);
      } else if (code !== undefined && !(spec.codes ?? []).includes(code)) {
        gap(example.status, "code not declared", example.name);
      }
      if (example.status >= 400 && code === undefined) gap(example.status, "error example without code", example.name);
      const requests = [example, ...(example.before ?? [])];
      if (requests.some((request) => parameters.some((name) => request.pathParams?.[name] === undefined))) {
        gap(example.status, "missing path parameter", example.name);
      }
    }
  }
  return gaps;
}

export function describeGap(gap: CoverageGap): string {
  const about =
    gap.example === undefined ? (gap.code === undefined ? "" : ` (${gap.code})`) : ` (example "${gap.example}")`;
  return `${gap.endpointId} ${gap.status}: ${gap.reason}${about}`;
}

export function describeRequest(request: HttpRequest): string {
  const headers = Object.entries(request.headers).map(([name, value]) => `${name}: ${JSON.stringify(cut(value))}`);
  const body =
    typeof request.body === "string" ? JSON.stringify(cut(request.body)) : request.body && `bytes ${[...request.body]}`;
  const signed = request.signWith === undefined ? "" : ` (signed: ${request.signWith})`;
  return `${request.method} ${cut(request.url)} {${headers.join(", ")}}${signed}${body === undefined ? "" : ` ${body}`}`;
}

export function cut(text: string, max = 300): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} chars)`;
}
