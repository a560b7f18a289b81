/**
 * Stripe webhooks (invariant 5): verified signatures, the right tenant, every effect exactly once,
 * and orders that follow the payment whatever order the events come in.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { signatureHeader } from "../../src/stripe/stand-in/index.ts";
import { checkout, lines, resetHolds, setOnHand, stockOf } from "../checkout/support.ts";
import { startTestServer, type TestServer } from "../harness.ts";

let server: TestServer;
let second: TestServer;
let secret: string;

beforeAll(async () => {
  server = await startTestServer();
  second = await startTestServer({
    sameDatabaseAs: server,
    config: { stripeWebhookSecret: server.standIn?.webhookSecret },
  });
  secret = server.standIn?.webhookSecret ?? "";
});
afterAll(async () => {
  await second?.close();
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

async function order(holdId: string) {
  const [row] = await server.sql<{ id: string; status: string; amount_total: number; review_reason: string | null }[]>`
    select id, status, amount_total, review_reason from orders where hold_id = ${holdId}`;
  return row;
}
async function holdStatus(holdId: string) {
  const [row] = await server.sql<{ status: string }[]>`select status from holds where id = ${holdId}`;
  return row?.status;
}

async function post(target: TestServer, payload: string, path = "/v1/webhooks/stripe", header?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const signature = header ?? signatureHeader(payload, secret, Math.floor(Date.now() / 1000));
  if (signature) headers["stripe-signature"] = signature;
  const response = await fetch(`${target.url}${path}`, { method: "POST", headers, body: payload });
  return { status: response.status, body: (await response.json()) as { error?: { code: string }; result?: string } };
}

/** A signed event for a session, as Stripe would send it. */
function sessionEvent(id: string, type: string, session: Record<string, unknown>) {
  return JSON.stringify({ id, object: "event", type, data: { object: { object: "checkout.session", ...session } } });
}

async function openCheckout(key: string, quantity = 1) {
  const { status, body } = await checkout(server, { key, body: { lines: lines(quantity) } });
  expect(status).toBe(201);
  return body as { sessionId: string; holdId: string; amountTotal: number };
}

describe("a paid checkout", () => {
  it("commits the hold, records one paid order and empties the server cart", async () => {
    const cart = await fetch(`${server.url}/v1/carts`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shop-id": "cochlearfit" },
      body: JSON.stringify({ lines: lines(2) }),
    }).then((r) => r.json() as Promise<{ cartId: string }>);
    const { body } = await checkout(server, { body: { cartId: cart.cartId } });
    await standIn().pay(body.sessionId, "paid");
    expect(await holdStatus(body.holdId)).toBe("committed");
    expect(await order(body.holdId)).toMatchObject({ status: "paid", amount_total: 5800 });
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 10, held: 0, committed: 2 });
    const [lineCount] = await server.sql<
      { n: number }[]
    >`select count(*)::int as n from cart_lines where cart_id = ${cart.cartId}`;
    expect(lineCount?.n).toBe(0);
  });

  it.each([
    [
      "sale",
      "cochlearfit",
      { sku: "cf-headband-classic", variantAttributes: { color: "navy", size: "m" } },
      undefined,
      "0",
    ],
    ["rental", "cover-me-pretty", { sku: "cmp-coil-cover", variantAttributes: { color: "white" } }, 4, "4"],
  ] as const)(
    "a full %s flow: cart, session, payment on the stand-in, webhook, order (COM-204)",
    async (_, shop, item, rentalDays, recordedDays) => {
      const cart = await fetch(`${server.url}/v1/carts`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shop-id": shop },
        body: JSON.stringify({ lines: [{ ...item, quantity: 1 }] }),
      }).then((r) => r.json() as Promise<{ cartId: string }>);
      const { status, body } = await checkout(server, {
        shop,
        body: { cartId: cart.cartId, ...(rentalDays ? { rentalDays } : {}) },
      });
      expect(status).toBe(201);
      const session = await standIn().pay(body.sessionId, "paid");
      expect(session.metadata).toMatchObject({ shop_id: shop, rental_days: recordedDays, cart_id: cart.cartId });
      const [row] = await server.sql<{ status: string; amount_total: number; lines: { depositAmount: number }[] }[]>`
      select status, amount_total, lines from orders where hold_id = ${body.holdId}`;
      expect(row?.status).toBe("paid");
      expect(row?.amount_total).toBe(session.amount_total);
      const deposits = row?.lines.reduce((sum, line) => sum + line.depositAmount, 0) ?? 0;
      if (rentalDays) expect(deposits).toBeGreaterThan(0);
      else expect(deposits).toBe(0);
    },
  );

  it("the same event delivered 10 times, concurrently, to two instances makes one order and commits stock once", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("ten-deliveries", 3);
    await standIn().pay(sessionId, "paid");
    const payload = sessionEvent("evt_ten_times", "checkout.session.completed", {
      id: sessionId,
      payment_status: "paid",
      status: "complete",
      amount_total: amountTotal,
      currency: "eur",
      metadata: { shop_id: "cochlearfit", hold_id: holdId },
    });
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => post(i % 2 ? second : server, payload)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.result === "processed")).toHaveLength(1);
    const [orders] = await server.sql<{ n: number }[]>`select count(*)::int as n from orders where hold_id = ${holdId}`;
    expect(orders?.n).toBe(1);
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 9, held: 0, committed: 3 });
  });
});

describe("signatures", () => {
  const payload = sessionEvent("evt_signed", "checkout.session.expired", {
    id: "cs_test_unknown",
    metadata: { shop_id: "cochlearfit" },
  });
  const now = () => Math.floor(Date.now() / 1000);

  it.each([
    ["a wrong secret", () => signatureHeader(payload, "whsec_wrong", now())],
    ["a timestamp older than the tolerance", () => signatureHeader(payload, secret, now() - 301)],
    ["a signature of another body", () => signatureHeader(`${payload} `, secret, now())],
    ["a malformed header", () => "t=1,v1=zz"],
  ])("refuses %s with 400 INVALID_SIGNATURE and records nothing", async (_, header) => {
    const { status, body } = await post(server, payload, "/v1/webhooks/stripe", header());
    expect(status).toBe(400);
    expect(body.error?.code).toBe("INVALID_SIGNATURE");
    const [event] = await server.sql`select 1 from webhook_events where event_id = 'evt_signed'`;
    expect(event).toBeUndefined();
  });

  it("refuses a missing header", async () => {
    const response = await fetch(`${server.url}/v1/webhooks/stripe`, { method: "POST", body: payload });
    expect(response.status).toBe(400);
  });
});

describe("tenants", () => {
  it("refuses an event for another shop's route with 403, then the right route applies it", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("tenant-check");
    await standIn().pay(sessionId, "paid");
    const payload = sessionEvent("evt_tenant", "checkout.session.completed", {
      id: sessionId,
      payment_status: "paid",
      amount_total: amountTotal,
      currency: "eur",
      metadata: { shop_id: "cochlearfit", hold_id: holdId },
    });
    const wrong = await post(server, payload, "/v1/webhooks/stripe/cover-me-pretty");
    expect(wrong.status).toBe(403);
    expect(wrong.body.error?.code).toBe("TENANT_MISMATCH");
    expect(await holdStatus(holdId)).toBe("active");
    const right = await post(server, payload, "/v1/webhooks/stripe/cochlearfit");
    expect(right.status).toBe(200);
    expect(await holdStatus(holdId)).toBe("committed");
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/webhook_tenant_mismatch_total\{shop="cochlearfit"\} 1/);
  });

  it("refuses metadata that names another shop than the hold's", async () => {
    const { sessionId, holdId } = await openCheckout("tenant-forged");
    const payload = sessionEvent("evt_forged", "checkout.session.expired", {
      id: sessionId,
      metadata: { shop_id: "cover-me-pretty", hold_id: holdId },
    });
    expect((await post(server, payload)).status).toBe(403);
    expect(await holdStatus(holdId)).toBe("active");
  });

  it("answers 503 TENANT_UNRESOLVED for an event it cannot place, records nothing, then places one by our records", async () => {
    const payload = sessionEvent("evt_nowhere", "checkout.session.completed", { id: "cs_test_not_ours", metadata: {} });
    const { status, body } = await post(server, payload);
    expect(status).toBe(503);
    expect(body.error?.code).toBe("TENANT_UNRESOLVED");
    const [recorded] = await server.sql`select 1 from webhook_events where event_id = 'evt_nowhere'`;
    expect(recorded).toBeUndefined();
    // An event without metadata for a session we do know is placed through the hold we recorded.
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId } = await openCheckout("tenant-from-records");
    const known = sessionEvent("evt_from_records", "checkout.session.expired", { id: sessionId });
    expect((await post(server, known)).status).toBe(200);
    expect(await holdStatus(holdId)).toBe("released");
  });

  it("acknowledges an event type it has no use for, whatever shop it names or not", async () => {
    const payload = JSON.stringify({
      id: "evt_customer",
      object: "event",
      type: "customer.created",
      data: { object: { object: "customer", id: "cus_1" } },
    });
    const { status, body } = await post(server, payload);
    expect(status).toBe(200);
    expect(body.result).toBe("ignored");
  });

  it("answers 503 TENANT_UNRESOLVED for a shop this server does not know, never a 500", async () => {
    const payload = sessionEvent("evt_other_deployment", "checkout.session.completed", {
      id: "cs_test_elsewhere",
      metadata: { shop_id: "staging-shop" },
    });
    expect((await post(server, payload)).status).toBe(503);
  });
});

describe("asynchronous payments, expiry and refunds", () => {
  it("an asynchronous payment waits as an order awaiting payment, then succeeds", async () => {
    const { sessionId, holdId } = await openCheckout("async-ok");
    await standIn().pay(sessionId, "async");
    expect(await order(holdId)).toMatchObject({ status: "awaiting_payment" });
    expect(await holdStatus(holdId)).toBe("active");
    await standIn().asyncResult(sessionId, true);
    expect(await order(holdId)).toMatchObject({ status: "paid" });
    expect(await holdStatus(holdId)).toBe("committed");
  });

  it("an asynchronous payment that fails releases the hold and cancels the order", async () => {
    const { sessionId, holdId } = await openCheckout("async-fail", 2);
    await standIn().pay(sessionId, "async");
    await standIn().asyncResult(sessionId, false);
    expect(await order(holdId)).toMatchObject({ status: "cancelled" });
    expect(await holdStatus(holdId)).toBe("released");
    expect((await stockOf(server.sql)).held).toBe(0);
  });

  it("an expired session releases its hold", async () => {
    const { sessionId, holdId } = await openCheckout("session-expires");
    await standIn().expireNow(sessionId);
    expect(await holdStatus(holdId)).toBe("released");
    expect((await stockOf(server.sql)).held).toBe(0);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/inventory_hold_expired_total\{shop="cochlearfit"\} [1-9]/);
  });

  it("a refund marks the order refunded", async () => {
    const { sessionId, holdId } = await openCheckout("refunded");
    await standIn().pay(sessionId, "paid");
    await standIn().refund(sessionId);
    expect(await order(holdId)).toMatchObject({ status: "refunded" });
  });

  it("an expiry arriving after the payment changes nothing", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("late-expiry");
    const base = {
      id: sessionId,
      currency: "eur",
      amount_total: amountTotal,
      metadata: { shop_id: "cochlearfit", hold_id: holdId },
    };
    await post(
      server,
      sessionEvent("evt_paid_first", "checkout.session.completed", { ...base, payment_status: "paid" }),
    );
    await post(server, sessionEvent("evt_expired_after", "checkout.session.expired", base));
    expect(await holdStatus(holdId)).toBe("committed");
    expect(await order(holdId)).toMatchObject({ status: "paid" });
  });

  it("an asynchronous success arriving before the completion ends paid", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("async-first");
    const base = {
      id: sessionId,
      currency: "eur",
      amount_total: amountTotal,
      metadata: { shop_id: "cochlearfit", hold_id: holdId },
    };
    await post(
      server,
      sessionEvent("evt_async_first", "checkout.session.async_payment_succeeded", { ...base, payment_status: "paid" }),
    );
    await post(
      server,
      sessionEvent("evt_completed_second", "checkout.session.completed", { ...base, payment_status: "unpaid" }),
    );
    expect(await order(holdId)).toMatchObject({ status: "paid" });
  });
});

describe("money that does not match", () => {
  it("records needs_review when Stripe's amount differs from the hold's total, never a silent paid order", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("amount-mismatch");
    await post(
      server,
      sessionEvent("evt_mismatch", "checkout.session.completed", {
        id: sessionId,
        payment_status: "paid",
        currency: "eur",
        amount_total: amountTotal - 1,
        metadata: { shop_id: "cochlearfit", hold_id: holdId },
      }),
    );
    expect(await order(holdId)).toMatchObject({ status: "needs_review" });
    expect(await holdStatus(holdId)).toBe("active");
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/order_needs_review_total\{shop="cochlearfit",reason="amount_mismatch"\} 1/);
  });

  it("a payment for an expired hold re-reserves the stock when it is there", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("late-payment-ok", 2);
    await resetHolds(server.sql);
    const base = { id: sessionId, currency: "eur", amount_total: amountTotal, payment_status: "paid" };
    await post(
      server,
      sessionEvent("evt_late_ok", "checkout.session.completed", {
        ...base,
        metadata: { shop_id: "cochlearfit", hold_id: holdId },
      }),
    );
    expect(await order(holdId)).toMatchObject({ status: "paid" });
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 10, held: 0, committed: 2 });
  });

  it("a payment for an expired hold whose stock is gone is recorded for review, never negative stock", async () => {
    standIn().setWebhookUrl(undefined);
    const { sessionId, holdId, amountTotal } = await openCheckout("late-payment-short", 2);
    await resetHolds(server.sql);
    await setOnHand(server.sql, 1);
    const base = { id: sessionId, currency: "eur", amount_total: amountTotal, payment_status: "paid" };
    await post(
      server,
      sessionEvent("evt_late_short", "checkout.session.completed", {
        ...base,
        metadata: { shop_id: "cochlearfit", hold_id: holdId },
      }),
    );
    expect(await order(holdId)).toMatchObject({ status: "needs_review" });
    expect(await stockOf(server.sql)).toMatchObject({ on_hand: 1, held: 0 });
  });
});
