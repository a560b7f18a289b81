/**
 * What a failed Stripe create call does to a checkout (API.md checkout rules 5–6, invariants 2 and 4):
 * a definitive refusal releases the hold at once (502), an unknown outcome keeps it (503) and the
 * retry with the same Idempotency-Key converges on the same hold and one Stripe session. Every
 * failure comes from the stand-in's fault switches on the create call.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { StripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { sdkFor } from "../../src/stripe/stand-in/test-support.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { checkout, holdStatus, lines, resetHolds, stockOf } from "./support.ts";

/** Well below the `delay:` fault, so a delayed create times out in the SDK. */
const STRIPE_TIMEOUT_MS = 500;
const PAST_THE_TIMEOUT = "delay:1500";

let server: TestServer;
let standIn: StripeStandIn;
beforeAll(async () => {
  server = await startTestServer({ stripeTimeoutMs: STRIPE_TIMEOUT_MS });
  if (!server.standIn) throw new Error("the test server runs without its Stripe stand-in");
  standIn = server.standIn;
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  standIn.faults.clear();
  await resetHolds(server.sql);
});

/**
 * The stripe SDK retries a reset connection once even with `maxNetworkRetries: 0` (stripe-node #1336),
 * under the same idempotency key; a connection-closing fault is armed for both attempts so that the
 * failure reaches the server.
 */
function failCreate(fault: string) {
  const closesTheConnection = fault === "drop" || fault === "lost-response";
  standIn.faults.next(fault, closesTheConnection ? 2 : 1, "create");
}

const newKey = () => `stripe-failure-${randomUUID()}`;
const buy = (key: string) => checkout(server, { key, body: { lines: lines(2) } });

/** Every hold the intent of this Idempotency-Key has had, oldest first. */
async function holdsOf(key: string) {
  return server.sql<{ id: string; status: string; stripe_session_id: string | null }[]>`
    select id, status, stripe_session_id from holds where intent_key = ${`key:${key}`} order by created_at`;
}

async function onlyHold(key: string) {
  const holds = await holdsOf(key);
  expect(holds).toHaveLength(1);
  const [hold] = holds;
  if (!hold) throw new Error(`no hold for ${key}`);
  return hold;
}

/** The sum of a counter's series whose labels include all of `labels`. */
async function counter(name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}{`) && wanted.every((pair) => line.includes(pair)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

describe("a definitive refusal of the create call", () => {
  const definitive = ["400", "401", "403", "404"];

  it.each(definitive)("%s answers 502 PAYMENT_PROVIDER_REJECTED", async (fault) => {
    failCreate(fault);
    const { status, body } = await buy(newKey());
    expect(status).toBe(502);
    expect(body.error.code).toBe("PAYMENT_PROVIDER_REJECTED");
  });

  it.each(definitive)("%s releases the hold and makes its stock available again", async (fault) => {
    const key = newKey();
    failCreate(fault);
    await buy(key);
    expect((await onlyHold(key)).status).toBe("released");
    expect((await stockOf(server.sql)).held).toBe(0);
  });

  it.each(definitive)("after %s a retry with the same key takes a new hold and succeeds", async (fault) => {
    const key = newKey();
    failCreate(fault);
    await buy(key);
    const retry = await buy(key);
    expect(retry.status).toBe(201);
    const [released, active] = await holdsOf(key);
    expect(released?.status).toBe("released");
    expect(retry.body.holdId).toBe(active?.id);
    expect(retry.body.holdId).not.toBe(released?.id);
    expect(active?.status).toBe("active");
    expect(standIn.session(retry.body.sessionId)?.metadata.hold_id).toBe(retry.body.holdId);
    expect((await stockOf(server.sql)).held).toBe(2);
  });
});

describe("an unknown outcome of the create call", () => {
  /** The delayed create still runs once its delay is over; until then its Stripe key is in use. */
  async function settled(fault: string, sessionsBefore: number) {
    if (!fault.startsWith("delay:")) return;
    await vi.waitFor(() => expect(standIn.stats().sessionsCreated).toBe(sessionsBefore + 1), {
      timeout: 5000,
      interval: 25,
    });
  }
  const unknown = ["409", "429", "500", "503", PAST_THE_TIMEOUT, "drop"];

  it.each(unknown)("%s answers 503 PAYMENT_PROVIDER_UNAVAILABLE with Retry-After", async (fault) => {
    const sessionsBefore = standIn.stats().sessionsCreated;
    failCreate(fault);
    const { status, body, headers } = await buy(newKey());
    expect(status).toBe(503);
    expect(body.error.code).toBe("PAYMENT_PROVIDER_UNAVAILABLE");
    expect(Number(headers.get("retry-after"))).toBeGreaterThan(0);
    await settled(fault, sessionsBefore);
  });

  it.each(unknown)("%s keeps the hold active with its stock held", async (fault) => {
    const sessionsBefore = standIn.stats().sessionsCreated;
    const key = newKey();
    failCreate(fault);
    await buy(key);
    const hold = await onlyHold(key);
    expect(hold.status).toBe("active");
    expect(hold.stripe_session_id).toBeNull();
    expect((await stockOf(server.sql)).held).toBe(2);
    await settled(fault, sessionsBefore);
  });

  it.each(unknown)("after %s a retry with the same key returns the same hold with a session", async (fault) => {
    const sessionsBefore = standIn.stats().sessionsCreated;
    const key = newKey();
    failCreate(fault);
    const failed = await buy(key);
    await settled(fault, sessionsBefore);
    const retry = await buy(key);
    expect([200, 201]).toContain(retry.status);
    expect(retry.body.holdId).toBe(failed.body.error.details.holdId);
    expect((await onlyHold(key)).stripe_session_id).toBe(retry.body.sessionId);
    expect(standIn.session(retry.body.sessionId)?.metadata.hold_id).toBe(retry.body.holdId);
    expect(standIn.stats().sessionsCreated).toBe(sessionsBefore + 1);
    expect((await stockOf(server.sql)).held).toBe(2);
  });
});

describe("a lost response to the create call", () => {
  it("answers 503 and keeps the hold, though Stripe created the session", async () => {
    const sessionsBefore = standIn.stats().sessionsCreated;
    const key = newKey();
    failCreate("lost-response");
    const { status, body } = await buy(key);
    expect(status).toBe(503);
    expect(body.error.code).toBe("PAYMENT_PROVIDER_UNAVAILABLE");
    expect(standIn.stats().sessionsCreated).toBe(sessionsBefore + 1);
    expect(await holdStatus(server.sql, body.error.details.holdId)).toBe("active");
    expect((await stockOf(server.sql)).held).toBe(2);
  });

  it("the retry returns the same hold and the one session Stripe created, by an idempotent replay", async () => {
    const before = standIn.stats();
    const key = newKey();
    failCreate("lost-response");
    const failed = await buy(key);
    const between = standIn.stats();
    const retry = await buy(key);
    const after = standIn.stats();
    expect(retry.status).toBe(200);
    expect(retry.body.holdId).toBe(failed.body.error.details.holdId);
    expect(after.sessionsCreated - before.sessionsCreated).toBe(1);
    expect(after.replays.create - between.replays.create).toBe(1);
    expect(standIn.session(retry.body.sessionId)?.client_reference_id).toBe(retry.body.holdId);
  });

  it("a single lost response is healed by the SDK's own retry under the hold's key: one session", async () => {
    const before = standIn.stats();
    standIn.faults.next("lost-response", 1, "create");
    const { status, body } = await buy(newKey());
    expect(status).toBe(201);
    expect(standIn.stats().sessionsCreated - before.sessionsCreated).toBe(1);
    expect(standIn.stats().replays.create - before.replays.create).toBe(1);
    expect(standIn.session(body.sessionId)?.client_reference_id).toBe(body.holdId);
  });

  it("the retry sends the same parameters under the same key: Stripe raises no idempotency error", async () => {
    const mismatchesBefore = await counter("stripe_error_classification_total", { type: "idempotency_error" });
    failCreate("lost-response");
    const key = newKey();
    await buy(key);
    expect((await buy(key)).status).toBe(200);
    expect(await counter("stripe_error_classification_total", { type: "idempotency_error" })).toBe(mismatchesBefore);
  });
});

describe("the hold's Stripe request", () => {
  async function frozen(holdId: string) {
    const [row] = await server.sql<{ stripe_idempotency_key: string; stripe_params: Record<string, unknown> }[]>`
      select stripe_idempotency_key, stripe_params from holds where id = ${holdId}`;
    if (!row) throw new Error(`no hold ${holdId}`);
    return row;
  }

  it("uses a Stripe idempotency key derived from the hold", async () => {
    const { body } = await buy(newKey());
    expect((await frozen(body.holdId)).stripe_idempotency_key).toBe(`hold:${body.holdId}`);
  });

  it("freezes exactly the parameters Stripe received: sent again under its key they replay its session", async () => {
    const { body } = await buy(newKey());
    const hold = await frozen(body.holdId);
    const before = standIn.stats();
    const again = await sdkFor(standIn).checkout.sessions.create(hold.stripe_params as never, {
      idempotencyKey: hold.stripe_idempotency_key,
    });
    expect(again.id).toBe(body.sessionId);
    expect(standIn.stats().replays.create - before.replays.create).toBe(1);
    expect(standIn.stats().sessionsCreated).toBe(before.sessionsCreated);
  });
});

describe("stripe_error_classification_total", () => {
  it("counts a definitive and an unknown failure under their classifications", async () => {
    const definitiveBefore = await counter("stripe_error_classification_total", { classification: "definitive" });
    const unknownBefore = await counter("stripe_error_classification_total", { classification: "unknown" });
    failCreate("401");
    await buy(newKey());
    failCreate("503");
    await buy(newKey());
    expect(await counter("stripe_error_classification_total", { classification: "definitive" })).toBe(
      definitiveBefore + 1,
    );
    expect(await counter("stripe_error_classification_total", { classification: "unknown" })).toBe(unknownBefore + 1);
  });
});
