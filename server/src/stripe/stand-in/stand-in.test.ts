/**
 * The stand-in's Stripe API, driven through the real `stripe` SDK: what the server's gateway sees must
 * be what it would see from Stripe (objects, idempotency, error classes and statuses, network failures).
 */
import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { type StripeStandIn, startStripeStandIn } from "./stand-in.ts";
import { checkoutParams, rejection, sdkFor, TEST_WEBHOOK_SECRET } from "./test-support.ts";

let standIn: StripeStandIn;
let stripe: Stripe;

beforeEach(async () => {
  standIn = await startStripeStandIn({ webhookSecret: TEST_WEBHOOK_SECRET });
  stripe = sdkFor(standIn);
});
afterEach(() => standIn.close());

describe("checkout sessions", () => {
  it("a created session is open, priced from its lines and retrievable with the same fields", async () => {
    const before = Math.floor(Date.now() / 1000);
    const session = await stripe.checkout.sessions.create(checkoutParams());
    expect(session).toMatchObject({
      object: "checkout.session",
      status: "open",
      payment_status: "unpaid",
      mode: "payment",
      amount_total: 7300,
      amount_subtotal: 7300,
      currency: "eur",
      client_reference_id: "hold_1",
      metadata: { shop_id: "cochlearfit", hold_id: "hold_1", cart_id: "cart_1", rental_days: "0" },
      payment_intent: null,
      success_url: checkoutParams().success_url,
      cancel_url: checkoutParams().cancel_url,
    });
    expect(session.id).toMatch(/^cs_test_\w+$/);
    expect(session.url).toBe(`${standIn.url}/pay/${session.id}`);
    expect(session.created).toBeGreaterThanOrEqual(before);
    expect(session.expires_at).toBe(session.created + 24 * 3600);
    const retrieved = await stripe.checkout.sessions.retrieve(session.id);
    expect({ ...retrieved }).toEqual({ ...session });
  });

  it("expires_at inside 30 minutes to 24 hours is kept as given", async () => {
    const expiresAt = Math.floor(Date.now() / 1000) + 3600;
    const session = await stripe.checkout.sessions.create(checkoutParams({ expires_at: expiresAt }));
    expect(session.expires_at).toBe(expiresAt);
  });

  it("expiring an open session makes it expired without a url, and a second expire is refused as Stripe refuses it", async () => {
    const { id } = await stripe.checkout.sessions.create(checkoutParams());
    const expired = await stripe.checkout.sessions.expire(id);
    expect(expired).toMatchObject({ id, status: "expired", payment_status: "unpaid", url: null });
    const error = await rejection(stripe.checkout.sessions.expire(id));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error.statusCode).toBe(400);
    expect(error.message).toContain('Only Checkout Sessions with a status in ["open"] can be expired');
  });

  it("retrieving or expiring an unknown session is a 404 resource_missing", async () => {
    for (const call of [
      stripe.checkout.sessions.retrieve("cs_test_nope"),
      stripe.checkout.sessions.expire("cs_test_nope"),
    ]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
      expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", param: "session" });
    }
  });
});

describe("validation, as Stripe validates", () => {
  const now = () => Math.floor(Date.now() / 1000);
  const cases: [string, () => Stripe.Checkout.SessionCreateParams, string][] = [
    ["expires_at under 30 minutes away", () => checkoutParams({ expires_at: now() + 29 * 60 }), "expires_at"],
    ["expires_at over 24 hours away", () => checkoutParams({ expires_at: now() + 24 * 3600 + 60 }), "expires_at"],
    ["a missing mode", () => ({ ...checkoutParams(), mode: undefined }) as never, "mode"],
    ["a subscription mode", () => checkoutParams({ mode: "subscription" }), "mode"],
    ["a missing success_url", () => ({ ...checkoutParams(), success_url: undefined }) as never, "success_url"],
    ["no line items", () => checkoutParams({ line_items: [] }), "line_items"],
    ["an unknown parameter", () => ({ ...checkoutParams(), colour: "red" }) as never, "colour"],
    [
      "a line without a currency",
      () =>
        checkoutParams({
          line_items: [{ quantity: 1, price_data: { unit_amount: 100, product_data: { name: "x" } } as never }],
        }),
      "line_items[0][price_data][currency]",
    ],
    [
      "a line without a product name",
      () => checkoutParams({ line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: 100 } }] }),
      "line_items[0][price_data][product_data][name]",
    ],
    [
      "a negative unit_amount",
      () =>
        checkoutParams({
          line_items: [{ quantity: 1, price_data: { currency: "eur", unit_amount: -1, product_data: { name: "x" } } }],
        }),
      "line_items[0][price_data][unit_amount]",
    ],
    [
      "a fractional unit_amount",
      () =>
        checkoutParams({
          line_items: [
            { quantity: 1, price_data: { currency: "eur", unit_amount: 12.5, product_data: { name: "x" } } },
          ],
        }),
      "line_items[0][price_data][unit_amount]",
    ],
    [
      "a quantity of 0",
      () =>
        checkoutParams({
          line_items: [{ quantity: 0, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "x" } } }],
        }),
      "line_items[0][quantity]",
    ],
  ];

  it.each(cases)("%s is a 400 invalid_request_error naming the param", async (_name, params, param) => {
    const error = await rejection(stripe.checkout.sessions.create(params()));
    expect(error).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(error).toMatchObject({ statusCode: 400, rawType: "invalid_request_error", param });
    expect(standIn.stats().sessionsCreated).toBe(0);
  });

  it("lines in two currencies are refused", async () => {
    const params = checkoutParams({
      line_items: [
        { quantity: 1, price_data: { currency: "eur", unit_amount: 100, product_data: { name: "a" } } },
        { quantity: 1, price_data: { currency: "usd", unit_amount: 100, product_data: { name: "b" } } },
      ],
    });
    const error = await rejection(stripe.checkout.sessions.create(params));
    expect(error).toMatchObject({ statusCode: 400, rawType: "invalid_request_error" });
  });

  it("a Price ID is unknown to the stand-in, as a placeholder price is to Stripe", async () => {
    const error = await rejection(
      stripe.checkout.sessions.create(checkoutParams({ line_items: [{ price: "price_123", quantity: 1 }] })),
    );
    expect(error).toMatchObject({ statusCode: 404, code: "resource_missing", param: "line_items[0][price]" });
  });

  it("a refused create stores nothing under its key, so a corrected retry with that key creates the session", async () => {
    const idempotencyKey = "hold_1:attempt";
    const refused = await rejection(
      stripe.checkout.sessions.create(checkoutParams({ expires_at: now() + 60 }), { idempotencyKey }),
    );
    expect(refused.statusCode).toBe(400);
    const session = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey });
    expect(session.status).toBe("open");
  });
});

describe("idempotency", () => {
  it("a retry with the same key returns the same session, flagged Idempotent-Replayed", async () => {
    const first = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_1" });
    const again = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_1" });
    expect(again.id).toBe(first.id);
    expect(first.lastResponse.headers["idempotent-replayed"]).toBeUndefined();
    expect(again.lastResponse.headers["idempotent-replayed"]).toBe("true");
    expect(again.lastResponse.statusCode).toBe(200);
    expect(standIn.stats()).toEqual({
      calls: { create: 2, retrieve: 0, expire: 0 },
      replays: { create: 1, retrieve: 0, expire: 0 },
      sessionsCreated: 1,
    });
  });

  it("the same key with different parameters raises StripeIdempotencyError with status 400", async () => {
    await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_2" });
    const error = await rejection(
      stripe.checkout.sessions.create(checkoutParams({ client_reference_id: "other" }), { idempotencyKey: "hold_2" }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(error.type).toBe("StripeIdempotencyError");
    expect(error.rawType).toBe("idempotency_error");
    expect(error.statusCode).toBe(400);
    expect(standIn.stats().sessionsCreated).toBe(1);
  });

  it("the same parameters in another order are the same request", async () => {
    const params = checkoutParams();
    const reordered = Object.fromEntries(Object.entries(params).reverse()) as Stripe.Checkout.SessionCreateParams;
    const first = await stripe.checkout.sessions.create(params, { idempotencyKey: "hold_3" });
    const again = await stripe.checkout.sessions.create(reordered, { idempotencyKey: "hold_3" });
    expect(again.id).toBe(first.id);
  });

  it("a request whose key is still in flight gets 409 idempotency_key_in_use, and the first one still succeeds", async () => {
    standIn.faults.next("delay:400", 1, "create");
    const first = stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_4" });
    // The barrier: the first request has reached the stand-in and holds its key for the delay.
    await vi.waitFor(() => expect(standIn.stats().calls.create).toBe(1));
    const error = await rejection(stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_4" }));
    expect(error.statusCode).toBe(409);
    expect(error.code).toBe("idempotency_key_in_use");
    const session = await first;
    const replay = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "hold_4" });
    expect(replay.id).toBe(session.id);
    expect(standIn.stats().sessionsCreated).toBe(1);
  });

  it("keys are per API key: another account's identical key creates its own session", async () => {
    const first = await stripe.checkout.sessions.create(checkoutParams(), { idempotencyKey: "shared" });
    const other = await stripe.checkout.sessions.create(checkoutParams(), {
      idempotencyKey: "shared",
      apiKey: "sk_test_other_shop",
    });
    expect(other.id).not.toBe(first.id);
  });
});

describe("authentication", () => {
  it("a request without a key is a 401 in Stripe's shape", async () => {
    const response = await fetch(`${standIn.url}/v1/checkout/sessions/cs_test_x`);
    expect(response.status).toBe(401);
    const body = (await response.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("authentication_error");
    expect(body.error.message).toContain("You did not provide an API key");
  });

  it("a live or malformed key raises StripeAuthenticationError", async () => {
    for (const apiKey of ["sk_live_abc", "pk_test_abc", "rk_test_abc"]) {
      const error = await rejection(stripe.checkout.sessions.retrieve("cs_test_x", {}, { apiKey }));
      expect(error).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      expect(error.statusCode).toBe(401);
    }
  });
});
