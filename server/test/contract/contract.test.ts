/**
 * The contract, checked against real running servers and generated from the endpoint registry:
 * every example gets its declared status and a body its schema accepts, every declared status has
 * an example, and no generated malformed input gets anything but a typed answer (never a 5xx).
 */

import { randomUUID } from "node:crypto";
import { errorEnvelopeSchema, errorStatus } from "@commerce/contracts/v1";
import { type Endpoint, endpoints, type Fixture, type Placeholder } from "@commerce/contracts/v1/registry";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod/mini";
import { STAND_IN_WEBHOOK_SECRET } from "../../src/server.ts";
import { signatureHeader } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer, type TestServerOptions } from "../harness.ts";
import {
  type CoverageGap,
  coverageGaps,
  cut,
  describeGap,
  describeRequest,
  fillPlaceholders,
  generateContractCases,
  type HttpRequest,
  isSessionPlaceholder,
  placeholderCarts,
  placeholderSessions,
  placeholdersIn,
} from "./generate.ts";
import { type MalformedInput, malformedProperties } from "./malformed.ts";

/** Runs per property; `CONTRACT_FUZZ_RUNS` raises it for a longer hunt. */
const RUNS = Number(process.env.CONTRACT_FUZZ_RUNS ?? 100);

// Fails the whole file, listing the gaps, when a declared status has no example.
const cases = generateContractCases(endpoints);
const properties = malformedProperties(endpoints);

/** Endpoints that declare a 429 are fuzzed on a server without the limit, lest a 429 hide the answer. */
const rateLimited = (endpoint: Endpoint) => endpoint.responses[429] !== undefined;

type ServerName = Fixture | "default" | "unlimited";
const servers = new Map<ServerName, TestServer>();

function server(name: ServerName): TestServer {
  const running = servers.get(name);
  if (!running) throw new Error(`no ${name} server was started`);
  return running;
}

const wanted: { name: ServerName; options: TestServerOptions }[] = [{ name: "default", options: {} }];
if (properties.some((property) => rateLimited(property.endpoint))) {
  wanted.push({ name: "unlimited", options: { config: { rateLimit: { enabled: false, requestsPerMinute: 10 } } } });
}
for (const fixture of new Set(cases.flatMap((c) => (c.fixture ? [c.fixture] : [])))) {
  wanted.push({ name: fixture, options: { fixture } });
}

// Servers start in parallel, but an embedded PGlite migrates and seeds on the one JS thread, several
// seconds each on a busy machine: the time allowed grows with the number of servers.
beforeAll(
  async () => {
    const started = await Promise.allSettled(wanted.map(({ options }) => startTestServer(options)));
    started.forEach((result, index) => {
      const name = wanted[index]?.name;
      if (result.status === "fulfilled" && name) servers.set(name, result.value);
    });
    const failed = started.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  },
  60_000 + 20_000 * wanted.length,
);

afterAll(async () => {
  await Promise.all([...servers.values()].map((running) => running.close()));
});

/**
 * Sends a request, its placeholders made first (fresh for each request) and its body signed if asked.
 * `sessions`, when given, keeps the checkout sessions made for placeholders and reuses them: each one
 * holds stock, so a fuzzed property makes its sessions once rather than once per run.
 */
async function send(running: TestServer, request: HttpRequest, sessions?: Map<Placeholder, string>): Promise<Response> {
  const made: Partial<Record<Placeholder, string>> = {};
  for (const placeholder of placeholdersIn(request)) {
    const kept = isSessionPlaceholder(placeholder) ? sessions?.get(placeholder) : undefined;
    made[placeholder] = kept ?? (await makePlaceholder(running, placeholder));
    if (isSessionPlaceholder(placeholder)) sessions?.set(placeholder, made[placeholder]);
  }
  const filled = sign(running, fillPlaceholders(request, made));
  return fetch(new URL(filled.url, running.url), {
    method: filled.method,
    headers: filled.headers,
    ...(filled.body === undefined ? {} : { body: filled.body }),
    redirect: "manual",
  });
}

/** A secret no server of these tests uses, for the badly signed webhooks. */
const WRONG_WEBHOOK_SECRET = "whsec_contract_not_the_servers";

/**
 * The request with its `Stripe-Signature` as `signWith` asks: over the exact body text sent, at the
 * current time, with the server's webhook secret or a wrong one, or no header at all.
 */
function sign(running: TestServer, request: HttpRequest): HttpRequest {
  if (request.signWith === undefined) return request;
  const headers = { ...request.headers };
  delete headers["stripe-signature"];
  if (request.signWith !== "none") {
    const text = typeof request.body === "string" ? request.body : Buffer.from(request.body ?? []).toString("utf8");
    const secret =
      request.signWith === "platform"
        ? (running.standIn?.webhookSecret ?? STAND_IN_WEBHOOK_SECRET)
        : WRONG_WEBHOOK_SECRET;
    headers["stripe-signature"] = signatureHeader(text, secret, Math.floor(Date.now() / 1000));
  }
  return { ...request, headers };
}

/** Sends a request an example needs first; anything but a 2xx fails the example, saying which step. */
async function sendFirst(running: TestServer, request: HttpRequest, what: string): Promise<unknown> {
  const response = await send(running, request);
  const text = await response.text();
  if (response.status >= 300) {
    throw new Error(`${what}: ${describeRequest(request)} → ${response.status} ${cut(text)}`);
  }
  return parseJson(text);
}

/**
 * Makes a checkout request's intent paid: checks it out, pays its session in the server's Stripe
 * stand-in, and commits its hold. No webhook is needed for that: the hold is made due, and the
 * reaper commits a due hold whose session was paid (API.md, hold lifecycle).
 */
async function payFor(running: TestServer, request: HttpRequest): Promise<void> {
  const checkout = await sendFirst(running, request, "checking out the intent to pay");
  const { sessionId, holdId } = (checkout ?? {}) as { sessionId?: string; holdId?: string };
  if (!sessionId || !holdId) {
    throw new Error(`checking out the intent to pay: no session in ${JSON.stringify(checkout)}`);
  }
  if (!running.standIn) throw new Error("paying needs the server's own Stripe stand-in");
  await running.standIn.pay(sessionId, "paid");
  await running.sql`
    update holds set expires_at = now() - interval '1 minute' where id = ${holdId} and status = 'active'`;
  await running.reaper.sweep();
  const [hold] = await running.sql<{ status: string }[]>`select status from holds where id = ${holdId}`;
  if (hold?.status !== "committed") throw new Error(`the paid hold ${holdId} is ${hold?.status}, not committed`);
}

/** Creates the cart or checkout session a placeholder stands for, through the API, and gives its id. */
async function makePlaceholder(running: TestServer, placeholder: Placeholder): Promise<string> {
  if (isSessionPlaceholder(placeholder)) {
    const { shopId, body, pay } = placeholderSessions[placeholder];
    const made = await post(running, "/v1/checkout/sessions", placeholder, body, {
      "x-shop-id": shopId,
      "idempotency-key": `contract-placeholder-${randomUUID()}`,
    });
    const { sessionId } = made as { sessionId: string };
    if (pay) {
      if (!running.standIn) throw new Error(`making ${placeholder}: paying needs the server's own Stripe stand-in`);
      await running.standIn.pay(sessionId, "paid");
    }
    return sessionId;
  }
  const { shopId, body } = placeholderCarts[placeholder];
  const made = await post(running, "/v1/carts", placeholder, body, { "x-shop-id": shopId });
  return (made as { cartId: string }).cartId;
}

async function post(
  running: TestServer,
  path: string,
  what: Placeholder,
  body: unknown,
  headers: Record<string, string>,
): Promise<unknown> {
  const response = await fetch(new URL(path, running.url), {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 201) throw new Error(`making ${what}: ${response.status} ${cut(text)}`);
  return JSON.parse(text);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function issuesOf(result: { success: boolean; error?: { issues: readonly unknown[] } }): string {
  return result.success ? "" : JSON.stringify(result.error?.issues);
}

describe("the contract test generator", () => {
  const thing: Endpoint = {
    id: "getThing",
    method: "GET",
    path: "/v1/things/{thingId}",
    summary: "A thing.",
    tags: ["things"],
    shopScoped: false,
    responses: {
      200: { description: "The thing.", schema: z.object({ id: z.string() }) },
      404: { description: "No such thing.", codes: ["NOT_FOUND"] },
    },
    examples: [{ name: "a thing", status: 200, pathParams: { thingId: "a b" }, query: { locale: "de" } }],
  };
  const gap = (status: number, reason: CoverageGap["reason"], example?: string): CoverageGap => ({
    endpointId: "getThing",
    status,
    reason,
    example,
  });

  it("fails when a declared status has no example", () => {
    expect(coverageGaps([thing])).toEqual([gap(404, "no example")]);
    expect(() => generateContractCases([thing])).toThrow("getThing 404: no example");
  });

  it("reports examples whose status or code the endpoint does not declare", () => {
    const wrong: Endpoint = {
      ...thing,
      examples: [
        { name: "a thing", status: 200, pathParams: { thingId: "t" } },
        { name: "gone", status: 410, code: "NOT_FOUND", pathParams: { thingId: "t" } },
        { name: "unknown shop", status: 404, code: "SHOP_NOT_FOUND", pathParams: { thingId: "t" } },
        { name: "stock", status: 404, code: "INSUFFICIENT_STOCK", pathParams: { thingId: "t" } },
        { name: "no code", status: 404, pathParams: { thingId: "t" } },
        { name: "no id", status: 200 },
      ],
    };
    expect(coverageGaps([wrong]).map(describeGap)).toEqual([
      "getThing 404: code without example (NOT_FOUND)",
      'getThing 410: status not declared (example "gone")',
      'getThing 404: code not declared (example "unknown shop")',
      'getThing 404: code of another status (example "stock")',
      'getThing 404: error example without code (example "no code")',
      'getThing 200: missing path parameter (example "no id")',
    ]);
  });

  it("reports a declared code that belongs to another status", () => {
    const misfiled: Endpoint = {
      ...thing,
      responses: { ...thing.responses, 404: { description: "x", codes: ["NOT_FOUND", "RATE_LIMITED"] } },
      examples: [...thing.examples, { name: "none", status: 404, code: "NOT_FOUND", pathParams: { thingId: "t" } }],
    };
    expect(coverageGaps([misfiled])).toEqual([gap(404, "code of another status")]);
  });

  it("fills path parameters and the query string into the URL", () => {
    const example = { ...thing, responses: { 200: thing.responses[200] ?? { description: "" } } };
    expect(generateContractCases([example])[0]?.request.url).toBe("/v1/things/a%20b?locale=de");
  });

  it("replaces a placeholder in the path, and only there, with the id of the cart made for it", () => {
    const request: HttpRequest = {
      method: "GET",
      url: "/v1/carts/%24newCart/lines?x=%24newCart",
      headers: {},
      body: undefined,
    };
    expect(placeholdersIn(request)).toEqual(["$newCart"]);
    expect(fillPlaceholders(request, { $newCart: "cart_abc" }).url).toBe("/v1/carts/cart_abc/lines?x=%24newCart");
  });

  it("replaces a placeholder that is a whole string of the body, and not one inside a longer string", () => {
    const body = JSON.stringify({ cartId: "$emptyCart", note: "$emptyCart!" });
    const request: HttpRequest = { method: "POST", url: "/v1/checkout/sessions", headers: {}, body };
    expect(placeholdersIn(request)).toEqual(["$emptyCart"]);
    expect(JSON.parse(String(fillPlaceholders(request, { $emptyCart: "cart_abc" }).body))).toEqual({
      cartId: "cart_abc",
      note: "$emptyCart!",
    });
  });

  it("fails when a declared code of a status has no example, though the status has some", () => {
    const twoCodes: Endpoint = {
      ...thing,
      responses: { ...thing.responses, 404: { description: "x", codes: ["NOT_FOUND", "SESSION_NOT_FOUND"] } },
      examples: [...thing.examples, { name: "none", status: 404, code: "NOT_FOUND", pathParams: { thingId: "t" } }],
    };
    expect(coverageGaps([twoCodes]).map(describeGap)).toEqual([
      "getThing 404: code without example (SESSION_NOT_FOUND)",
    ]);
  });

  it("sends the steps an example needs before it, with the example's endpoint and its own inputs", () => {
    const [replay] = generateContractCases([
      {
        ...thing,
        responses: { 200: thing.responses[200] ?? { description: "" } },
        examples: [
          { name: "again", status: 200, pathParams: { thingId: "b" }, before: [{ pathParams: { thingId: "a" } }] },
        ],
      },
    ]);
    expect(replay?.before.map((step) => step.url)).toEqual(["/v1/things/a"]);
    expect(replay?.paidIntent).toBe(false);
  });

  it("finds no gap in the v1 registry", () => {
    expect(coverageGaps(endpoints).map(describeGap)).toEqual([]);
  });

  it("fuzzes checkout under an Idempotency-Key, so a body still valid replays a hold or is refused, holding no stock", () => {
    const checkout = properties.filter((property) => property.endpoint.id === "createCheckoutSession");
    expect(checkout.length).toBeGreaterThan(0);
    for (const property of checkout) {
      for (const input of [...property.examples, ...fc.sample(property.inputs, 20)]) {
        expect(input.request.headers["idempotency-key"], property.title).toBeDefined();
      }
    }
  });

  it("fuzzes webhooks unsigned or badly signed, so every input must be refused", () => {
    const webhooks = properties.filter((property) => property.endpoint.path.startsWith("/v1/webhooks/"));
    expect(webhooks.length).toBeGreaterThan(0);
    for (const property of webhooks) {
      const inputs = [...property.examples, ...fc.sample(property.inputs, 50)];
      for (const input of inputs) {
        expect(["none", "wrong"], property.title).toContain(input.request.signWith);
        expect(input.mustFail, property.title).toBe(true);
      }
      expect(new Set(inputs.map((input) => input.request.signWith)).size, property.title).toBe(2);
    }
  });

  it("signs a webhook example over the body as sent, placeholders filled", () => {
    const completed = cases.find((c) => c.endpointId === "receiveStripeWebhook" && placeholdersIn(c.request).length);
    expect(completed?.request.signWith).toBe("platform");
    const filled = fillPlaceholders(completed?.request ?? { method: "POST", url: "/", headers: {}, body: "" }, {
      $openSession: "cs_test_abc",
    });
    expect(filled.signWith).toBe("platform");
    expect(String(filled.body)).toContain('"id":"cs_test_abc"');
  });

  it("derives malformed inputs for every body, query and shop header in the registry", () => {
    const wanted = endpoints.flatMap((e) => [
      ...(e.body ? [`${e.id}: body`] : []),
      ...(e.query ? [`${e.id}: query`] : []),
      ...(e.shopScoped ? [`${e.id}: shop`] : []),
    ]);
    const derived = properties.map(({ endpoint, part }) => `${endpoint.id}: ${part}`);
    expect(new Set(derived)).toEqual(new Set(wanted));
  });
});

describe("every registry example against a running server", () => {
  for (const c of cases) {
    it(c.title, async () => {
      const target = server(c.fixture ?? "default");
      for (const [index, step] of c.before.entries()) await sendFirst(target, step, `step ${index + 1} before`);
      if (c.paidIntent) await payFor(target, c.request);
      const response = await send(target, c.request);
      const text = await response.text();
      expect(response.status, cut(text)).toBe(c.status);

      const requestId = response.headers.get("x-request-id");
      expect(requestId, "x-request-id header").toBeTruthy();
      const contentType = response.headers.get("content-type") ?? "";
      if (c.response.schema) {
        expect(contentType).toMatch(/^application\/json/);
        const parsed = z.safeParse(c.response.schema, parseJson(text));
        expect(parsed.success, `${issuesOf(parsed)} in ${cut(text)}`).toBe(true);
      } else if (c.response.contentType) {
        expect(contentType.startsWith(c.response.contentType), contentType).toBe(true);
      } else {
        expect(text).toBe("");
      }

      if (c.status >= 400) {
        const envelope = z.safeParse(errorEnvelopeSchema, parseJson(text));
        expect(envelope.success, cut(text)).toBe(true);
        expect(envelope.data?.error.code).toBe(c.code);
        expect(envelope.data?.error.requestId).toBe(requestId);
      }
    });
  }
});

/** What is wrong with the answer to a malformed input, if anything. */
function problemWith(endpoint: Endpoint, input: MalformedInput, response: Response, text: string): string | undefined {
  const { status } = response;
  if (status >= 500) return "a 5xx";
  if (input.mustFail && status < 400) return "the schemas reject this input, yet no 4xx";
  const spec = endpoint.responses[status];
  if (!spec) return `status ${status} is not declared for ${endpoint.id}`;
  const requestId = response.headers.get("x-request-id");
  if (!requestId) return "no x-request-id header";
  if (status < 400) {
    if (spec.schema && !z.safeParse(spec.schema, parseJson(text)).success) return "a body its schema rejects";
    return undefined;
  }
  const envelope = z.safeParse(errorEnvelopeSchema, parseJson(text));
  if (!envelope.success) return "not an error envelope";
  const { code } = envelope.data.error;
  if (errorStatus[code] !== status) return `code ${code} belongs to ${errorStatus[code]}`;
  if (!spec.codes?.includes(code)) return `code ${code} is not declared for ${endpoint.id} ${status}`;
  if (envelope.data.error.requestId !== requestId) return "requestId differs from the x-request-id header";
  return undefined;
}

// After the examples, on the same server (describes run in order), so their writes cannot disturb them.
describe("generated malformed inputs never get a 5xx", () => {
  for (const property of properties) {
    it(`${property.title}: a typed 4xx (or a 2xx where the input is still valid)`, async () => {
      const target = server(rateLimited(property.endpoint) ? "unlimited" : "default");
      const sessions = new Map<Placeholder, string>();
      await fc.assert(
        fc.asyncProperty(property.inputs, async (input) => {
          const response = await send(target, input.request, sessions);
          const text = await response.text();
          const problem = problemWith(property.endpoint, input, response, text);
          if (problem) {
            throw new Error(`${problem}: ${describeRequest(input.request)} → ${response.status} ${cut(text, 500)}`);
          }
        }),
        { numRuns: RUNS, examples: property.examples.map((input) => [input]) },
      );
    });
  }
});
