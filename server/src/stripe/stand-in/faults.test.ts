/**
 * Fault switches, seen through the real SDK: each injected failure must surface as the error class and
 * status the SDK produces against Stripe, and network faults as a connection error with no status.
 */
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StripeStandIn, startStripeStandIn } from "./stand-in.ts";
import { checkoutParams, rejection, sdkFor, TEST_WEBHOOK_SECRET } from "./test-support.ts";

let standIn: StripeStandIn;
let stripe: Stripe;

beforeEach(async () => {
  standIn = await startStripeStandIn({ webhookSecret: TEST_WEBHOOK_SECRET });
  stripe = sdkFor(standIn, 300);
});
afterEach(() => standIn.close());

const withFault = (name: string, idempotencyKey?: string): Stripe.RequestOptions => ({
  headers: { "Stand-In-Fault": name },
  ...(idempotencyKey ? { idempotencyKey } : {}),
});

const { errors } = Stripe;
const statusFaults = [
  { status: 400, errorClass: errors.StripeInvalidRequestError, rawType: "invalid_request_error" },
  { status: 401, errorClass: errors.StripeAuthenticationError, rawType: "authentication_error" },
  { status: 403, errorClass: errors.StripePermissionError, rawType: "invalid_request_error" },
  { status: 404, errorClass: errors.StripeInvalidRequestError, rawType: "invalid_request_error" },
  { status: 409, errorClass: errors.StripeAPIError, rawType: "invalid_request_error" },
  { status: 429, errorClass: errors.StripeRateLimitError, rawType: "rate_limit_error" },
  { status: 500, errorClass: errors.StripeAPIError, rawType: "api_error" },
  { status: 503, errorClass: errors.StripeAPIError, rawType: "api_error" },
].map((entry) => ({ ...entry, name: entry.errorClass.name }));

describe("status faults", () => {
  it.each(statusFaults)("a $status fault raises $name and creates nothing", async ({ status, errorClass, rawType }) => {
    const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), withFault(String(status))));
    expect(error).toBeInstanceOf(errorClass);
    expect(error.type).toBe(errorClass.name);
    expect(error.statusCode).toBe(status);
    expect(error.rawType).toBe(rawType);
    expect(standIn.stats().sessionsCreated).toBe(0);
  });

  it("an armed fault hits only the next N requests of its operation, and leaves the key free", async () => {
    standIn.faults.next("503", 2, "create");
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "k1" }));
      expect(error.statusCode).toBe(503);
    }
    const created = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "k1" });
    expect(created.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(standIn.stats().sessionsCreated).toBe(1);
  });

  it("a fault armed for retrieve leaves creates alone", async () => {
    standIn.faults.next("429", 1, "retrieve");
    const { id } = await stripe.checkout.sessions.create(checkoutParams());
    expect((await rejection(stripe.checkout.sessions.retrieve(id))).statusCode).toBe(429);
    expect((await stripe.checkout.sessions.retrieve(id)).id).toBe(id);
  });

  it("clear disarms every fault", async () => {
    standIn.faults.next("500", 5);
    standIn.faults.clear();
    await expect(stripe.checkout.sessions.create(checkoutParams())).resolves.toMatchObject({ status: "open" });
  });

  it("an unknown fault name is refused", async () => {
    expect(() => standIn.faults.next("teapot")).toThrow(/unknown API fault/);
    expect(() => standIn.faults.next("duplicate")).toThrow(/webhook/);
    const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), withFault("teapot")));
    expect(error.statusCode).toBe(400);
  });
});

describe("network faults", () => {
  it("a delay past the SDK timeout is a connection error with no status, and the work still happens", async () => {
    const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), withFault("delay:600", "slow")));
    expect(error).toBeInstanceOf(errors.StripeConnectionError);
    expect(error.statusCode).toBeUndefined();
    // The outcome was unknown to the client, not undone: once the stand-in finishes, a retry converges.
    await vi.waitFor(() => expect(standIn.stats().sessionsCreated).toBe(1), { timeout: 2000 });
    const replay = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "slow" });
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
  });

  it("a dropped connection is a connection error with no status and creates nothing", async () => {
    const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), withFault("drop")));
    expect(error).toBeInstanceOf(errors.StripeConnectionError);
    expect(error.statusCode).toBeUndefined();
    // The SDK retries a reset connection once even with maxNetworkRetries: 0 (the header rides along).
    expect(standIn.stats()).toMatchObject({ calls: { create: 2 }, sessionsCreated: 0 });
  });

  it("a single armed drop is healed by the SDK's own retry of the reset connection", async () => {
    standIn.faults.next("drop", 1, "create");
    const session = await stripe.checkout.sessions.create(checkoutParams());
    expect(session.status).toBe("open");
    expect(standIn.stats()).toMatchObject({ calls: { create: 2 }, sessionsCreated: 1 });
  });

  it("a lost response creates the session; a retry with the same key gets it, replayed", async () => {
    const error = await rejection(
      stripe.checkout.sessions.create(checkoutParams(), withFault("lost-response", "lost")),
    );
    expect(error).toBeInstanceOf(errors.StripeConnectionError);
    expect(error.statusCode).toBeUndefined();
    expect(standIn.stats()).toMatchObject({ sessionsCreated: 1, replays: { create: 1 } });
    const replay = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "lost" });
    expect(replay.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(standIn.session(replay.id)?.status).toBe("open");
    expect(standIn.stats().sessionsCreated).toBe(1);
  });

  it("a single armed lost response is healed by the SDK's own retry with the same key", async () => {
    standIn.faults.next("lost-response", 1, "create");
    const session = await stripe.checkout.sessions.create(checkoutParams());
    expect(session.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(standIn.stats()).toMatchObject({ calls: { create: 2 }, replays: { create: 1 }, sessionsCreated: 1 });
  });
});

describe("control API over HTTP", () => {
  const control = (method: string, path: string, body?: unknown) =>
    fetch(`${standIn.url}/__stand-in${path}`, {
      method,
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });

  it("arms faults, clears them and reports stats", async () => {
    expect((await control("POST", "/faults", { fault: "429", count: 2, operation: "create" })).status).toBe(200);
    for (let i = 0; i < 2; i += 1) {
      expect((await rejection(stripe.checkout.sessions.create(checkoutParams()))).statusCode).toBe(429);
    }
    await control("POST", "/faults", { fault: "500" });
    expect((await control("DELETE", "/faults")).status).toBe(204);
    await stripe.checkout.sessions.create(checkoutParams());
    const stats = await (await control("GET", "/stats")).json();
    expect(stats).toMatchObject({ calls: { create: 3 }, sessionsCreated: 1 });
  });

  it("refuses a malformed fault with a 400 that says why", async () => {
    const response = await control("POST", "/faults", { fault: "reorder", operation: "create" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining("unknown API fault") } });
  });
});
