/**
 * Idempotent holds (invariants 2 and 3): one active hold per intent, one Stripe session per hold,
 * stock never negative nor double-held — with concurrent requests on one and on two server instances.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type StripeStandIn, startStripeStandIn } from "../../src/stripe/stand-in/index.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { checkout, lines, resetHolds, setOnHand, stockOf } from "./support.ts";

let standIn: StripeStandIn;
let first: TestServer;
let second: TestServer;

beforeAll(async () => {
  // Two instances on one database and one Stripe, as behind a load balancer.
  standIn = await startStripeStandIn({ port: 0, webhookSecret: "whsec_test_holds" });
  first = await startTestServer({ standIn });
  second = await startTestServer({ standIn, sameDatabaseAs: first });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
  await standIn?.close();
});
beforeEach(async () => {
  await resetHolds(first.sql);
  await setOnHand(first.sql, 12);
});

async function activeHolds(intentKey?: string) {
  const [row] = intentKey
    ? await first.sql<
        { n: number }[]
      >`select count(*)::int as n from holds where status = 'active' and intent_key = ${intentKey}`
    : await first.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
  return row?.n ?? 0;
}

describe("the same intent", () => {
  it("a retry with the same key returns the same hold and session, marked replayed", async () => {
    const a = await checkout(first, { key: "order-attempt-1", body: { lines: lines(2) } });
    const b = await checkout(first, { key: "order-attempt-1", body: { lines: lines(2) } });
    expect(a.status).toBe(201);
    expect(b.status).toBe(200);
    expect(b.body).toMatchObject({ holdId: a.body.holdId, sessionId: a.body.sessionId, replayed: true });
    expect(a.body.replayed).toBe(false);
    expect((await stockOf(first.sql)).held).toBe(2);
  });

  it("the same key with another payload is refused with IDEMPOTENCY_KEY_REUSED and holds nothing more", async () => {
    await checkout(first, { key: "order-attempt-2", body: { lines: lines(2) } });
    const reused = await checkout(first, { key: "order-attempt-2", body: { lines: lines(3) } });
    expect(reused.status).toBe(409);
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
    expect((await stockOf(first.sql)).held).toBe(2);
  });

  it.each(["short", "has spaces in it", "x".repeat(256), "ümlaut-key"])(
    "refuses the Idempotency-Key %j with IDEMPOTENCY_KEY_INVALID",
    async (key) => {
      const { status, body } = await checkout(first, { key, body: { lines: lines(1) } });
      expect(status).toBe(400);
      expect(body.error.code).toBe("IDEMPOTENCY_KEY_INVALID");
    },
  );

  it("without a key, the same request (a double click) converges on one hold", async () => {
    const a = await checkout(first, { body: { lines: lines(1), locale: "en" } });
    const b = await checkout(second, { body: { lines: lines(1), locale: "en" } });
    expect(b.body.holdId).toBe(a.body.holdId);
    expect((await stockOf(first.sql)).held).toBe(1);
  });

  it("50 concurrent identical requests make one hold and one Stripe session", async () => {
    const before = standIn.stats().sessionsCreated;
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => checkout(first, { key: "fifty-at-once", body: { lines: lines(1) } })),
    );
    expect(answers.map((a) => a.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.body.sessionId)).size).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(standIn.stats().sessionsCreated - before).toBe(1);
    expect(await activeHolds("key:fifty-at-once")).toBe(1);
    expect((await stockOf(first.sql)).held).toBe(1);
  });

  it("50 concurrent identical requests split over two instances make one hold and one create call", async () => {
    const callsBefore = standIn.stats().calls.create;
    const createdBefore = standIn.stats().sessionsCreated;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        checkout(i % 2 === 0 ? first : second, { key: "fifty-on-two", body: { lines: lines(1) } }),
      ),
    );
    expect(answers.map((a) => a.status).every((s) => s === 200 || s === 201)).toBe(true);
    expect(new Set(answers.map((a) => a.body.sessionId)).size).toBe(1);
    expect(standIn.stats().calls.create - callsBefore).toBe(1);
    expect(standIn.stats().sessionsCreated - createdBefore).toBe(1);
    expect(await activeHolds("key:fifty-on-two")).toBe(1);
  });
});

describe("the last units", () => {
  it("200 buyers for 20 units on two instances: exactly 20 held, the rest 409, never negative", async () => {
    await setOnHand(first.sql, 20);
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        checkout(i % 2 === 0 ? first : second, { key: `buyer-${i}-of-200`, body: { lines: lines(1) } }),
      ),
    );
    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(20);
    expect(statuses.filter((s) => s === 409)).toHaveLength(180);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error.code === "INSUFFICIENT_STOCK")).toBe(true);
    const stock = await stockOf(first.sql);
    expect(stock).toMatchObject({ on_hand: 20, held: 20 });
    expect(await activeHolds()).toBe(20);
  });

  it("refuses more than is available with INSUFFICIENT_STOCK, naming the shortfall, holding nothing", async () => {
    await setOnHand(first.sql, 3);
    const { status, body } = await checkout(first, { body: { lines: lines(4) } });
    expect(status).toBe(409);
    expect(body.error.details.items).toEqual([
      { sku: "cf-headband-classic", variantKey: "color:black|size:m", requested: 4, available: 3 },
    ]);
    expect((await stockOf(first.sql)).held).toBe(0);
    expect(await activeHolds()).toBe(0);
  });

  it("a multi-line checkout short on one line holds none of its lines", async () => {
    await setOnHand(first.sql, 0, "color:navy|size:m");
    const { status } = await checkout(first, {
      body: { lines: [...lines(1), ...lines(1, { color: "navy", size: "m" })] },
    });
    expect(status).toBe(409);
    expect((await stockOf(first.sql)).held).toBe(0);
  });

  it("a released hold's stock can be taken by the next buyer at once", async () => {
    await setOnHand(first.sql, 1);
    const a = await checkout(first, { key: "last-unit-a", body: { lines: lines(1) } });
    expect(a.status).toBe(201);
    expect((await checkout(first, { key: "last-unit-b", body: { lines: lines(1) } })).status).toBe(409);
    await resetHolds(first.sql);
    expect((await checkout(first, { key: "last-unit-b", body: { lines: lines(1) } })).status).toBe(201);
  });
});
