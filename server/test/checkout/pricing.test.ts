/**
 * Checkout amounts come from the server's catalog only (invariant 1): repricing, drift in each
 * mode, coupons, sale and rental modes (COM-204), redirect allowlist, and checkout of a server cart.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Config } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../harness.ts";
import { blackM, checkout, classic, lines, resetHolds } from "./support.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});
beforeEach(async () => {
  await resetHolds(server.sql);
});

async function frozenParams(holdId: string) {
  const [row] = await server.sql<
    {
      stripe_params: {
        line_items: { quantity: number; price_data: { unit_amount: number; product_data: { name: string } } }[];
        metadata: Record<string, string>;
        payment_intent_data: { metadata: Record<string, string> };
      };
    }[]
  >`
    select stripe_params from holds where id = ${holdId}`;
  if (!row) throw new Error("no hold");
  return row.stripe_params;
}

describe("amounts", () => {
  it("charges the catalog price whatever amounts the client sends", async () => {
    const tampered = [{ ...lines(2)[0], unitAmount: 1, price: 1, lineTotal: 2, amount: 1, depositAmount: 0 }];
    const { status, body } = await checkout(server, {
      body: { lines: tampered, amountTotal: 2, subtotal: 2, discount: 5000, unitAmount: 1 },
    });
    expect(status).toBe(201);
    expect(body.amountTotal).toBe(5800);
    expect(server.standIn?.session(body.sessionId)?.amount_total).toBe(5800);
  });

  it("a sale checkout has no deposit lines and rental_days 0 in both metadata", async () => {
    const { body } = await checkout(server, { body: { lines: lines(2) } });
    expect(body.lines).toEqual([
      {
        sku: classic,
        variantKey: "color:black|size:m",
        quantity: 2,
        unitAmount: 2900,
        depositAmount: 0,
        lineTotal: 5800,
      },
    ]);
    const params = await frozenParams(body.holdId);
    expect(params.line_items).toHaveLength(1);
    expect(params.line_items.some((l) => l.price_data.product_data.name.startsWith("Deposit"))).toBe(false);
    for (const metadata of [params.metadata, params.payment_intent_data.metadata]) {
      expect(metadata).toMatchObject({ shop_id: "cochlearfit", hold_id: body.holdId, rental_days: "0" });
    }
    expect(server.standIn?.session(body.sessionId)?.metadata).toMatchObject({ hold_id: body.holdId, rental_days: "0" });
  });

  it("a rental checkout charges per day, adds deposit lines and records rental_days", async () => {
    const { status, body } = await checkout(server, {
      shop: "cover-me-pretty",
      body: { lines: [{ sku: "cmp-coil-cover", quantity: 2, variantAttributes: { color: "gold" } }], rentalDays: 3 },
    });
    expect(status).toBe(201);
    expect(body.lines[0]).toMatchObject({ unitAmount: 800, depositAmount: 2500, quantity: 2, lineTotal: 800 * 2 * 3 });
    expect(body.amountTotal).toBe(800 * 2 * 3 + 2500 * 2);
    const params = await frozenParams(body.holdId);
    const deposit = params.line_items.find((l) => l.price_data.product_data.name.startsWith("Deposit"));
    expect(deposit).toMatchObject({ quantity: 2, price_data: { unit_amount: 2500 } });
    expect(params.metadata.rental_days).toBe("3");
    expect(params.payment_intent_data.metadata.rental_days).toBe("3");
    expect(server.standIn?.session(body.sessionId)?.amount_total).toBe(body.amountTotal);
  });

  it("refuses rentalDays in a sale shop and a missing rentalDays in a rental shop", async () => {
    expect((await checkout(server, { body: { lines: lines(1), rentalDays: 2 } })).status).toBe(400);
    const rental = await checkout(server, {
      shop: "cover-me-pretty",
      body: { lines: [{ sku: "cmp-coil-cover", quantity: 1, variantAttributes: { color: "gold" } }] },
    });
    expect(rental.body.error.code).toBe("VALIDATION_FAILED");
  });
});

describe("coupons", () => {
  it.each([
    ["WELCOME10", 580],
    ["welcome10", 580],
    ["FIVEOFF", 500],
  ])("%s is validated by the server and discounts the charge", async (couponCode, discount) => {
    const { status, body } = await checkout(server, { body: { lines: lines(2), couponCode } });
    expect(status).toBe(201);
    expect(body.discount).toBe(discount);
    expect(body.amountTotal).toBe(5800 - discount);
    expect(server.standIn?.session(body.sessionId)?.amount_total).toBe(5800 - discount);
  });

  it.each([
    ["an ended coupon", "SUMMER2025"],
    ["a coupon not yet valid", "NEXTYEAR"],
    ["an unknown coupon", "FREEHEADBANDS"],
    ["another shop's coupon", "PARTY15"],
  ])("refuses %s with INVALID_COUPON and holds nothing", async (_, couponCode) => {
    const { status, body } = await checkout(server, { body: { lines: lines(1), couponCode } });
    expect(status).toBe(400);
    expect(body.error.code).toBe("INVALID_COUPON");
    const [held] = await server.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
    expect(held?.n).toBe(0);
  });
});

describe("drift between the total shown and the server's", () => {
  const modes: Config["repricingMode"][] = ["log_only", "enforce_and_proceed", "enforce_and_reject"];
  const instances = new Map<string, TestServer>();
  beforeAll(async () => {
    for (const mode of modes) {
      instances.set(mode, await startTestServer({ sameDatabaseAs: server, config: { repricingMode: mode } }));
    }
  });
  afterAll(async () => {
    for (const instance of instances.values()) await instance.close();
  });

  const drifted = (mode: string) =>
    checkout(instances.get(mode) as TestServer, { body: { lines: lines(2), expectedTotal: 5000 } });

  it("log_only counts it and proceeds with priceChanged false, at the server's price", async () => {
    const { status, body } = await drifted("log_only");
    expect(status).toBe(201);
    expect(body).toMatchObject({ amountTotal: 5800, priceChanged: false });
    const metrics = await (await fetch(`${instances.get("log_only")?.url}/metrics`)).text();
    expect(metrics).toMatch(/cart_reprice_drift_total\{shop="cochlearfit",mode="log_only"\} 1/);
  });

  it("enforce_and_proceed proceeds at the server's price with priceChanged true", async () => {
    const { status, body } = await drifted("enforce_and_proceed");
    expect(status).toBe(201);
    expect(body).toMatchObject({ amountTotal: 5800, priceChanged: true });
  });

  it("enforce_and_reject answers 409 PRICE_CHANGED and holds nothing", async () => {
    const { status, body } = await drifted("enforce_and_reject");
    expect(status).toBe(409);
    expect(body.error.code).toBe("PRICE_CHANGED");
    expect(body.error.details).toMatchObject({ expectedTotal: 5000, amountTotal: 5800 });
    const [held] = await server.sql<{ n: number }[]>`select count(*)::int as n from holds where status = 'active'`;
    expect(held?.n).toBe(0);
  });

  it("ignores drift within max(10 minor units, 1 %)", async () => {
    const { body } = await checkout(instances.get("enforce_and_reject") as TestServer, {
      body: { lines: lines(2), expectedTotal: 5800 - 57 },
    });
    expect(body).toMatchObject({ priceChanged: false });
  });
});

describe("redirects", () => {
  it("defaults to the shop's thank-you and cart pages in the shopper's language", async () => {
    const { body } = await checkout(server, { body: { lines: lines(1), locale: "de" } });
    const session = server.standIn?.session(body.sessionId);
    expect(session?.success_url).toBe("http://localhost:4321/de/thank-you/?session_id={CHECKOUT_SESSION_ID}");
    expect(session?.cancel_url).toBe("http://localhost:4321/de/cart/");
  });

  it("refuses a success URL outside the shop's origins", async () => {
    const { status, body } = await checkout(server, {
      body: { lines: lines(1), successUrl: "https://evil.example/steal?session_id={CHECKOUT_SESSION_ID}" },
    });
    expect(status).toBe(400);
    expect(body.error.code).toBe("REDIRECT_NOT_ALLOWED");
  });

  it("accepts a URL on one of the shop's origins", async () => {
    const successUrl = "http://127.0.0.1:4321/en/thanks/?s={CHECKOUT_SESSION_ID}";
    const { status, body } = await checkout(server, { body: { lines: lines(1), successUrl } });
    expect(status).toBe(201);
    expect(server.standIn?.session(body.sessionId)?.success_url).toBe(successUrl);
  });
});

describe("checking out a server cart", () => {
  async function newCart(shop: string, cartLines: unknown[]) {
    const response = await fetch(`${server.url}/v1/carts`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shop-id": shop },
      body: JSON.stringify({ lines: cartLines }),
    });
    return ((await response.json()) as { cartId: string }).cartId;
  }

  it("takes the lines from the cart and names the cart in the metadata", async () => {
    const cartId = await newCart("cochlearfit", lines(3));
    const { status, body } = await checkout(server, { body: { cartId } });
    expect(status).toBe(201);
    expect(body.lines[0]).toMatchObject({ sku: classic, quantity: 3, lineTotal: 8700 });
    expect(server.standIn?.session(body.sessionId)?.metadata.cart_id).toBe(cartId);
  });

  it("answers 404 for another shop's cart and 400 for an empty one", async () => {
    const theirs = await newCart("cover-me-pretty", []);
    expect((await checkout(server, { body: { cartId: theirs } })).body.error.code).toBe("CART_NOT_FOUND");
    const empty = await newCart("cochlearfit", []);
    expect((await checkout(server, { body: { cartId: empty } })).body.error.code).toBe("VALIDATION_FAILED");
  });

  it("refuses a request with both a cart and lines", async () => {
    const cartId = await newCart("cochlearfit", lines(1));
    const { status } = await checkout(server, {
      body: { cartId, lines: [{ sku: classic, quantity: 1, variantAttributes: blackM }] },
    });
    expect(status).toBe(400);
  });
});
