/**
 * Rate limiting (API.md, checkout rule 1) against real servers: per (client IP, shop), counted in
 * PostgreSQL so instances share it, refused before anything is written. Requests go through
 * node:http so each can name its source address (the whole of 127/8 is loopback on Linux).
 */
import { type IncomingHttpHeaders, request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../src/config.ts";
import { createRateLimiter, deleteOldWindows } from "../src/rate-limit/limiter.ts";
import { lines } from "./checkout/support.ts";
import { startTestServer, type TestServer } from "./harness.ts";

const MINUTE = 60_000;
/** 15 s into a minute near the real time (the Stripe stand-in checks expiries against its own clock). */
let clock = Math.floor(Date.now() / MINUTE) * MINUTE + 15_000;
const now = () => new Date(clock);

interface Sent {
  status: number;
  headers: IncomingHttpHeaders;
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whichever body came back
  body: any;
}

interface Call {
  path?: string;
  shop?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** The source address to connect from. */
  from?: string;
}

function send(server: TestServer, call: Call = {}): Promise<Sent> {
  const text = JSON.stringify(call.body ?? {});
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port: server.port,
        method: "POST",
        path: call.path ?? "/v1/checkout/sessions",
        ...(call.from ? { localAddress: call.from } : {}),
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(text),
          ...(call.shop === "" ? {} : { "x-shop-id": call.shop ?? "cochlearfit" }),
          ...call.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: raw ? JSON.parse(raw) : undefined });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(text);
  });
}

/** Sends `count` requests, in order, and gives their statuses. */
async function sendMany(count: number, server: TestServer | ((i: number) => TestServer), call: Call = {}) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) {
    statuses.push((await send(typeof server === "function" ? server(i) : server, call)).status);
  }
  return statuses;
}

/** A checkout body that the handler refuses (400) without touching stock: still counted. */
const cheap: Call = { body: {} };

const limited = (overrides: Partial<Config> = {}): Partial<Config> => ({
  rateLimit: { enabled: true, requestsPerMinute: 10 },
  trustProxyHops: 0,
  ...overrides,
});

let direct: TestServer;
let secondInstance: TestServer;
let behindProxy: TestServer;
let tight: TestServer;
let unlimited: TestServer;

beforeAll(async () => {
  [direct, behindProxy, tight, unlimited] = await Promise.all([
    startTestServer({ config: limited(), now }),
    startTestServer({ config: limited({ trustProxyHops: 1 }), now }),
    startTestServer({ config: limited({ rateLimit: { enabled: true, requestsPerMinute: 2 } }), now }),
    startTestServer({ config: limited({ rateLimit: { enabled: false, requestsPerMinute: 10 } }), now }),
  ]);
  secondInstance = await startTestServer({ config: limited(), now, sameDatabaseAs: direct });
});
afterAll(async () => {
  await secondInstance?.close();
  await Promise.all([direct, behindProxy, tight, unlimited].map((server) => server?.close()));
});
beforeEach(async () => {
  clock = Math.floor(Date.now() / MINUTE) * MINUTE + 15_000;
  await Promise.all([direct, behindProxy, tight].map((server) => server.sql`delete from rate_limits`));
});

describe("checkout from one client and shop", () => {
  it("the 11th request in a minute gets 429 RATE_LIMITED with Retry-After, and nothing is written for it", async () => {
    const body = { lines: lines(1) };
    const first = await send(direct, { body, headers: { "idempotency-key": "rate-limit-first" } });
    expect(first.status).toBe(201);
    expect(first.headers["ratelimit-policy"]).toBe('"checkout";q=10;w=60');
    expect(first.headers.ratelimit).toBe('"checkout";r=9;t=45');
    // Nine more, some refused by the handler: every request counts, whatever its answer.
    expect(await sendMany(9, direct, cheap)).toEqual(Array(9).fill(400));

    const holdsBefore = await direct.sql<{ n: number }[]>`select count(*)::int as n from holds`;
    const eleventh = await send(direct, { body, headers: { "idempotency-key": "rate-limit-eleventh" } });
    expect(eleventh.status).toBe(429);
    expect(eleventh.body.error.code).toBe("RATE_LIMITED");
    expect(eleventh.headers["retry-after"]).toBe("45");
    expect(eleventh.headers["ratelimit-policy"]).toBe('"checkout";q=10;w=60');
    expect(eleventh.headers.ratelimit).toBe('"checkout";r=0;t=45');
    expect(eleventh.body.error.requestId).toBe(eleventh.headers["x-request-id"]);

    const holdsAfter = await direct.sql<{ n: number }[]>`select count(*)::int as n from holds`;
    expect(holdsAfter).toEqual(holdsBefore);
    const [held] = await direct.sql<{ n: number }[]>`
      select count(*)::int as n from holds where intent_key = 'rate-limit-eleventh'`;
    expect(held?.n).toBe(0);
  });

  it("counts refusals in checkout_rate_limited_total by shop and bucket", async () => {
    await sendMany(12, direct, cheap);
    const metrics = await fetch(`${direct.url}/metrics`).then((r) => r.text());
    expect(metrics).toMatch(/checkout_rate_limited_total\{shop="cochlearfit",bucket="checkout"\} [1-9]/);
  });

  it("is a budget shared by every instance", async () => {
    const alternate = (i: number) => (i % 2 === 0 ? direct : secondInstance);
    expect(await sendMany(10, alternate, cheap)).toEqual(Array(10).fill(400));
    expect((await send(secondInstance, cheap)).status).toBe(429);
    expect((await send(direct, cheap)).status).toBe(429);
  });

  it("is full again once the window resets", async () => {
    await sendMany(10, direct, cheap);
    expect((await send(direct, cheap)).status).toBe(429);
    clock += 45_000;
    const next = await send(direct, cheap);
    expect(next.status).toBe(400);
    expect(next.headers.ratelimit).toBe('"checkout";r=9;t=60');
  });

  it("leaves other shops and other clients their own budgets", async () => {
    await sendMany(11, direct, cheap);
    expect((await send(direct, cheap)).status).toBe(429);
    const otherShop = await send(direct, { ...cheap, shop: "cover-me-pretty" });
    expect(otherShop.status).toBe(400);
    expect(otherShop.headers.ratelimit).toBe('"checkout";r=9;t=45');
    const otherClient = await send(direct, { ...cheap, from: "127.0.0.2" });
    expect(otherClient.status).toBe(400);
    expect(otherClient.headers.ratelimit).toBe('"checkout";r=9;t=45');
  });

  it("does not count a request without a known shop: the handler answers it", async () => {
    for (const shop of ["", "no-such-shop", "Not A Shop!"]) {
      const statuses = await sendMany(11, direct, { ...cheap, shop });
      expect(
        statuses.every((status) => status === 400 || status === 404),
        `${shop}: ${statuses}`,
      ).toBe(true);
    }
    const counted = await send(direct, cheap);
    expect(counted.headers.ratelimit).toBe('"checkout";r=9;t=45');
  });

  it("limits only writes: reading a session or the catalog is never counted", async () => {
    await sendMany(11, direct, cheap);
    const catalog = await fetch(`${direct.url}/v1/catalog`, { headers: { "x-shop-id": "cochlearfit" } });
    expect(catalog.status).toBe(200);
    expect(catalog.headers.get("ratelimit")).toBeNull();
  });
});

describe("the client address", () => {
  it("is the socket peer when TRUST_PROXY_HOPS is 0: a spoofed X-Forwarded-For changes nothing", async () => {
    const spoofed = (i: number): Call => ({ ...cheap, headers: { "x-forwarded-for": `198.51.100.${i}` } });
    for (let i = 0; i < 10; i += 1) expect((await send(direct, spoofed(i))).status).toBe(400);
    expect((await send(direct, spoofed(99))).status).toBe(429);
  });

  it("is the address the trusted proxy appended with TRUST_PROXY_HOPS 1, so clients get separate budgets", async () => {
    const via = (forwardedFor: string): Call => ({ ...cheap, headers: { "x-forwarded-for": forwardedFor } });
    expect(await sendMany(10, behindProxy, via("203.0.113.1"))).toEqual(Array(10).fill(400));
    expect((await send(behindProxy, via("203.0.113.1"))).status).toBe(429);
    // What the client wrote left of the proxy's entry is not read.
    expect((await send(behindProxy, via("192.0.2.77, 203.0.113.1"))).status).toBe(429);
    const other = await send(behindProxy, via("203.0.113.2"));
    expect(other.status).toBe(400);
    expect(other.headers.ratelimit).toBe('"checkout";r=9;t=45');
  });
});

describe("cart creation", () => {
  const cart: Call = { path: "/v1/carts", body: {} };

  it("has a looser budget of its own: six times the checkout limit", async () => {
    expect(await sendMany(2, tight, cheap)).toEqual([400, 400]);
    expect((await send(tight, cheap)).status).toBe(429);

    const countCarts = async () => (await tight.sql<{ n: number }[]>`select count(*)::int as n from carts`)[0]?.n;
    const cartsBefore = await countCarts();
    const first = await send(tight, cart);
    expect(first.status).toBe(201);
    expect(first.headers["ratelimit-policy"]).toBe('"cart";q=12;w=60');
    expect(first.headers.ratelimit).toBe('"cart";r=11;t=45');
    expect(await sendMany(11, tight, cart)).toEqual(Array(11).fill(201));
    const over = await send(tight, cart);
    expect(over.status).toBe(429);
    expect(over.body.error.code).toBe("RATE_LIMITED");
    expect(over.headers["retry-after"]).toBe("45");
    expect(await countCarts()).toBe((cartsBefore ?? 0) + 12);
  });

  it("is not limited on the cart's other routes", async () => {
    await sendMany(13, tight, cart);
    const made = await fetch(`${tight.url}/v1/carts/cart_AAAAAAAAAAAAAAAAAAAAAAAA`, {
      headers: { "x-shop-id": "cochlearfit" },
    });
    expect(made.status).toBe(404);
    expect(made.headers.get("ratelimit")).toBeNull();
  });
});

describe("CHECKOUT_RATE_LIMIT_ENABLED=false", () => {
  it("turns both budgets off", async () => {
    expect(await sendMany(15, unlimited, cheap)).toEqual(Array(15).fill(400));
    expect(await sendMany(15, unlimited, { path: "/v1/carts", body: {} })).toEqual(Array(15).fill(201));
    const last = await send(unlimited, cheap);
    expect(last.headers.ratelimit).toBeUndefined();
    expect(last.headers["ratelimit-policy"]).toBeUndefined();
  });
});

describe("old windows", () => {
  it("are deleted now and then by the limiter, off the request's path, and current ones are kept", async () => {
    const old = new Date(clock - 10 * MINUTE);
    await direct.sql`insert into rate_limits (bucket, shop_id, client_ip, window_start, count)
      values ('checkout', 'cochlearfit', '192.0.2.1', ${old}, 3)`;
    const limiter = createRateLimiter(
      { sql: direct.sql, now, shouldCleanUp: () => true },
      { bucket: "checkout", limitPerMinute: 10 },
    );
    expect(await limiter.hit("cochlearfit", "192.0.2.1")).toEqual({
      allowed: true,
      limit: 10,
      remaining: 9,
      resetSeconds: 45,
    });
    await expect
      .poll(async () => (await direct.sql`select 1 from rate_limits where window_start = ${old}`).length)
      .toBe(0);
    expect(await deleteOldWindows(direct.sql, new Date(clock - MINUTE))).toBe(0);
    const [current] = await direct.sql<{ count: number }[]>`
      select count from rate_limits where client_ip = '192.0.2.1'`;
    expect(current?.count).toBe(1);
  });
});
