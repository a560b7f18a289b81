/**
 * `GET /v1/checkout/sessions/:sessionId`: verified payment status, before and after the webhook and
 * with the webhook lost entirely; what it learns from Stripe is recorded exactly once.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { checkout, lines, resetHolds, setOnHand, stockOf } from "../checkout/support.ts";
import { startTestServer, type TestServer } from "../harness.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await resetHolds(server.sql);
  await setOnHand(server.sql, 12);
  server.standIn?.setWebhookUrl(`${server.url}/v1/webhooks/stripe`);
});

const standIn = () => {
  if (!server.standIn) throw new Error("no stand-in");
  return server.standIn;
};

async function status(sessionId: string, shop = "cochlearfit") {
  const response = await fetch(`${server.url}/v1/checkout/sessions/${sessionId}`, { headers: { "x-shop-id": shop } });
  // biome-ignore lint/suspicious/noExplicitAny: test code reads whichever body came back
  return { status: response.status, body: (await response.json()) as any };
}

async function open(key: string) {
  const { body } = await checkout(server, { key, body: { lines: lines(1) } });
  return body as { sessionId: string; holdId: string; amountTotal: number };
}

async function ordersFor(holdId: string) {
  const [row] = await server.sql<{ n: number }[]>`select count(*)::int as n from orders where hold_id = ${holdId}`;
  return row?.n;
}

describe("verified payment status", () => {
  it("an open session is open and unpaid, with no order", async () => {
    const { sessionId } = await open("status-open");
    expect((await status(sessionId)).body).toMatchObject({ status: "open", paymentStatus: "unpaid", orderId: null });
  });

  it("after the webhook, answers paid with the order", async () => {
    const { sessionId, holdId } = await open("status-after-webhook");
    await standIn().pay(sessionId, "paid");
    const { body } = await status(sessionId);
    expect(body).toMatchObject({ status: "complete", paymentStatus: "paid", amountTotal: 2900, currency: "eur" });
    const [order] = await server.sql<{ id: string }[]>`select id from orders where hold_id = ${holdId}`;
    expect(body.orderId).toBe(order?.id);
  });

  it("with the webhook lost, asks Stripe, records the order once, and the late webhook changes nothing", async () => {
    standIn().faults.next("drop", 10, "webhook");
    const { sessionId, holdId } = await open("status-webhook-lost");
    await standIn().pay(sessionId, "paid");
    expect(await ordersFor(holdId)).toBe(0);
    const first = await status(sessionId);
    expect(first.body).toMatchObject({ status: "complete", paymentStatus: "paid" });
    expect(first.body.orderId).toEqual(expect.any(String));
    expect((await status(sessionId)).body.orderId).toBe(first.body.orderId);
    expect(await ordersFor(holdId)).toBe(1);
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 11, held: 0, committed: 1 });
    // The lost event arrives after all: nothing happens twice.
    standIn().faults.clear();
    const completed = standIn()
      .events()
      .find(
        (e) =>
          e.event.type === "checkout.session.completed" && (e.event.data.object as { id?: string }).id === sessionId,
      );
    if (completed) await standIn().redeliver(completed.event.id);
    expect(await ordersFor(holdId)).toBe(1);
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 11, committed: 1 });
  });

  it("an expired session reports expired and its stock is released", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId } = await open("status-expired");
    await standIn().expireNow(sessionId);
    expect((await status(sessionId)).body).toMatchObject({ status: "expired", paymentStatus: "unpaid", orderId: null });
    expect((await stockOf(server.sql)).held).toBe(0);
  });

  it("another shop's session, an unknown one and a malformed one are 404 SESSION_NOT_FOUND", async () => {
    const { sessionId } = await open("status-other-shop");
    for (const [id, shop] of [
      [sessionId, "cover-me-pretty"],
      ["cs_test_unknown", "cochlearfit"],
      ["not-a-session", "cochlearfit"],
    ] as const) {
      const { status: code, body } = await status(id, shop);
      expect(code).toBe(404);
      expect(body.error.code).toBe("SESSION_NOT_FOUND");
    }
  });

  it("answers 503 with Retry-After when Stripe cannot be asked", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId } = await open("status-stripe-down");
    standIn().faults.next("503", 1, "retrieve");
    const response = await fetch(`${server.url}/v1/checkout/sessions/${sessionId}`, {
      headers: { "x-shop-id": "cochlearfit" },
    });
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBeTruthy();
  });
});
