/**
 * Events and their delivery: every webhook the stand-in sends must verify with the real SDK's
 * `constructEvent`, and webhook faults must produce the late, repeated, reordered and missing
 * deliveries a receiver has to survive. Tests wait on the receiver, never on the clock.
 */
import Stripe from "stripe";
import { afterEach, describe, expect, it } from "vitest";
import { type StripeStandIn, type StripeStandInOptions, startStripeStandIn } from "./stand-in.ts";
import {
  checkoutParams,
  objectIdOf,
  sdkFor,
  startReceiver,
  TEST_WEBHOOK_SECRET,
  typesOf,
  type WebhookReceiver,
} from "./test-support.ts";

let standIn: StripeStandIn;
let receiver: WebhookReceiver;
let stripe: Stripe;

async function start(options: Partial<StripeStandInOptions> = {}, receiverOptions = {}) {
  receiver = await startReceiver(receiverOptions);
  standIn = await startStripeStandIn({ webhookSecret: TEST_WEBHOOK_SECRET, webhookUrl: receiver.url, ...options });
  stripe = sdkFor(standIn);
}
afterEach(async () => {
  await standIn.close();
  await receiver.close();
});

const createSession = async () => (await stripe.checkout.sessions.create(checkoutParams())).id;

describe("payment events", () => {
  it("paying sends a signed checkout.session.completed that the SDK verifies", async () => {
    await start();
    const id = await createSession();
    await standIn.pay(id, "paid");
    const [webhook] = receiver.received;
    expect(webhook?.verificationError).toBeUndefined();
    expect(webhook?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    const event = webhook?.event;
    expect(event).toMatchObject({
      object: "event",
      type: "checkout.session.completed",
      livemode: false,
      pending_webhooks: 1,
      api_version: Stripe.API_VERSION,
      request: { id: null, idempotency_key: null },
      data: { object: { id, status: "complete", payment_status: "paid", url: null, metadata: { hold_id: "hold_1" } } },
    });
    expect(event?.id).toMatch(/^evt_test_\w+$/);
    const session = await stripe.checkout.sessions.retrieve(id);
    expect(session.payment_intent).toMatch(/^pi_test_\w+$/);
    expect(standIn.events()).toMatchObject([{ id: event?.id, state: "delivered", attempts: [{ status: 200 }] }]);
  });

  it("an asynchronous payment completes unpaid, then announces its success", async () => {
    await start();
    const id = await createSession();
    await standIn.pay(id, "async");
    expect((await stripe.checkout.sessions.retrieve(id)).payment_status).toBe("unpaid");
    await standIn.asyncResult(id, true);
    expect(typesOf(receiver.received)).toEqual([
      "checkout.session.completed",
      "checkout.session.async_payment_succeeded",
    ]);
    expect(receiver.received[0]?.event?.data.object).toMatchObject({ status: "complete", payment_status: "unpaid" });
    expect(receiver.received[1]?.event?.data.object).toMatchObject({ payment_status: "paid" });
    expect((await stripe.checkout.sessions.retrieve(id)).payment_status).toBe("paid");
  });

  it("an asynchronous payment that fails stays unpaid and announces its failure", async () => {
    await start();
    const id = await createSession();
    await standIn.pay(id, "async");
    await standIn.asyncResult(id, false);
    expect(typesOf(receiver.received)).toEqual(["checkout.session.completed", "checkout.session.async_payment_failed"]);
    expect((await stripe.checkout.sessions.retrieve(id)).payment_status).toBe("unpaid");
    await expect(standIn.asyncResult(id, true)).rejects.toThrow(/no pending asynchronous payment/);
  });

  it("a refund sends charge.refunded carrying the PaymentIntent's metadata, once", async () => {
    await start();
    const id = await createSession();
    const paid = await standIn.pay(id, "paid");
    await standIn.refund(id);
    const charge = receiver.received[1]?.event?.data.object;
    expect(receiver.received[1]?.event?.type).toBe("charge.refunded");
    expect(charge).toMatchObject({
      object: "charge",
      amount: 7300,
      amount_refunded: 7300,
      refunded: true,
      currency: "eur",
      payment_intent: paid.payment_intent,
      metadata: { shop_id: "cochlearfit", hold_id: "hold_1_pi", cart_id: "cart_1", rental_days: "0" },
    });
    expect((charge as { id: string }).id).toMatch(/^ch_test_\w+$/);
    await expect(standIn.refund(id)).rejects.toThrow(/no paid, unrefunded charge/);
  });

  it("paying a completed or expired session is refused and announces nothing", async () => {
    await start();
    const paid = await createSession();
    await standIn.pay(paid, "paid");
    await expect(standIn.pay(paid, "paid")).rejects.toMatchObject({ code: "not_open" });
    const expired = await createSession();
    await standIn.expireNow(expired);
    await expect(standIn.pay(expired, "paid")).rejects.toMatchObject({ code: "not_open" });
    expect(typesOf(receiver.received)).toEqual(["checkout.session.completed", "checkout.session.expired"]);
  });
});

describe("expiry events", () => {
  it("expiring through the API sends checkout.session.expired", async () => {
    await start();
    const id = await createSession();
    await stripe.checkout.sessions.expire(id);
    const [webhook] = await receiver.until(1);
    expect(webhook?.event).toMatchObject({
      type: "checkout.session.expired",
      data: { object: { id, status: "expired" } },
    });
  });

  it("a session whose time ran out is expired on the next read, and announced", async () => {
    let clock = Date.now();
    await start({ now: () => clock, expirySweepMs: 3_600_000 }, { receivedAt: () => Math.floor(clock / 1000) });
    const id = await createSession();
    clock += 24 * 3600 * 1000;
    expect((await stripe.checkout.sessions.retrieve(id)).status).toBe("expired");
    const [webhook] = await receiver.until(1);
    expect(webhook?.event?.type).toBe("checkout.session.expired");
  });

  it("the expiry timer expires sessions that nobody reads", async () => {
    let clock = Date.now();
    await start({ now: () => clock, expirySweepMs: 5 }, { receivedAt: () => Math.floor(clock / 1000) });
    const id = await createSession();
    clock += 24 * 3600 * 1000;
    const [webhook] = await receiver.until(1);
    expect(webhook?.event).toMatchObject({ type: "checkout.session.expired", data: { object: { id } } });
  });
});

describe("delivery", () => {
  it("a delivery answered 500 is retried after the backoff, each attempt recorded", async () => {
    await start({ webhookRetry: { delaysMs: [5] } }, { status: (n: number) => (n === 1 ? 500 : 200) });
    await standIn.pay(await createSession(), "paid");
    const [record] = standIn.events();
    expect(record?.state).toBe("delivered");
    expect(record?.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 500],
      [2, 200],
    ]);
  });

  it("an unreachable endpoint is tried the configured number of times, then the event is failed", async () => {
    await start({ webhookRetry: { attempts: 3, delaysMs: [1, 2] } });
    await receiver.close();
    await standIn.pay(await createSession(), "paid");
    const [record] = standIn.events();
    expect(record?.state).toBe("failed");
    expect(record?.attempts).toHaveLength(3);
    expect(record?.attempts.every((a) => a.status === null && a.error !== null)).toBe(true);
  });

  it("without an endpoint an event is recorded, and redelivered once one is set", async () => {
    await start({ webhookUrl: undefined });
    await standIn.pay(await createSession(), "paid");
    const [record] = standIn.events();
    expect(record?.state).toBe("no_endpoint");
    standIn.setWebhookUrl(receiver.url);
    expect((await standIn.redeliver(record?.id ?? ""))?.state).toBe("delivered");
    expect(typesOf(receiver.received)).toEqual(["checkout.session.completed"]);
  });
});

describe("webhook faults", () => {
  it("duplicate delivers the same event twice", async () => {
    await start();
    standIn.faults.next("duplicate", 1, "webhook");
    await standIn.pay(await createSession(), "paid");
    const [first, second] = receiver.received;
    expect(receiver.received).toHaveLength(2);
    expect(first?.event?.id).toBe(second?.event?.id);
    expect(
      standIn
        .events()[0]
        ?.attempts.map((a) => a.run)
        .sort(),
    ).toEqual([1, 2]);
  });

  it("drop never delivers the event but records it, so it can be redelivered", async () => {
    await start();
    standIn.faults.next("drop", 1, "webhook");
    await standIn.pay(await createSession(), "paid");
    expect(receiver.received).toHaveLength(0);
    const [record] = standIn.events();
    expect(record).toMatchObject({ state: "dropped", fault: "drop", attempts: [] });
    await standIn.redeliver(record?.id ?? "");
    expect(receiver.received[0]?.event?.id).toBe(record?.id);
  });

  it("reorder holds an event back until the next one is delivered", async () => {
    await start();
    const first = await createSession();
    const second = await createSession();
    standIn.faults.next("reorder", 1, "webhook");
    await standIn.pay(first, "paid");
    expect(standIn.events()[0]?.state).toBe("held");
    await standIn.pay(second, "paid");
    const ids = receiver.received.map(objectIdOf);
    expect(ids).toEqual([second, first]);
  });

  it("delay holds the delivery back for the given time", async () => {
    await start();
    const id = await createSession();
    standIn.faults.next("delay:150", 1, "webhook");
    const started = performance.now();
    await standIn.pay(id, "paid");
    expect(receiver.received).toHaveLength(1);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
    expect(standIn.events()[0]?.fault).toBe("delay:150");
  });
});

describe("control API over HTTP", () => {
  const control = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${standIn.url}/__stand-in${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it("pays, settles, refunds, expires, lists and redelivers events, and moves the endpoint", async () => {
    await start({ webhookUrl: undefined });
    expect((await control("PUT", "/webhook", { url: receiver.url })).status).toBe(200);
    const paid = await createSession();
    expect(await control("POST", `/sessions/${paid}/pay`, { outcome: "async" })).toMatchObject({
      status: 200,
      body: { session: { status: "complete", payment_status: "unpaid" } },
    });
    expect((await control("POST", `/sessions/${paid}/async-result`, { succeeded: true })).status).toBe(200);
    expect(await control("POST", `/sessions/${paid}/refund`)).toMatchObject({ body: { charge: { refunded: true } } });
    const open = await createSession();
    expect(await control("POST", `/sessions/${open}/expire`)).toMatchObject({
      body: { session: { status: "expired" } },
    });
    expect((await control("POST", `/sessions/${open}/pay`, { outcome: "paid" })).status).toBe(409);
    expect((await control("POST", "/sessions/cs_test_nope/pay", { outcome: "paid" })).status).toBe(404);
    const { body } = await control("GET", "/events");
    const events = body.events as { id: string; type: string; state: string }[];
    expect(events.map((e) => [e.type, e.state])).toEqual([
      ["checkout.session.completed", "delivered"],
      ["checkout.session.async_payment_succeeded", "delivered"],
      ["charge.refunded", "delivered"],
      ["checkout.session.expired", "delivered"],
    ]);
    expect((await control("POST", `/events/${events[0]?.id}/redeliver`)).status).toBe(200);
    expect(receiver.received).toHaveLength(5);
    expect(receiver.received.every((r) => r.verificationError === undefined)).toBe(true);
  });
});
