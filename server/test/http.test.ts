/**
 * The HTTP conventions of API.md against a real server: request ids, the error envelope for unknown
 * routes and malformed bodies, body limits (with and without Content-Length), CORS per shop, the
 * operational endpoints, and 500s that never leak a stack or SQL.
 */
import { request } from "node:http";
import { errorEnvelopeSchema } from "@commerce/contracts/v1";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const cochlearfit = { "x-shop-id": "cochlearfit" };
const black = { color: "black", size: "m" };
const classic = "cf-headband-classic";

function get(path: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}${path}`, { headers });
}

function postValidate(body: string, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/inventory/validate`, {
    method: "POST",
    headers: { "content-type": "application/json", ...cochlearfit, ...headers },
    body,
  });
}

/** Status, request-id header and parsed error envelope of a response that must be an error. */
async function envelope(response: Response) {
  const parsed = errorEnvelopeSchema.safeParse(await response.json());
  return {
    status: response.status,
    requestIdHeader: response.headers.get("x-request-id"),
    error: parsed.success ? parsed.data.error : "not an error envelope",
  };
}

describe("request ids", () => {
  const saneId = /^[A-Za-z0-9._:-]{1,128}$/;

  it("generates an id when the request sends none", async () => {
    const response = await get("/healthz");
    expect(response.headers.get("x-request-id")).toMatch(saneId);
  });

  it("generates a different id for every request", async () => {
    const [a, b] = await Promise.all([get("/healthz"), get("/healthz")]);
    expect(a.headers.get("x-request-id")).not.toBe(b.headers.get("x-request-id"));
  });

  it("echoes a sane id the request sent", async () => {
    const response = await get("/healthz", { "x-request-id": "req-42.retry:1_a" });
    expect(response.headers.get("x-request-id")).toBe("req-42.retry:1_a");
  });

  it.each([
    ["500 characters long", "a".repeat(500)],
    ["containing spaces", "id with spaces"],
    ["containing markup", "<script>alert(1)</script>"],
  ])("replaces an id %s with a generated one", async (_, given) => {
    const response = await get("/healthz", { "x-request-id": given });
    const id = response.headers.get("x-request-id");
    expect({ echoed: id === given, sane: saneId.test(id ?? "") }).toEqual({ echoed: false, sane: true });
  });

  it("puts the response's request id in the error envelope", async () => {
    const result = await envelope(await get("/v1/no-such-route", { "x-request-id": "trace-me-123" }));
    expect(result).toMatchObject({ requestIdHeader: "trace-me-123", error: { requestId: "trace-me-123" } });
  });

  it("carries the same id in the header and the envelope of an error a route throws", async () => {
    const response = await postValidate("items", { "content-type": "text/plain", "x-request-id": "trace-me-415" });
    expect(await envelope(response)).toMatchObject({
      status: 415,
      requestIdHeader: "trace-me-415",
      error: { requestId: "trace-me-415" },
    });
  });
});

describe("routing", () => {
  it("answers an unknown route with 404 NOT_FOUND in the error envelope", async () => {
    expect(await envelope(await get("/v1/no-such-route"))).toMatchObject({
      status: 404,
      error: { code: "NOT_FOUND" },
    });
  });

  it.each([
    ["DELETE", "/v1/catalog"],
    ["GET", "/v1/inventory/validate"],
    ["POST", "/healthz"],
  ])("answers %s on the known path %s with 404 NOT_FOUND in the error envelope", async (method, path) => {
    const response = await fetch(`${server.url}${path}`, { method, headers: cochlearfit });
    expect(await envelope(response)).toMatchObject({ status: 404, error: { code: "NOT_FOUND" } });
  });
});

describe("request bodies", () => {
  it("refuses malformed JSON with 400 VALIDATION_FAILED", async () => {
    expect(await envelope(await postValidate('{"items": ['))).toMatchObject({
      status: 400,
      error: { code: "VALIDATION_FAILED", details: { issues: [] } },
    });
  });

  it("refuses a body that is not JSON by content type with 415 UNSUPPORTED_MEDIA_TYPE", async () => {
    const response = await postValidate("items", { "content-type": "text/plain" });
    expect(await envelope(response)).toMatchObject({ status: 415, error: { code: "UNSUPPORTED_MEDIA_TYPE" } });
  });

  it("refuses a body over 64 KiB announced by Content-Length with 413 PAYLOAD_TOO_LARGE", async () => {
    const body = oversized();
    const result = await rawPost({ "content-length": String(Buffer.byteLength(body.join(""))) }, body);
    expect(result).toEqual({ framing: "content-length", status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("refuses a chunked body over 64 KiB without Content-Length with 413 PAYLOAD_TOO_LARGE", async () => {
    const result = await rawPost({ "transfer-encoding": "chunked" }, oversized());
    expect(result).toEqual({ framing: "chunked", status: 413, code: "PAYLOAD_TOO_LARGE" });
  });
});

/** 80 KiB of JSON in 16 KiB pieces. */
const oversized = () => ['{"items":"', ...Array.from({ length: 5 }, () => "x".repeat(16 * 1024)), '"}'];

/**
 * POSTs the pieces to the validate endpoint, each as its own write, on a connection of its own
 * (`agent: false`): a server that answers before reading a large body may close that connection,
 * and no later test should inherit it.
 */
function rawPost(framing: Record<string, string>, pieces: string[]) {
  return new Promise<{ framing: string; status: number | undefined; code: unknown }>((resolve, reject) => {
    const req = request(
      `${server.url}/v1/inventory/validate`,
      { method: "POST", agent: false, headers: { "content-type": "application/json", ...cochlearfit, ...framing } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          text += chunk;
        });
        res.on("end", () => {
          const sent = req.getHeaders();
          resolve({
            framing: sent["content-length"] !== undefined ? "content-length" : String(sent["transfer-encoding"]),
            status: res.statusCode,
            code: errorCodeOf(text),
          });
        });
      },
    );
    req.on("error", reject);
    for (const piece of pieces) req.write(piece);
    req.end();
  });
}

function errorCodeOf(text: string): unknown {
  try {
    return (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
  } catch {
    return `not JSON: ${text.slice(0, 100)}`;
  }
}

describe("CORS", () => {
  const preflight = (origin: string) =>
    fetch(`${server.url}/v1/catalog`, {
      method: "OPTIONS",
      headers: {
        origin,
        "access-control-request-method": "GET",
        "access-control-request-headers": "x-shop-id, content-type",
      },
    });

  it("answers a preflight from a shop's origin with the origin and the allowed headers", async () => {
    const response = await preflight("http://localhost:4321");
    expect({
      status: response.status,
      allowOrigin: response.headers.get("access-control-allow-origin"),
      allowHeaders: response.headers.get("access-control-allow-headers")?.split(/\s*,\s*/),
    }).toMatchObject({
      status: 204,
      allowOrigin: "http://localhost:4321",
      allowHeaders: expect.arrayContaining(["x-shop-id", "content-type"]),
    });
  });

  it("allows no origin on a preflight from an origin no shop lists", async () => {
    const response = await preflight("https://evil.example");
    expect(response.headers.get("access-control-allow-origin")).toBeNull();
  });

  it("allows the shop's own origin on an actual request", async () => {
    const response = await get("/v1/catalog", { ...cochlearfit, origin: "http://localhost:4321" });
    expect(response.headers.get("access-control-allow-origin")).toBe("http://localhost:4321");
  });

  it("allows no origin on an actual request from another shop's origin", async () => {
    const response = await get("/v1/catalog", { ...cochlearfit, origin: "http://localhost:4322" });
    expect({ status: response.status, allowOrigin: response.headers.get("access-control-allow-origin") }).toEqual({
      status: 200,
      allowOrigin: null,
    });
  });
});

describe("operations", () => {
  it("answers /healthz with 200 ok", async () => {
    const response = await get("/healthz");
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: { status: "ok" } });
  });

  it("answers /readyz with 200 on a migrated database", async () => {
    const response = await get("/readyz");
    expect({ status: response.status, body: await response.json() }).toEqual({
      status: 200,
      body: { status: "ready" },
    });
  });

  it("exposes the HTTP duration histogram labelled with the catalog's route after a catalog call", async () => {
    expect((await get("/v1/catalog", cochlearfit)).status).toBe(200);
    const text = await (await get("/metrics")).text();
    expect(text).toMatch(/^http_request_duration_seconds_count\{[^}]*route="\/v1\/catalog"[^}]*\} [1-9]\d*$/m);
  });
});

describe("error details", () => {
  it("names both shops in SHOP_CONFLICT", async () => {
    const body = JSON.stringify({
      shopId: "cover-me-pretty",
      items: [{ sku: classic, quantity: 1, variantAttributes: black }],
    });
    expect(await envelope(await postValidate(body))).toMatchObject({
      status: 400,
      error: { code: "SHOP_CONFLICT", details: { header: "cochlearfit", body: "cover-me-pretty" } },
    });
  });

  it("names the item, the key sent and the key expected in VARIANT_KEY_MISMATCH", async () => {
    const body = JSON.stringify({
      items: [
        { sku: classic, quantity: 1, variantAttributes: black },
        { sku: classic, quantity: 1, variantAttributes: black, variantKey: "color:navy|size:m" },
      ],
    });
    expect(await envelope(await postValidate(body))).toMatchObject({
      status: 400,
      error: {
        code: "VARIANT_KEY_MISMATCH",
        details: { index: 1, sku: classic, variantKey: "color:navy|size:m", expected: "color:black|size:m" },
      },
    });
  });
});

/** A 500 body must be the bare envelope: no stack frame, no SQL, no connection detail. */
const leaks = /\bat |\b(select|insert|update|delete)\b|\b(relation|column)\b|ECONNREFUSED|127\.0\.0\.1|postgres/i;
const validateBody = JSON.stringify({ items: [{ sku: classic, quantity: 1, variantAttributes: black }] });
const failingCalls = [
  ["GET", "/v1/catalog", undefined],
  ["POST", "/v1/inventory/validate", validateBody],
] as const;

async function internalError(target: TestServer, method: string, path: string, body: string | undefined) {
  const response = await fetch(`${target.url}${path}`, {
    method,
    headers: { "content-type": "application/json", ...cochlearfit },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, code: errorCodeOf(text), leak: text.match(leaks)?.[0] };
}

describe("a 503 when the database is down", () => {
  let down: TestServer;
  beforeAll(async () => {
    down = await startTestServer({ fixture: "databaseDown" });
  });
  afterAll(async () => {
    await down?.close();
  });

  it.each(failingCalls)("%s %s answers NOT_READY without a stack or connection detail", async (method, path, body) => {
    expect(await internalError(down, method, path, body)).toEqual({ status: 503, code: "NOT_READY", leak: undefined });
  });
});

describe("a 500 from a failing SQL statement", () => {
  let broken: TestServer;
  beforeAll(async () => {
    // The stock table loses a column every read needs: each query on it fails inside PostgreSQL.
    broken = await startTestServer({
      prepare: async (sql) => {
        await sql`alter table stock rename column held to held_moved`;
      },
    });
  });
  afterAll(async () => {
    await broken?.close();
  });

  it.each(failingCalls)(
    "%s %s answers INTERNAL without the statement or the database's message",
    async (method, path, body) => {
      expect(await internalError(broken, method, path, body)).toEqual({
        status: 500,
        code: "INTERNAL",
        leak: undefined,
      });
    },
  );
});
